// Text classification (sentiment, topic, …): one text in, every label with its probability out.

import type { TaskSpec } from './types';
import { readIntParam, readTextParam } from './types';

export interface TextClassificationInput {
	text: string;
	/** How many labels to return; 0 means all of them. */
	topK: number;
}

export interface LabelScore {
	label: string;
	score: number;
}

export type TextClassificationOutput = LabelScore[];

export function isLabelScores(value: unknown): value is LabelScore[] {
	return (
		Array.isArray(value) &&
		value.every(
			(item) =>
				typeof item === 'object' &&
				item !== null &&
				typeof (item as LabelScore).label === 'string' &&
				typeof (item as LabelScore).score === 'number'
		)
	);
}

export const textClassification = {
	id: 'text-classification',
	pipeline: 'text-classification',
	modality: 'nlp',
	defaultModels: {
		huggingface: 'Xenova/distilbert-base-uncased-finetuned-sst-2-english',
		bundled: 'browserve/tiny-sentiment'
	},
	params: ['text', 'top_k'],
	examples: [
		{ text: 'I love this, it is wonderful!', topK: 0 },
		{ text: 'This is terrible and I hate it.', topK: 0 }
	],
	parseInput(params, issues) {
		return {
			text: readTextParam(params, 'text', issues),
			topK: readIntParam(params, 'top_k', { min: 0, max: 1000, fallback: 0 }, issues)
		};
	},
	serializeInput(input): Record<string, string> {
		const params: Record<string, string> = { text: input.text };
		if (input.topK) params.top_k = String(input.topK);
		return params;
	},
	whyNotRunnable(input) {
		return input.text.trim() === '' ? 'Type some text to classify.' : null;
	},
	async run(pipe, input) {
		// top_k null asks transformers.js for every label, sorted by score.
		const raw = await pipe(input.text, { top_k: input.topK || null });
		if (!isLabelScores(raw)) throw new TypeError('The model did not return labels with scores.');
		return raw;
	},
	batch: {
		key: (input) => String(input.topK),
		async run(pipe, inputs) {
			const raw = await pipe(
				inputs.map((input) => input.text),
				{ top_k: inputs[0]?.topK || null }
			);
			if (!Array.isArray(raw) || raw.length !== inputs.length) {
				throw new TypeError('The model did not return one result per text.');
			}
			// top_k 1 gives one label per text; any other top_k one list of labels per text.
			const perText: unknown[] = inputs[0]?.topK === 1 ? raw.map((item: unknown) => [item]) : raw;
			if (!perText.every(isLabelScores)) throw new TypeError('The model did not return labels with scores.');
			return perText;
		}
	}
} as const satisfies TaskSpec<TextClassificationInput, TextClassificationOutput>;

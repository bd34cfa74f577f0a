// Zero-shot classification: one text and labels the person makes up; an NLI model scores how well each
// label's hypothesis ("This example is sports.") follows from the text. Either the labels compete (scores add
// up to 1) or, multi-label, each is judged on its own.

import type { LabelScore } from './text-classification';
import { isLabelScores } from './text-classification';
import type { TaskSpec } from './types';
import { readTextParam, readBooleanParam } from './types';
import {
	readLabels,
	readTemplate,
	templateParam,
	whyNotCandidates,
	zeroShotCall,
	type CandidateLabels
} from './candidate-labels';

export interface ZeroShotClassificationInput extends CandidateLabels {
	text: string;
	/** Scores each label on its own (entailment against contradiction) instead of one softmax over all. */
	multiLabel: boolean;
}

/** The labels with their scores, best first. */
export type ZeroShotClassificationOutput = LabelScore[];

export const DEFAULT_TEMPLATE = 'This example is {}.';

/** The pipeline's `{ labels, scores }` (best first) checked and paired up. */
function pairScores(raw: unknown, asked: readonly string[]): LabelScore[] {
	const { labels, scores } = (typeof raw === 'object' && raw !== null ? raw : {}) as {
		labels?: unknown;
		scores?: unknown;
	};
	if (!Array.isArray(labels) || !Array.isArray(scores) || labels.length !== asked.length) {
		throw new TypeError('The model did not return a score for every label.');
	}
	const paired: unknown = labels.map((label: unknown, i) => ({ label, score: scores[i] as unknown }));
	if (!isLabelScores(paired)) throw new TypeError('The model did not return labels with scores.');
	return paired;
}

export const zeroShotClassification = {
	id: 'zero-shot-classification',
	pipeline: 'zero-shot-classification',
	modality: 'nlp',
	defaultModels: { huggingface: 'Xenova/distilbert-base-uncased-mnli', bundled: 'browserve/tiny-nli' },
	params: ['text', 'labels', 'multi_label', 'template'],
	// One label is one forward pass; three would only repeat the same kernels.
	warmup: { text: 'hello', labels: ['greeting'], multiLabel: false, hypothesisTemplate: DEFAULT_TEMPLATE },
	examples: [
		{
			text: 'I love playing football',
			labels: ['sports', 'cooking', 'politics'],
			multiLabel: false,
			hypothesisTemplate: DEFAULT_TEMPLATE
		},
		{
			text: 'Dune is the best movie ever.',
			labels: ['CINEMA', 'ART', 'MUSIC'],
			multiLabel: false,
			hypothesisTemplate: DEFAULT_TEMPLATE
		},
		{
			text: 'We cooked pasta while watching the election results.',
			labels: ['cooking', 'politics', 'sports'],
			multiLabel: true,
			hypothesisTemplate: 'This text is about {}.'
		}
	],
	parseInput(params, issues) {
		return {
			text: readTextParam(params, 'text', issues),
			labels: readLabels(params, issues, 'link'),
			multiLabel: readBooleanParam(params, 'multi_label', false, issues),
			hypothesisTemplate: readTemplate(params, issues, DEFAULT_TEMPLATE)
		};
	},
	serializeInput(input): Record<string, string> {
		return {
			text: input.text,
			labels: input.labels.join(','),
			...(input.multiLabel ? { multi_label: '1' } : {}),
			...templateParam(input.hypothesisTemplate, DEFAULT_TEMPLATE)
		};
	},
	whyNotRunnable(input) {
		if (input.text.trim() === '') return 'Type some text to classify.';
		return whyNotCandidates(input);
	},
	async run(pipe, input) {
		const classify = zeroShotCall<string>(pipe);
		const raw = await classify(input.text, input.labels, {
			hypothesis_template: input.hypothesisTemplate,
			multi_label: input.multiLabel
		});
		return pairScores(raw, input.labels);
	}
} as const satisfies TaskSpec<ZeroShotClassificationInput, ZeroShotClassificationOutput>;

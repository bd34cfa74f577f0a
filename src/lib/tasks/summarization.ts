// Summarization: a long text in, a short one out, streamed token by token and stoppable between tokens.

import type { TextGenerationPartial } from './text-generation';
import { generateStreamed, readMaxNewTokens, whyNotMaxNewTokens } from './text2text-generation';
import type { TaskSpec } from './types';
import { readIntParam, readTextParam } from './types';

export interface SummarizationInput {
	text: string;
	maxNewTokens: number;
	/** The shortest summary in tokens; 0 leaves the model's own setting (distilbart's is 56). */
	minLength: number;
}

export interface SummarizationOutput {
	summary: string;
	/** Words in the text that was summarised, for the compression ratio the page shows. */
	inputWords: number;
	/** True when the run was stopped before the model finished; `summary` is what came before. */
	stopped: boolean;
}

const DEFAULT_MAX_NEW_TOKENS = 128;
const MIN_LENGTH = { param: 'min_length', min: 0, max: 1024, fallback: 0 } as const;

export function countWords(text: string): number {
	return text.split(/\s+/).filter((word) => word !== '').length;
}

/** How many times shorter the summary is ("8.5×"), or null when there is no summary to compare. */
export function compressionRatio(inputWords: number, summary: string): number | null {
	const summaryWords = countWords(summary);
	return summaryWords === 0 ? null : inputWords / summaryWords;
}

/** Why a minimum length cannot be used, in words for the form, or null when it can. */
export function whyNotMinLength(value: unknown): string | null {
	const { min, max } = MIN_LENGTH;
	return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max
		? null
		: `Min length must be a whole number from ${min} to ${max}.`;
}

export const summarization = {
	id: 'summarization',
	pipeline: 'summarization',
	modality: 'nlp',
	defaultModels: { huggingface: 'Xenova/distilbart-cnn-6-6', bundled: 'browserve/tiny-summarizer' },
	params: ['text', 'max_new_tokens', 'min_length'],
	examples: [
		{
			text:
				'It was a quiet Sunday at the old house. The cat sat on the mat all day long, watching the rain ' +
				'run down the window while nobody came home.',
			maxNewTokens: DEFAULT_MAX_NEW_TOKENS,
			minLength: 0
		},
		{
			text:
				'The tower is 324 metres (1,063 ft) tall, about the same height as an 81-storey building, and the ' +
				'tallest structure in Paris. Its base is square, measuring 125 metres (410 ft) on each side. It ' +
				'was the first structure to reach a height of 300 metres. Excluding transmitters, the Eiffel Tower ' +
				'is the second tallest free-standing structure in France after the Millau Viaduct.',
			maxNewTokens: DEFAULT_MAX_NEW_TOKENS,
			minLength: 0
		}
	],
	parseInput(params, issues) {
		return {
			text: readTextParam(params, 'text', issues),
			maxNewTokens: readMaxNewTokens(params, DEFAULT_MAX_NEW_TOKENS, issues),
			minLength: readIntParam(params, MIN_LENGTH.param, MIN_LENGTH, issues)
		};
	},
	serializeInput(input): Record<string, string> {
		const params: Record<string, string> = { text: input.text };
		// Defaults, and values the form cannot run, stay out of links.
		if (input.maxNewTokens !== DEFAULT_MAX_NEW_TOKENS && whyNotMaxNewTokens(input.maxNewTokens) === null) {
			params.max_new_tokens = String(input.maxNewTokens);
		}
		if (input.minLength !== MIN_LENGTH.fallback && whyNotMinLength(input.minLength) === null) {
			params.min_length = String(input.minLength);
		}
		return params;
	},
	whyNotRunnable(input) {
		if (input.text.trim() === '') return 'Type or paste a text to summarise.';
		return whyNotMaxNewTokens(input.maxNewTokens) ?? whyNotMinLength(input.minLength);
	},
	interruptible: true,
	async run(pipe, input, context) {
		const options = {
			max_new_tokens: input.maxNewTokens,
			...(input.minLength > 0 ? { min_length: input.minLength } : {})
		};
		const { text, stopped } = await generateStreamed(pipe, input.text, options, 'summary_text', context);
		return { summary: text, inputWords: countWords(input.text), stopped };
	}
} as const satisfies TaskSpec<SummarizationInput, SummarizationOutput, TextGenerationPartial>;

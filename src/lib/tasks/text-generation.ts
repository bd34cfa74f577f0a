// Text generation (story continuation, completion): a prompt in, new text out, streamed token by token. The
// run can be stopped between tokens; a stopped run keeps the text generated so far.

import { yieldBeforeEachStep } from './generation';
import type { Tensor } from '@huggingface/transformers';
import type { ParamIssue, TaskSpec, TransformersLibrary } from './types';
import { readIntParam, readTextParam } from './types';

export interface TextGenerationInput {
	prompt: string;
	maxNewTokens: number;
	/** 0 decodes greedily; above 0 samples, flatter as it grows. */
	temperature: number;
	/** Samples only from the k likeliest tokens; 0 means no limit. */
	topK: number;
	/** Samples only from the likeliest tokens whose probabilities add up to p; 1 means no limit. */
	topP: number;
	/** Divides the scores of tokens already in the text; 1 means no penalty. */
	repetitionPenalty: number;
}

/** What the page shows while tokens arrive. */
export interface TextGenerationPartial {
	/** The new text so far (the streamer holds back a word until it is complete). */
	text: string;
	/** Tokens generated so far, end-of-text included. */
	tokens: number;
	tokensPerSecond: number | null;
}

export interface TextGenerationOutput {
	/** The prompt the text continues (the page shows it before the new text). */
	prompt: string;
	/** Only the new text, as the model's tokenizer decodes it after the prompt. */
	text: string;
	tokens: number;
	tokensPerSecond: number | null;
	/** True when the run was stopped before the model finished; `text` is what came before. */
	stopped: boolean;
}

type NumberSetting = Exclude<keyof TextGenerationInput, 'prompt'>;

interface SettingRange {
	param: string;
	label: string;
	min: number;
	max: number;
	/** The value that leaves the setting off; links leave it out. */
	fallback: number;
	integer: boolean;
	/** True when `min` itself is not allowed (top_p must be above 0). */
	aboveMin?: boolean;
}

/** The five generation settings: their share-link names, bounds and defaults, shared by parser and widgets. */
export const GENERATION_SETTINGS: Readonly<Record<NumberSetting, SettingRange>> = {
	maxNewTokens: {
		param: 'max_new_tokens',
		label: 'Max new tokens',
		min: 1,
		max: 1024,
		fallback: 64,
		integer: true
	},
	temperature: { param: 'temperature', label: 'Temperature', min: 0, max: 2, fallback: 0, integer: false },
	topK: { param: 'top_k', label: 'Top k', min: 0, max: 1000, fallback: 0, integer: true },
	topP: { param: 'top_p', label: 'Top p', min: 0, max: 1, fallback: 1, integer: false, aboveMin: true },
	repetitionPenalty: {
		param: 'repetition_penalty',
		label: 'Repetition penalty',
		min: 1,
		max: 2,
		fallback: 1,
		integer: false
	}
};

const SETTING_KEYS = Object.keys(GENERATION_SETTINGS) as NumberSetting[];

// Plain decimals with an optional exponent (what String(number) writes); no sign, no hex, no Infinity.
const DECIMAL = /^(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i;

function describeRange(range: SettingRange): string {
	if (range.integer) return `a whole number from ${range.min} to ${range.max}`;
	if (range.aboveMin) return `a number above ${range.min} and at most ${range.max}`;
	return `a number from ${range.min} to ${range.max}`;
}

function inRange(value: number, range: SettingRange): boolean {
	if (!Number.isFinite(value) || value > range.max) return false;
	if (range.integer && !Number.isInteger(value)) return false;
	return range.aboveMin ? value > range.min : value >= range.min;
}

/** Reads a decimal parameter within a setting's range; anything else is reported and replaced by its default. */
function readDecimalParam(params: URLSearchParams, range: SettingRange, issues: ParamIssue[]): number {
	const raw = params.get(range.param);
	if (raw === null || raw === '') return range.fallback;
	const value = Number(raw);
	if (!DECIMAL.test(raw) || !inRange(value, range)) {
		issues.push({ param: range.param, message: `${range.param} must be ${describeRange(range)}.` });
		return range.fallback;
	}
	return value;
}

function readSetting(params: URLSearchParams, key: NumberSetting, issues: ParamIssue[]): number {
	const range = GENERATION_SETTINGS[key];
	return range.integer
		? readIntParam(params, range.param, range, issues)
		: readDecimalParam(params, range, issues);
}

/** Why a setting's value cannot be used, in words for the form, or null when it can. */
export function whyNotSetting(key: NumberSetting, value: unknown): string | null {
	const range = GENERATION_SETTINGS[key];
	if (typeof value === 'number' && inRange(value, range)) return null;
	return `${range.label} must be ${describeRange(range)}.`;
}

/** Tokens per second for the page ("12.3 tokens/s"), or a dash before there is a pace to show. */
export function formatRate(tokensPerSecond: number | null): string {
	return tokensPerSecond === null ? '– tokens/s' : `${tokensPerSecond.toFixed(1)} tokens/s`;
}

/** What the worker measured: tokens and the text so far, and how fast they came. */
function measure(text: string, tokens: number, startedAt: number): TextGenerationPartial {
	const seconds = (performance.now() - startedAt) / 1000;
	return { text, tokens, tokensPerSecond: tokens > 0 && seconds > 0 ? tokens / seconds : null };
}

/**
 * Nucleus filtering in place: keeps the likeliest scores whose probabilities first add up to `topP` and sets
 * the rest to -Infinity, so sampling never picks them.
 */
export function keepNucleus(scores: Float32Array, topP: number): void {
	const order = Array.from(scores.keys()).sort((a, b) => (scores[b] ?? 0) - (scores[a] ?? 0));
	const max = scores[order[0] ?? 0] ?? 0;
	const weights = order.map((index) => Math.exp((scores[index] ?? 0) - max));
	const total = weights.reduce((sum, weight) => sum + weight, 0);
	let cumulative = 0;
	let keep = 0;
	while (keep < order.length && cumulative < topP) cumulative += (weights[keep++] ?? 0) / total;
	for (const index of order.slice(Math.max(keep, 1))) scores[index] = -Infinity;
}

/**
 * transformers.js 4.3.1 accepts top_p but never applies it (its TopPLogitsWarper has no _call), so the run
 * adds its own. It goes after the library's temperature; the sampler's top_k then picks from what is left.
 */
function topPProcessor(library: TransformersLibrary, topP: number) {
	class TopP extends library.LogitsProcessor {
		override _call(_inputIds: bigint[][], logits: Tensor): Tensor {
			const { data } = logits;
			const vocabulary = logits.dims.at(-1);
			if (!(data instanceof Float32Array) || !vocabulary) return logits;
			for (let row = 0; row < data.length; row += vocabulary) {
				keepNucleus(data.subarray(row, row + vocabulary), topP);
			}
			return logits;
		}
	}
	const list = new library.LogitsProcessorList();
	list.push(new TopP());
	return list;
}

function generatedText(raw: unknown): string {
	const first: unknown = Array.isArray(raw) ? raw[0] : undefined;
	if (Array.isArray(raw) && raw.length === 1 && typeof first === 'object' && first !== null) {
		const text: unknown = (first as { generated_text?: unknown }).generated_text;
		if (typeof text === 'string') return text;
	}
	throw new TypeError('The model did not return generated text.');
}

export const textGeneration = {
	id: 'text-generation',
	pipeline: 'text-generation',
	modality: 'nlp',
	defaultModels: { huggingface: 'Xenova/gpt2', bundled: 'browserve/tiny-gpt' },
	// One token compiles the kernels as well as sixty-four would, at a sixty-fourth of the cost.
	params: ['text', 'max_new_tokens', 'temperature', 'top_k', 'top_p', 'repetition_penalty'],
	warmup: { prompt: 'hello', maxNewTokens: 1, temperature: 0, topK: 0, topP: 1, repetitionPenalty: 1 },
	examples: [
		{ prompt: 'once upon a', maxNewTokens: 64, temperature: 0, topK: 0, topP: 1, repetitionPenalty: 1 },
		{
			prompt: 'The best thing about running models in the browser is',
			maxNewTokens: 64,
			temperature: 0.7,
			topK: 50,
			topP: 0.9,
			repetitionPenalty: 1.2
		}
	],
	parseInput(params, issues) {
		return {
			prompt: readTextParam(params, 'text', issues),
			maxNewTokens: readSetting(params, 'maxNewTokens', issues),
			temperature: readSetting(params, 'temperature', issues),
			topK: readSetting(params, 'topK', issues),
			topP: readSetting(params, 'topP', issues),
			repetitionPenalty: readSetting(params, 'repetitionPenalty', issues)
		};
	},
	serializeInput(input): Record<string, string> {
		const params: Record<string, string> = { text: input.prompt };
		for (const key of SETTING_KEYS) {
			const value = input[key];
			const range = GENERATION_SETTINGS[key];
			// A value the form cannot run is left out rather than written into a link that would be refused.
			if (value !== range.fallback && whyNotSetting(key, value) === null) params[range.param] = String(value);
		}
		return params;
	},
	whyNotRunnable(input) {
		if (input.prompt.trim() === '') return 'Type a prompt to continue.';
		for (const key of SETTING_KEYS) {
			const problem = whyNotSetting(key, input[key]);
			if (problem) return problem;
		}
		return null;
	},
	interruptible: true,
	async run(pipe, input, context) {
		const { library, signal } = context;
		const tokenizer = pipe.tokenizer;
		if (!(tokenizer instanceof library.PreTrainedTokenizer)) {
			throw new TypeError('This model has no tokenizer to stream its text with.');
		}
		const startedAt = performance.now();
		let text = '';
		let tokens = 0;
		if (signal.aborted) return { prompt: input.prompt, ...measure(text, tokens, startedAt), stopped: true };

		let emitQueued = false;
		const streamer = new library.TextStreamer(tokenizer, {
			skip_prompt: true,
			callback_function: (piece) => {
				text += piece;
			},
			token_callback_function: (ids) => {
				tokens += ids.length;
				// The streamer calls this before it decodes the token, and generate() ends the stream right after
				// the last one; a microtask runs once that synchronous work is done, so each partial carries the
				// text its token completed (and the last one the whole text).
				if (emitQueued) return;
				emitQueued = true;
				queueMicrotask(() => {
					emitQueued = false;
					context.emit(measure(text, tokens, startedAt));
				});
			}
		});
		// Checked after every token, so a cancel stops the run at the next one and the pipeline still returns
		// what it has.
		const stop = new library.InterruptableStoppingCriteria();
		const interrupt = () => stop.interrupt();
		signal.addEventListener('abort', interrupt, { once: true });
		const sample = input.temperature > 0;
		const unpace =
			'model' in pipe && pipe.model instanceof library.PreTrainedModel
				? yieldBeforeEachStep(pipe.model)
				: () => undefined;
		try {
			const raw = await pipe(input.prompt, {
				max_new_tokens: input.maxNewTokens,
				do_sample: sample,
				temperature: input.temperature,
				top_k: input.topK,
				top_p: input.topP,
				repetition_penalty: input.repetitionPenalty,
				return_full_text: false,
				streamer,
				stopping_criteria: stop,
				...(sample && input.topP < 1 ? { logits_processor: topPProcessor(library, input.topP) } : {})
			});
			return {
				prompt: input.prompt,
				...measure(generatedText(raw), tokens, startedAt),
				stopped: signal.aborted
			};
		} catch (error) {
			// Whatever a cancel interrupts, the text so far is the result the page keeps.
			if (signal.aborted) return { prompt: input.prompt, ...measure(text, tokens, startedAt), stopped: true };
			throw error;
		} finally {
			unpace();
			signal.removeEventListener('abort', interrupt);
		}
	}
} as const satisfies TaskSpec<TextGenerationInput, TextGenerationOutput, TextGenerationPartial>;

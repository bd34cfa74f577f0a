// Text-to-text generation (T5-style task prefixes: "translate English to French: …", "summarize: …"), and the
// streamed encoder-decoder run that summarization and translation share with it: a text in, new text out,
// token by token, stoppable between tokens.

import { yieldBeforeEachStep } from './generation';
import type { TextGenerationPartial } from './text-generation';
import type { ParamIssue, PipelineCall, RunContext, TaskSpec, TransformersLibrary } from './types';
import { readIntParam, readTextParam } from './types';

export interface Text2TextInput {
	text: string;
	maxNewTokens: number;
}

export interface Text2TextOutput {
	text: string;
	/** True when the run was stopped before the model finished; `text` is what came before. */
	stopped: boolean;
}

/** The pipeline output key each encoder-decoder pipeline writes its text under. */
export type GeneratedKey = 'generated_text' | 'summary_text' | 'translation_text';

export const MAX_NEW_TOKENS = { param: 'max_new_tokens', min: 1, max: 1024 } as const;

/** Reads max_new_tokens with the task's own default. */
export function readMaxNewTokens(params: URLSearchParams, fallback: number, issues: ParamIssue[]): number {
	return readIntParam(params, MAX_NEW_TOKENS.param, { ...MAX_NEW_TOKENS, fallback }, issues);
}

/** Why a token limit cannot be used, in words for the form (an emptied number field binds null), or null. */
export function whyNotMaxNewTokens(value: unknown): string | null {
	const { min, max } = MAX_NEW_TOKENS;
	return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max
		? null
		: `Max new tokens must be a whole number from ${min} to ${max}.`;
}

function measure(text: string, tokens: number, startedAt: number): TextGenerationPartial {
	const seconds = (performance.now() - startedAt) / 1000;
	return { text, tokens, tokensPerSecond: tokens > 0 && seconds > 0 ? tokens / seconds : null };
}

function generatedText(raw: unknown, key: GeneratedKey): string {
	const first: unknown = Array.isArray(raw) ? raw[0] : undefined;
	if (Array.isArray(raw) && raw.length === 1 && typeof first === 'object' && first !== null) {
		const text: unknown = (first as Partial<Record<GeneratedKey, unknown>>)[key];
		if (typeof text === 'string') return text;
	}
	throw new TypeError('The model did not return generated text.');
}

function tokenizerOf(pipe: PipelineCall, library: TransformersLibrary) {
	const tokenizer = pipe.tokenizer;
	if (!(tokenizer instanceof library.PreTrainedTokenizer)) {
		throw new TypeError('This model has no tokenizer to stream its text with.');
	}
	return tokenizer;
}

/**
 * Runs an encoder-decoder pipeline on one text, streaming the decoded text as partials, and stops at the next
 * token once the signal aborts; a stopped run returns the text so far. `options` are the task's own
 * generation options (max_new_tokens, src_lang, …).
 */
export async function generateStreamed(
	pipe: PipelineCall,
	text: string,
	options: Readonly<Record<string, unknown>>,
	key: GeneratedKey,
	context: RunContext<TextGenerationPartial>
): Promise<{ text: string; stopped: boolean }> {
	const { library, signal } = context;
	const tokenizer = tokenizerOf(pipe, library);
	const startedAt = performance.now();
	let streamed = '';
	let tokens = 0;
	if (signal.aborted) return { text: '', stopped: true };

	let emitQueued = false;
	const streamer = new library.TextStreamer(tokenizer, {
		// The first put is the decoder's start token, not text.
		skip_prompt: true,
		callback_function: (piece) => {
			streamed += piece;
		},
		token_callback_function: (ids) => {
			tokens += ids.length;
			// Called before the token is decoded; the microtask runs once it is, so each partial carries the
			// text its token completed.
			if (emitQueued) return;
			emitQueued = true;
			queueMicrotask(() => {
				emitQueued = false;
				context.emit(measure(streamed, tokens, startedAt));
			});
		}
	});
	const stop = new library.InterruptableStoppingCriteria();
	const interrupt = () => stop.interrupt();
	signal.addEventListener('abort', interrupt, { once: true });
	const unpace =
		'model' in pipe && pipe.model instanceof library.PreTrainedModel
			? yieldBeforeEachStep(pipe.model)
			: () => undefined;
	try {
		const raw = await pipe(text, { ...options, do_sample: false, streamer, stopping_criteria: stop });
		return { text: generatedText(raw, key), stopped: signal.aborted };
	} catch (error) {
		// Whatever a cancel interrupts, the text so far is the result the page keeps.
		if (signal.aborted) return { text: streamed, stopped: true };
		throw error;
	} finally {
		unpace();
		signal.removeEventListener('abort', interrupt);
	}
}

// Room for a sentence or two of output, the most a prefixed task usually asks for.
const DEFAULT_MAX_NEW_TOKENS = 64;

export const text2textGeneration = {
	id: 'text2text-generation',
	pipeline: 'text2text-generation',
	// @huggingface/tasks no longer lists text2text-generation, so the page's name and summary are the task's own.
	title: 'Text-to-Text Generation',
	summary:
		'Text-to-text generation turns one text into another, with the task written before it, such as ' +
		'"translate English to French:" or "summarize:".',
	modality: 'nlp',
	// t5-small knows the prefixes of the examples below and is a 60M-parameter download.
	defaultModels: { huggingface: 'Xenova/t5-small', bundled: 'browserve/tiny-t2t' },
	params: ['text', 'max_new_tokens'],
	// One token compiles the kernels as well as sixty-four would.
	warmup: { text: 'translate English to French: hello world', maxNewTokens: 1 },
	examples: [
		{ text: 'translate English to French: hello world', maxNewTokens: DEFAULT_MAX_NEW_TOKENS },
		{
			text:
				'summarize: The tower is 324 metres (1,063 ft) tall, about the same height as an 81-storey ' +
				'building, and the tallest structure in Paris. Its base is square, measuring 125 metres (410 ft) ' +
				'on each side.',
			maxNewTokens: DEFAULT_MAX_NEW_TOKENS
		}
	],
	parseInput(params, issues) {
		return {
			text: readTextParam(params, 'text', issues),
			maxNewTokens: readMaxNewTokens(params, DEFAULT_MAX_NEW_TOKENS, issues)
		};
	},
	serializeInput(input): Record<string, string> {
		const params: Record<string, string> = { text: input.text };
		if (input.maxNewTokens !== DEFAULT_MAX_NEW_TOKENS && whyNotMaxNewTokens(input.maxNewTokens) === null) {
			params.max_new_tokens = String(input.maxNewTokens);
		}
		return params;
	},
	whyNotRunnable(input) {
		if (input.text.trim() === '') return 'Type a text, starting with its task (e.g. "summarize: …").';
		return whyNotMaxNewTokens(input.maxNewTokens);
	},
	interruptible: true,
	run(pipe, input, context) {
		return generateStreamed(
			pipe,
			input.text,
			{ max_new_tokens: input.maxNewTokens },
			'generated_text',
			context
		);
	}
} as const satisfies TaskSpec<Text2TextInput, Text2TextOutput, TextGenerationPartial>;

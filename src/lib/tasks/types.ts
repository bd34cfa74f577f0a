// The shape every task in the registry has. A task file is safe to import in the worker (no Svelte, no DOM):
// it says how share-link parameters become a typed input, and how the worker turns that input into a
// pipeline call and a typed output. What the page draws for it lives in the task's widgets.

import type { PipelineType } from '@huggingface/transformers';

/** The transformers.js module as the worker loaded it (type only: task files never import the library). */
export type TransformersLibrary = typeof import('@huggingface/transformers');

export type Modality = 'nlp' | 'cv' | 'audio' | 'multimodal';

/** A share-link parameter that could not be used, and why, in words for the page. */
export interface ParamIssue {
	param: string;
	message: string;
	/** A notice (an unknown parameter, ignored) does not stop a link from running; an error does. */
	severity?: 'error' | 'notice';
}

/** The callable a transformers.js pipeline is, seen from the task: input in, raw output out. */
export interface PipelineCall {
	(input: unknown, options?: Record<string, unknown>): Promise<unknown>;
	/** Text pipelines carry their tokenizer (streamers need it). */
	readonly tokenizer?: unknown;
}

/** What a run gets besides its input: cancellation, a channel for partial results, and the library. */
export interface RunContext<Partial> {
	/** Aborted when the user cancels. Tasks that honour it between steps are `interruptible`. */
	readonly signal: AbortSignal;
	/** Sends a partial result to the page at once (streamed tokens, chunk progress). */
	emit(partial: Partial): void;
	readonly library: TransformersLibrary;
}

export interface TaskSpec<Input, Output, Partial = never> {
	/** The Hugging Face pipeline tag, also the page's path. */
	readonly id: string;
	/** The transformers.js pipeline that runs it. */
	readonly pipeline: PipelineType;
	/**
	 * The hub pipeline_tags of models that fit, when not just the task id (chat models are text-generation;
	 * sentence-similarity models are tagged either way).
	 */
	readonly hubTags?: readonly string[];
	/**
	 * The page's name and one-sentence summary, for a task @huggingface/tasks does not list (conversational);
	 * the catalog names every other task from there.
	 */
	readonly title?: string;
	readonly summary?: string;
	readonly modality: Modality;
	/** A real model on huggingface.co, and the generated one in the bundled mirror. */
	readonly defaultModels: { readonly huggingface: string; readonly bundled: string };
	/** Inputs a first visitor can run at once. */
	readonly examples: readonly Input[];
	/** The small run that warms a model up before it counts as ready; the first example when absent. */
	readonly warmup?: Input;
	/** The task's own share-link parameter names (any other, besides the common ones, is ignored with a notice). */
	readonly params: readonly string[];
	/** Reads the task's own share-link parameters; unusable values are reported, never thrown. */
	parseInput(params: URLSearchParams, issues: ParamIssue[]): Input;
	/** The task's own share-link parameters for an input (the inverse of parseInput). */
	serializeInput(input: Input): Record<string, string>;
	/** Why this input cannot run yet (e.g. empty text), or null when it can. */
	whyNotRunnable(input: Input): string | null;
	/** Worker side: calls the pipeline and checks its raw output into the typed one. */
	run(pipe: PipelineCall, input: Input, context: RunContext<Partial>): Promise<Output>;
	/**
	 * True when run() stops at its next step once context.signal aborts (text generation's stopping
	 * criteria). A run that is not interruptible is cancelled by terminating its worker.
	 */
	readonly interruptible?: boolean;
	/** For pipelines that take arrays: runs inputs with the same key as one batch, one output per input. */
	readonly batch?: {
		key(input: Input): string;
		run(pipe: PipelineCall, inputs: readonly Input[]): Promise<Output[]>;
	};
}

/** Longest text a share link may carry; longer values are refused with a message, not truncated. */
export const MAX_TEXT_PARAM = 20_000;

/** Reads a free-text parameter, reporting values that are too long. */
export function readTextParam(params: URLSearchParams, name: string, issues: ParamIssue[]): string {
	const value = params.get(name) ?? '';
	if (value.length > MAX_TEXT_PARAM) {
		issues.push({
			param: name,
			message: `The ${name} in this link is ${value.length.toLocaleString('en')} characters long; the limit is ${MAX_TEXT_PARAM.toLocaleString('en')}.`
		});
		return '';
	}
	return value;
}

/** Reads an integer parameter within [min, max]; anything else is reported and replaced by the fallback. */
export function readIntParam(
	params: URLSearchParams,
	name: string,
	range: { min: number; max: number; fallback: number },
	issues: ParamIssue[]
): number {
	const raw = params.get(name);
	if (raw === null || raw === '') return range.fallback;
	const value = Number(raw);
	if (!/^\d+$/.test(raw) || !Number.isSafeInteger(value) || value < range.min || value > range.max) {
		issues.push({
			param: name,
			message: `${name} must be a whole number from ${range.min} to ${range.max}.`
		});
		return range.fallback;
	}
	return value;
}

/**
 * Reads an on/off parameter: 1 or true, 0 or false, the fallback when absent.
 */
export function readBooleanParam(
	params: URLSearchParams,
	name: string,
	fallback: boolean,
	issues: ParamIssue[]
): boolean {
	const raw = params.get(name);
	if (raw === null || raw === '') return fallback;
	if (raw === '1' || raw === 'true') return true;
	if (raw === '0' || raw === 'false') return false;
	issues.push({ param: name, message: `${name} must be 1 or 0 (or true or false).` });
	return fallback;
}

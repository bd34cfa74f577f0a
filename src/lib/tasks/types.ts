// The shape every task in the registry has. A task file is safe to import in the worker (no Svelte, no DOM):
// it says how share-link parameters become a typed input, and how the worker turns that input into a
// pipeline call and a typed output. What the page draws for it lives in the task's widgets.

import type { PipelineType } from '@huggingface/transformers';
import type { Device, Dtype } from '$lib/runtime/backend';

/** The transformers.js module as the worker loaded it (type only: task files never import the library). */
export type TransformersLibrary = typeof import('@huggingface/transformers');

/** ONNX Runtime's API as the worker loaded it (onnxruntime-web; its Node build in specs), type only. */
export type OnnxRuntime = Pick<typeof import('onnxruntime-web'), 'InferenceSession' | 'Tensor'>;
export type OnnxSession = import('onnxruntime-web').InferenceSession;

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

/**
 * A model's stored files, for a task that runs ONNX graphs itself: every read goes through the model store (so
 * stored models work offline), and sessions use the device, threads and WASM files the runtime planned.
 */
export interface OnnxModel {
	/** The repo's files that were planned (and are stored). */
	readonly files: readonly string[];
	readonly device: Device;
	readonly dtype: Dtype;
	readonly ort: OnnxRuntime;
	/** A stored file's bytes. */
	bytes(path: string): Promise<Uint8Array>;
	/** A stored file as UTF-8 text. */
	text(path: string): Promise<string>;
	/** A session for one of the planned .onnx files (with its external data), on the planned backend. */
	session(path: string): Promise<OnnxSession>;
	/** Releases every session this model opened. */
	release(): Promise<void>;
}

/**
 * How a task runs models that are not transformers.js pipelines: which of the repo's files it needs, and how it
 * builds its own pipe from them. The pipe is what run() gets; the worker disposes it when the model goes.
 */
export interface OnnxPipeline<Pipe> {
	readonly kind: 'onnx';
	/**
	 * The paths it needs, given every path of the repo (the hub's listing): what planning downloads. A repo
	 * that lacks any of them (or a task that finds nothing to run) is refused, naming them. `graph` is the one
	 * graph the model reference names, for a task that runs whichever graph the user picks (the ONNX page).
	 */
	files(paths: readonly string[], graph?: string): readonly string[];
	/** The devices its graphs run well on; WebGPU is not used when it is left out. */
	readonly devices: readonly Device[];
	load(model: OnnxModel): Promise<Pipe & { dispose(): Promise<void> }>;
}

/**
 * A task. `Pipe` is what run() is given: a transformers.js pipeline, or what the task's own OnnxPipeline built.
 */
export interface TaskSpec<Input, Output, Partial = never, Pipe = PipelineCall> {
	/** The Hugging Face pipeline tag, also the page's path. */
	readonly id: string;
	/** The transformers.js pipeline that runs it, or the task's own ONNX Runtime pipeline. */
	readonly pipeline: PipelineType | OnnxPipeline<Pipe>;
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
	/**
	 * For a task whose input names the model to load (the ONNX page: a hub repo and one graph in it, or a file
	 * opened from disk and stored as a `local/…` repo): that model, instead of the page's model picker; null
	 * until the input names one.
	 */
	modelOf?(input: Input): { model: string; graph: string } | null;
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
	run(pipe: Pipe, input: Input, context: RunContext<Partial>): Promise<Output>;
	/**
	 * True when run() stops at its next step once context.signal aborts (text generation's stopping
	 * criteria). A run that is not interruptible is cancelled by terminating its worker.
	 */
	readonly interruptible?: boolean;
	/** For pipelines that take arrays: runs inputs with the same key as one batch, one output per input. */
	readonly batch?: {
		key(input: Input): string;
		run(pipe: Pipe, inputs: readonly Input[]): Promise<Output[]>;
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

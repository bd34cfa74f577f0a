// The runtime bench page's contract, shared by the Node driver (scripts/bench/runtime.ts), the page (main.ts)
// and its bare workers: what the driver sets up, which paths it times, and the messages of the bare workers.

import type { Dtype } from '$lib/runtime/backend';
import type { SerializedError } from '$lib/runtime/errors';

/**
 * What one timed call goes through, page to worker and back:
 * - app-heavy / app-tiny: the app's WorkerPool → InferenceClient → workers/inference.worker.ts → ModelHost →
 *   the text-classification task → transformers.js, on the MatMul classifier or on tiny-sentiment;
 * - ort-all / ort-one: a bare onnxruntime-web worker running the MatMul classifier's ONNX file on prepared
 *   tensors, with as many threads as the app uses, or with one;
 * - pipeline-tiny: a bare transformers.js text-classification pipeline on tiny-sentiment in a worker.
 */
export type RuntimePath = 'app-heavy' | 'ort-all' | 'ort-one' | 'app-tiny' | 'pipeline-tiny';

export interface RuntimeSetup {
	hub: string;
	heavy: { repo: string; text: string; inputIds: number[] };
	tiny: { repo: string; text: string };
}

export interface LabelScore {
	label: string;
	score: number;
}

export interface RuntimeReady {
	crossOriginIsolated: boolean;
	hardwareConcurrency: number;
	/** ORT threads of the app's plan, which the bare workers copy. */
	threads: number;
	heavy: { device: string; dtype: Dtype; labels: LabelScore[] };
	tiny: { device: string; dtype: Dtype; labels: LabelScore[] };
	/** The bare workers' answers, to check against the app's and Node's. */
	ortLogits: { all: number[]; one: number[] };
	pipelineLabels: LabelScore[];
}

/** One timed call: page-side round trip, and the time the worker itself reports for the work. */
export interface CallTiming {
	ms: number;
	workerMs: number;
}

export interface RuntimePageApi {
	setup(setup: RuntimeSetup): Promise<RuntimeReady>;
	/** Runs `calls` calls one after another on one path and times each. */
	measure(path: RuntimePath, calls: number): Promise<CallTiming[]>;
}

export interface RuntimeWindow {
	browserveRuntimeBench: RuntimePageApi;
}

/** Where a bare worker finds ONNX Runtime's files and how many threads it runs. */
export interface BareRuntime {
	wasm: string;
	mjs: string;
	threads: number;
}

export type BareRequest =
	| { kind: 'init-ort'; runtime: BareRuntime; modelUrl: string; inputIds: number[] }
	| { kind: 'init-pipeline'; runtime: BareRuntime; hub: string; repo: string; dtype: Dtype }
	| { kind: 'run'; text: string };

export type BareReply =
	| { ok: true; workerMs: number; logits: number[] }
	| { ok: true; workerMs: number; labels: LabelScore[] }
	| { ok: false; error: SerializedError };

// The runtime bench page's contract, shared by the Node driver (scripts/bench/runtime.ts), the page (main.ts)
// and its bare workers: what the driver sets up, which paths it times, and the messages of the bare workers.

import type { Dtype } from '$lib/runtime/backend';
import type { SerializedError } from '$lib/runtime/errors';
import type { BareProgram } from './programs';

/**
 * What one timed call goes through, page to worker and back:
 * - app-heavy / app-tiny: the app's WorkerPool → InferenceClient → workers/inference.worker.ts → ModelHost →
 *   the text-classification task → transformers.js, on the MatMul classifier or on tiny-sentiment;
 * - ort-all / ort-one: a bare onnxruntime-web worker running the MatMul classifier's ONNX file on prepared
 *   tensors, with as many threads as the app uses, or with one;
 * - pipeline-tiny: a bare transformers.js text-classification pipeline on tiny-sentiment in a worker;
 * - app-vad / ort-vad: the app's voice-activity-detection task on Silero VAD, and a bare onnxruntime-web worker
 *   feeding the same windows, on the same audio;
 * - ort-ocr-all / ort-ocr-one: a bare onnxruntime-web worker on PaddleOCR's recogniser, all threads or one;
 * - app-webgpu: the app's path on WebGPU, on the heavy model where the adapter is a real GPU, else on the tiny
 *   one (a software adapter is far too slow for the heavy one).
 */
export type RuntimePath =
	| 'app-heavy'
	| 'ort-all'
	| 'ort-one'
	| 'app-tiny'
	| 'pipeline-tiny'
	| 'app-vad'
	| 'ort-vad'
	| 'ort-ocr-all'
	| 'ort-ocr-one'
	| 'app-webgpu';

export interface RuntimeSetup {
	hub: string;
	heavy: { repo: string; text: string; inputIds: number[] };
	tiny: { repo: string; text: string };
	vad: { repo: string; samples: number[] };
	ocr: { repo: string; path: string; program: Extract<BareProgram, { kind: 'tensor' }> };
}

/** The WebGPU adapter the page found, and which model the WebGPU row runs. */
export interface WebGpuSetup {
	adapter: { isFallbackAdapter: boolean; vendor: string; architecture: string } | null;
	/** The model's repo on WebGPU (and the WASM path it is compared with), null where there is no adapter. */
	model: 'heavy' | 'tiny' | null;
	device: string | null;
	dtype: string | null;
	labels: LabelScore[];
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
	/** Silero's speech probability per window: the app's task (rounded to 3 places) and the bare worker's. */
	vad: { appProbabilities: number[]; ortProbabilities: number[]; threads: number };
	/** The recogniser's output on the bare workers (all threads, one). */
	ocr: { all: number[]; one: number[] };
	webgpu: WebGpuSetup;
}

/** What the main thread went through during one measured window. */
export interface MainThreadSample {
	ms: number;
	/** Long tasks (> 50 ms) the page reported during the window. */
	longTasks: number;
	longestTaskMs: number;
	/** The longest gap between two animation frames, i.e. the longest the page could not paint. */
	longestFrameGapMs: number;
	frames: number;
}

export type MainThreadSide = 'app' | 'control';
export type MainThreadPhase = 'load' | 'inference';

/** One timed call: page-side round trip, and the time the worker itself reports for the work. */
export interface CallTiming {
	ms: number;
	workerMs: number;
}

export interface RuntimePageApi {
	setup(setup: RuntimeSetup): Promise<RuntimeReady>;
	/** Runs `calls` calls one after another on one path and times each. */
	measure(path: RuntimePath, calls: number): Promise<CallTiming[]>;
	/** Prepares the main-thread comparison on `repo` (loaded in the app's pool and on the page's main thread). */
	setupMainThread(repo: string, text: string): Promise<{ appLabel: string; controlLabel: string }>;
	/** One load or one inference, by the app's workers or on the main thread, with what the main thread saw. */
	mainThread(side: MainThreadSide, phase: MainThreadPhase): Promise<MainThreadSample>;
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
	| { kind: 'init-ort'; runtime: BareRuntime; modelUrl: string; program: BareProgram }
	| { kind: 'init-pipeline'; runtime: BareRuntime; hub: string; repo: string; dtype: Dtype }
	| { kind: 'run'; text: string };

export type BareReply =
	| { ok: true; workerMs: number; values: number[] }
	| { ok: true; workerMs: number; labels: LabelScore[] }
	| { ok: false; error: SerializedError };

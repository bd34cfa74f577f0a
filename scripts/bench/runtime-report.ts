// What the runtime suite of `npm run bench` records (every call's time and every main-thread window, in the
// JSON it writes), and its detailed markdown: each path's calls and throughput, and what each path computed.

import type { Machine } from './report.ts';
import type {
	MainThreadPhase,
	MainThreadSample,
	MainThreadSide,
	RuntimePath,
	WebGpuSetup
} from './runtime-page/protocol.ts';
import { quantile, summarize } from './stats.ts';

/** Where a timed call ran: a path of the bench page, or onnxruntime-node in the driver's own process. */
export type SamplePath = RuntimePath | 'node' | 'node-vad' | 'node-ocr';

/** Paths timed together in a round (a path may be in two: the tiny model is WebGPU's WASM twin too). */
export type SampleGroup = 'matmul' | 'tiny' | 'vad' | 'ocr' | 'webgpu';

export interface RuntimeSample {
	group: SampleGroup;
	round: number;
	warmup: boolean;
	path: SamplePath;
	/** Each call's time, from the request to the reply (for node: around the call). */
	ms: number[];
	/** The time the worker reports for the work itself (ModelHost's inferenceMs, or around session.run / the pipeline call). */
	workerMs: number[];
}

export interface MainThreadRun extends MainThreadSample {
	round: number;
	warmup: boolean;
	side: MainThreadSide;
	phase: MainThreadPhase;
}

export interface RuntimeBenchResult {
	benchmark: 'runtime';
	date: string;
	machine: Machine;
	settings: {
		warmups: number;
		pairs: number;
		/** Calls per round on each path (heavy paths, tiny model); a round's figure is their median. */
		heavyCalls: number;
		tinyCalls: number;
		threads: number;
		hardwareConcurrency: number;
		crossOriginIsolated: boolean;
		onnxruntimeNode: string;
		vadSeconds: number;
		vadThreads: number;
	};
	models: {
		heavy: { repo: string; path: string; bytes: number; gflopPerCall: number; dtype: string; device: string };
		tiny: { repo: string; dtype: string; device: string };
		long: { repo: string; bytes: number; gflopPerCall: number };
		vad: { repo: string; path: string; bytes: number };
		ocr: { repo: string; path: string; bytes: number };
		webgpu: WebGpuSetup;
	};
	/** What each path computed, so a fast but wrong path shows. */
	checks: {
		heavyText: string;
		heavyLabel: string;
		/** Largest |logit difference| between the bare ORT-web workers and onnxruntime-node. */
		maxLogitDiffWebVsNode: number;
		tinyText: string;
		tinyLabel: string;
		maxVadDiffAppVsBare: number;
		maxVadDiffWebVsNode: number;
		maxOcrDiffWebVsNode: number;
	};
	samples: RuntimeSample[];
	mainThread: MainThreadRun[];
	notes: string[];
}

/** One figure per measured round for a path of a group: the median of its calls in that round. */
export function perRound(result: RuntimeBenchResult, group: SampleGroup, path: SamplePath): number[] {
	return result.samples
		.filter((sample) => !sample.warmup && sample.group === group && sample.path === path)
		.sort((x, y) => x.round - y.round)
		.map((sample) => quantile(sample.ms, 0.5));
}

export const PATHS: Record<SamplePath, string> = {
	'app-heavy': 'app: WorkerPool → inference worker → transformers.js (MatMul classifier)',
	'ort-all': 'bare onnxruntime-web worker, all threads (MatMul classifier)',
	'ort-one': 'bare onnxruntime-web worker, 1 thread (MatMul classifier)',
	node: 'onnxruntime-node, same threads (MatMul classifier)',
	'app-tiny': 'app: WorkerPool → inference worker → transformers.js (tiny-sentiment)',
	'pipeline-tiny': 'bare transformers.js pipeline worker (tiny-sentiment)',
	'app-vad': "app: WorkerPool → inference worker → the VAD task's ONNX pipeline (Silero VAD)",
	'ort-vad': 'bare onnxruntime-web worker, same windows (Silero VAD)',
	'node-vad': 'onnxruntime-node, same windows (Silero VAD)',
	'ort-ocr-all': 'bare onnxruntime-web worker, all threads (PP-OCRv4 rec)',
	'ort-ocr-one': 'bare onnxruntime-web worker, 1 thread (PP-OCRv4 rec)',
	'node-ocr': 'onnxruntime-node, all threads (PP-OCRv4 rec)',
	'app-webgpu': 'app on WebGPU'
};

const ms = (value: number): string => `${value < 10 ? value.toFixed(2) : value.toFixed(1)} ms`;

function pathTable(result: RuntimeBenchResult): string {
	const gflop = result.models.heavy.gflopPerCall;
	const heavy: readonly SamplePath[] = ['app-heavy', 'ort-all', 'ort-one', 'node'];
	const rows = (Object.keys(PATHS) as SamplePath[]).flatMap((path) => {
		const samples = result.samples.filter((sample) => !sample.warmup && sample.path === path);
		if (samples.length === 0) return [];
		const total = summarize(samples.flatMap((sample) => sample.ms));
		const inWorker = summarize(samples.flatMap((sample) => sample.workerMs));
		const native = path.startsWith('node');
		return [
			`| ${PATHS[path]} | ${total.n} | ${ms(total.median)} / ${ms(total.p90)} | ${ms(inWorker.median)} | ` +
				`${native ? '—' : ms(total.median - inWorker.median)} | ` +
				`${heavy.includes(path) ? `${(gflop / (total.median / 1000)).toFixed(0)} GFLOP/s` : '—'} |`
		];
	});
	return [
		'| Path | Calls | Call median / p90 | Worker-side median | Outside the work | Throughput |',
		'| --- | --- | --- | --- | --- | --- |',
		...rows
	].join('\n');
}

export function renderRuntimeDetails(result: RuntimeBenchResult): string {
	const { settings, checks, models } = result;
	const gpu = models.webgpu.adapter;
	return [
		'### Runtime suite: every path',
		'',
		`ORT WASM with ${settings.threads} threads (the app's plan), crossOriginIsolated ${settings.crossOriginIsolated}, ` +
			`hardwareConcurrency ${settings.hardwareConcurrency}; onnxruntime-node ${settings.onnxruntimeNode}. WebGPU ` +
			`adapter: ${gpu ? `${gpu.vendor || 'unknown vendor'} ${gpu.architecture}${gpu.isFallbackAdapter ? ' (software)' : ''}, model ran on ${models.webgpu.device}/${models.webgpu.dtype}` : 'none'}.`,
		`Checks: "${checks.heavyText}" → ${checks.heavyLabel} on every heavy path (ORT-web vs onnxruntime-node logits ` +
			`within ${checks.maxLogitDiffWebVsNode.toExponential(1)}); "${checks.tinyText}" → ${checks.tinyLabel}; Silero ` +
			`VAD app vs bare within ${checks.maxVadDiffAppVsBare.toExponential(1)}, web vs node within ` +
			`${checks.maxVadDiffWebVsNode.toExponential(1)}; PP-OCRv4 rec web vs node within ${checks.maxOcrDiffWebVsNode.toExponential(1)}.`,
		'',
		pathTable(result),
		'',
		...result.notes.map((note) => `- ${note}`),
		''
	].join('\n');
}

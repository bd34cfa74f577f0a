// The runtime suite's rows of the one bench table: inference overhead (app ÷ bare onnxruntime-web, on the MatMul
// classifier and on Silero VAD), the fixed cost of a call, threads, browser vs native, WebGPU vs WASM, and the
// page's main thread during load and inference (app ÷ the same work on the main thread).

import { pairedRow, type BenchRow, type RowInput } from './rows.ts';
import {
	PATHS,
	perRound,
	type MainThreadRun,
	type RuntimeBenchResult,
	type SampleGroup,
	type SamplePath
} from './runtime-report.ts';
import type { MainThreadPhase, MainThreadSide } from './runtime-page/protocol.ts';
import { summarize } from './stats.ts';

export const RUNTIME_TARGETS = {
	/** One inference through the app's worker protocol ÷ a bare ORT-web worker. */
	appOverBareOrt: 1.05,
	/** The app's fixed cost per call over a bare transformers.js pipeline worker, in ms. */
	fixedCostMs: 0.5,
	/** Long tasks on the page while the app loads or runs a model. */
	appLongTasks: 0
} as const;

const mb = (bytes: number): string => `${(bytes / 1e6).toFixed(1)} MB`;

function mainThreadSide(
	result: RuntimeBenchResult,
	side: MainThreadSide,
	phase: MainThreadPhase
): MainThreadRun[] {
	return result.mainThread
		.filter((run) => !run.warmup && run.side === side && run.phase === phase)
		.sort((a, b) => a.round - b.round);
}

export function runtimeRows(result: RuntimeBenchResult): BenchRow[] {
	const { settings, models, machine } = result;
	const runs = (callsPerRun: number) => ({ pairs: settings.pairs, warmups: settings.warmups, callsPerRun });
	const all = String(settings.threads);
	const heavyModel = `${models.heavy.repo} (${mb(models.heavy.bytes)} fp32, ${models.heavy.gflopPerCall.toFixed(2)} GFLOP a call)`;
	const tinyModel = `${models.tiny.repo} (${models.tiny.dtype})`;
	const vadModel = `${models.vad.repo} (Silero VAD v5, ${mb(models.vad.bytes)}, ${settings.vadSeconds} s of audio a call)`;
	const ocrModel = `${models.ocr.repo} ${models.ocr.path} (${mb(models.ocr.bytes)}, one [1, 3, 48, 320] line)`;
	const row = (
		id: string,
		group: string,
		sampleGroup: SampleGroup,
		a: SamplePath,
		b: SamplePath,
		rest: Pick<RowInput, 'model' | 'backend' | 'threads' | 'runs'> & Partial<RowInput>
	): BenchRow =>
		pairedRow({
			id,
			group,
			a: PATHS[a],
			b: PATHS[b],
			unit: 'ms',
			aValues: perRound(result, sampleGroup, a),
			bValues: perRound(result, sampleGroup, b),
			target: null,
			...rest
		});
	const withTarget = (built: BenchRow, text: string, met: (built: BenchRow) => boolean): BenchRow => ({
		...built,
		target: { text, met: met(built) }
	});
	const overhead = (built: BenchRow) =>
		withTarget(
			built,
			`≤ ${RUNTIME_TARGETS.appOverBareOrt}×`,
			(r) => r.ratio.median <= RUNTIME_TARGETS.appOverBareOrt
		);
	const anchors = 'published anchors: 2.2× to 16.9× slower in the browser';

	const rows: BenchRow[] = [
		overhead(
			row('inference-overhead/matmul', 'Inference overhead', 'matmul', 'app-heavy', 'ort-all', {
				model: heavyModel,
				backend: 'WASM',
				threads: all,
				runs: runs(settings.heavyCalls)
			})
		),
		overhead(
			row('inference-overhead/silero-vad', 'Inference overhead', 'vad', 'app-vad', 'ort-vad', {
				model: vadModel,
				backend: 'WASM',
				threads: String(settings.vadThreads),
				runs: runs(1)
			})
		),
		withTarget(
			row('fixed-cost/tiny', 'Fixed cost per call', 'tiny', 'app-tiny', 'pipeline-tiny', {
				model: tinyModel,
				backend: 'WASM',
				threads: all,
				runs: runs(settings.tinyCalls),
				withDifference: true
			}),
			`A−B ≤ ${RUNTIME_TARGETS.fixedCostMs} ms`,
			(r) => (r.difference?.median ?? Infinity) <= RUNTIME_TARGETS.fixedCostMs
		),
		row('threads/matmul', 'Threads', 'matmul', 'ort-one', 'ort-all', {
			model: heavyModel,
			backend: 'WASM, cross-origin isolated',
			threads: `1 vs ${all} (${machine.cores} cores)`,
			runs: runs(settings.heavyCalls)
		}),
		row('threads/ppocr-rec', 'Threads', 'ocr', 'ort-ocr-one', 'ort-ocr-all', {
			model: ocrModel,
			backend: 'WASM, cross-origin isolated',
			threads: `1 vs ${all} (${machine.cores} cores)`,
			runs: runs(settings.heavyCalls)
		}),
		row('browser-vs-native/matmul-app', 'Browser vs native', 'matmul', 'app-heavy', 'node', {
			model: heavyModel,
			backend: `WASM vs onnxruntime-node ${settings.onnxruntimeNode} CPU`,
			threads: all,
			runs: runs(settings.heavyCalls),
			note: anchors
		}),
		row('browser-vs-native/matmul-bare', 'Browser vs native', 'matmul', 'ort-all', 'node', {
			model: heavyModel,
			backend: `WASM vs onnxruntime-node ${settings.onnxruntimeNode} CPU`,
			threads: all,
			runs: runs(settings.heavyCalls)
		}),
		row('browser-vs-native/silero-vad', 'Browser vs native', 'vad', 'ort-vad', 'node-vad', {
			model: vadModel,
			backend: `WASM vs onnxruntime-node ${settings.onnxruntimeNode} CPU`,
			threads: String(settings.vadThreads),
			runs: runs(1)
		}),
		row('browser-vs-native/ppocr-rec', 'Browser vs native', 'ocr', 'ort-ocr-all', 'node-ocr', {
			model: ocrModel,
			backend: `WASM vs onnxruntime-node ${settings.onnxruntimeNode} CPU`,
			threads: all,
			runs: runs(settings.heavyCalls)
		})
	];

	const gpu = models.webgpu;
	if (gpu.adapter && gpu.model) {
		const twin: SamplePath = gpu.model === 'heavy' ? 'app-heavy' : 'app-tiny';
		const software = gpu.adapter.isFallbackAdapter;
		const built = row('webgpu-vs-wasm', 'WebGPU vs WASM', 'webgpu', 'app-webgpu', twin, {
			model: gpu.model === 'heavy' ? heavyModel : tinyModel,
			backend: `${gpu.device}/${gpu.dtype} on ${gpu.adapter.vendor || 'unknown'} ${gpu.adapter.architecture} vs WASM`,
			threads: `— vs ${all}`,
			runs: runs(gpu.model === 'heavy' ? settings.heavyCalls : settings.tinyCalls),
			note: software
				? 'software adapter, not a speed figure'
				: gpu.device !== 'webgpu'
					? 'fell back to WASM'
					: undefined
		});
		built.a = `${PATHS['app-webgpu']} (${gpu.model === 'heavy' ? 'MatMul classifier' : 'tiny-sentiment'})`;
		rows.push(built);
	}

	for (const phase of ['load', 'inference'] as const) {
		const app = mainThreadSide(result, 'app', phase);
		const control = mainThreadSide(result, 'control', phase);
		const appTasks = summarize(app.map((run) => run.longTasks));
		const controlTasks = summarize(control.map((run) => run.longTasks));
		const built = pairedRow({
			id: `main-thread/${phase}`,
			group: `Main thread during ${phase}`,
			a: `longest frame gap on the page while the app's workers ${phase === 'load' ? 'load' : 'run'} the model`,
			b: `the same, ${phase === 'load' ? 'loading' : 'running'} it with transformers.js on the main thread (control)`,
			model: `${models.long.repo} (${mb(models.long.bytes)} fp32, ${models.long.gflopPerCall.toFixed(2)} GFLOP a call)`,
			backend: 'WASM',
			threads: all,
			runs: runs(1),
			unit: 'ms',
			aValues: app.map((run) => run.longestFrameGapMs),
			bValues: control.map((run) => run.longestFrameGapMs),
			target: {
				text: '0 long tasks (app)',
				met: appTasks.max <= RUNTIME_TARGETS.appLongTasks
			},
			note:
				`long tasks > 50 ms: app median ${appTasks.median}, max ${appTasks.max}; ` +
				`control median ${controlTasks.median}, max ${controlTasks.max}`
		});
		rows.push(built);
	}
	return rows;
}

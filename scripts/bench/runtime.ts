// The runtime suite of `npm run bench`: what the app's runtime costs around ONNX Runtime, measured side by side
// in one Chromium run on one machine. One inference through the app's worker protocol (WorkerPool, the inference
// worker, ModelHost, the task, transformers.js) against a bare onnxruntime-web worker on the same ONNX file,
// backend and threads (the MatMul classifier, and Silero VAD through the app's VAD task); the fixed cost of a
// call on a tiny model against a bare transformers.js pipeline worker; WASM on one thread against all (MatMul
// classifier, PaddleOCR's recogniser); the browser against onnxruntime-node on this machine; WebGPU against
// WASM; and the page's main thread while a model loads and runs in the app's workers, against the same work
// on the main thread. It measures; it never asserts a time.

import { createRequire } from 'node:module';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { AutoTokenizer, env as transformersEnv } from '@huggingface/transformers';
import * as ortNode from 'onnxruntime-node';
import { chromium, type Page } from 'playwright-core';
import { voicedSound } from '../../src/lib/tasks/voice-activity-detection.ts';
import { CHROMIUM_ARGS } from '../chromium.ts';
import { seededNoise } from '../fixtures/weights.ts';
import { startHub } from '../hub/server.ts';
import { describeMachine, waitForQuiet } from './machine.ts';
import type { BenchOptions } from './options.ts';
import { ensurePageBuild, RUNTIME_PAGE, startPageServer } from './pages.ts';
import { prepareProgram, type BareProgram, type TensorMaker } from './runtime-page/programs.ts';
import type {
	CallTiming,
	MainThreadPhase,
	MainThreadSide,
	RuntimePath,
	RuntimeReady,
	RuntimeSetup,
	RuntimeWindow
} from './runtime-page/protocol.ts';
import { matmulFlops, MATMUL_MODEL_PATH, OCR_REC_PATH, writeRuntimeModels } from './runtime-models.ts';
import type {
	MainThreadRun,
	RuntimeBenchResult,
	RuntimeSample,
	SampleGroup,
	SamplePath
} from './runtime-report.ts';
import { quantile } from './stats.ts';

/**
 * A pause between two paths of a round: ONNX Runtime's thread pools spin for a moment after a run, and a
 * spinning pool of one worker must not slow the next path's run in another.
 */
const PAUSE_MS = 50;
const HEAVY_TEXT = 'I love this film';
const TINY_TEXT = 'I love this';
/** A PaddleOCR text line: [1, 3, 48, 320], the recogniser's input for a line of about 20 characters. */
const OCR_DIMS = [1, 3, 48, 320];

const log = (line: string): void => void process.stderr.write(`${line}\n`);
const pause = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

function benchApi(page: Page) {
	return {
		setup: (setup: RuntimeSetup): Promise<RuntimeReady> =>
			page.evaluate((s) => (window as unknown as RuntimeWindow).browserveRuntimeBench.setup(s), setup),
		measure: (path: RuntimePath, calls: number): Promise<CallTiming[]> =>
			page.evaluate(({ p, n }) => (window as unknown as RuntimeWindow).browserveRuntimeBench.measure(p, n), {
				p: path,
				n: calls
			}),
		setupMainThread: (repo: string, text: string) =>
			page.evaluate(
				({ r, t }) => (window as unknown as RuntimeWindow).browserveRuntimeBench.setupMainThread(r, t),
				{ r: repo, t: text }
			),
		mainThread: (side: MainThreadSide, phase: MainThreadPhase) =>
			page.evaluate(
				({ s, p }) => (window as unknown as RuntimeWindow).browserveRuntimeBench.mainThread(s, p),
				{ s: side, p: phase }
			)
	};
}

/** The token ids transformers.js' tokenizer gives `text`, which the bare ONNX Runtime paths are fed. */
async function tokenize(hubDir: string, repo: string, text: string): Promise<number[]> {
	transformersEnv.allowRemoteModels = false;
	transformersEnv.localModelPath = `${hubDir}/`;
	const tokenizer = await AutoTokenizer.from_pretrained(repo);
	const encoded = tokenizer(text);
	return Array.from(encoded.input_ids.data as BigInt64Array, Number);
}

const nodeTensors: TensorMaker<ortNode.Tensor> = {
	float32: (data, dims) => new ortNode.Tensor('float32', data, dims),
	int64: (data, dims) => new ortNode.Tensor('int64', data, dims)
};

/** The same ONNX file on onnxruntime-node with the same threads and feeds, timed around the calls here. */
async function nativeSession(file: string, program: BareProgram, threads: number) {
	const session = await ortNode.InferenceSession.create(file, {
		intraOpNumThreads: threads,
		interOpNumThreads: 1,
		executionMode: 'sequential'
	});
	const call = prepareProgram(nodeTensors, session, program);
	return {
		values: await call(true),
		measure: async (calls: number): Promise<CallTiming[]> => {
			const timings: CallTiming[] = [];
			for (let i = 0; i < calls; i++) {
				const started = performance.now();
				await call();
				const ms = performance.now() - started;
				timings.push({ ms, workerMs: ms });
			}
			return timings;
		},
		release: () => session.release()
	};
}

function topLabel(labels: readonly { label: string; score: number }[]): string {
	return [...labels].sort((a, b) => b.score - a.score)[0]?.label ?? 'none';
}

function argmaxLabel(logits: readonly number[]): string {
	return (logits[1] ?? 0) > (logits[0] ?? 0) ? 'POSITIVE' : 'NEGATIVE';
}

function maxDiff(a: readonly number[], b: readonly number[]): number {
	if (a.length !== b.length) return Infinity;
	// A loop, not Math.max(...): the recogniser's output has 265,000 values, more than a call's arguments.
	let max = 0;
	for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs((a[i] ?? NaN) - (b[i] ?? NaN)));
	return max;
}

function onnxruntimeNodeVersion(): string {
	const require = createRequire(import.meta.url);
	return (require('onnxruntime-node/package.json') as { version: string }).version;
}

/** Runs the runtime suite in its own Chromium and returns every call's time and what each path computed. */
export async function runRuntimeSuite(
	options: BenchOptions,
	chromiumPath: string
): Promise<RuntimeBenchResult> {
	const { warmups, pairs, heavyCalls, tinyCalls } = options;
	const pagesDir = join(options.cacheDir, 'runtime-pages');
	await ensurePageBuild(pagesDir, log, RUNTIME_PAGE);
	const models = await writeRuntimeModels(options.hubDir, {
		hidden: options.matmulHidden,
		longRows: options.mainThreadRows
	});
	const heavyIds = await tokenize(options.hubDir, models.heavy.id, HEAVY_TEXT);
	const vadSamples = Array.from(voicedSound(options.vadSeconds));
	const noise = seededNoise(5);
	const ocrProgram = {
		kind: 'tensor' as const,
		input: 'x',
		dims: OCR_DIMS,
		data: Array.from({ length: OCR_DIMS.reduce((a, b) => a * b, 1) }, () => noise()),
		output: 'softmax_11.tmp_0'
	};

	const hub = await startHub({ dir: options.hubDir });
	const pages = await startPageServer(pagesDir);
	// Storage speed is not measured here: a default (in-memory) context is enough.
	const browser = await chromium.launch({
		executablePath: chromiumPath,
		args: CHROMIUM_ARGS,
		headless: true
	});
	const natives: { release(): Promise<void> }[] = [];
	try {
		const page = await browser.newPage();
		page.on('console', (message) => {
			if (message.type() === 'error') log(`  [page] ${message.text()}`);
		});
		page.on('pageerror', (error) => log(`  [page] ${error.message}`));
		await page.goto(pages.url);
		await page.waitForFunction(() => 'browserveRuntimeBench' in window);
		const version = (await browser.version()).replace(/^.*?\//, '');
		const api = benchApi(page);
		log('Loading the models in the app’s workers and the bare workers…');
		const ready = await api.setup({
			hub: hub.url,
			heavy: { repo: models.heavy.id, text: HEAVY_TEXT, inputIds: heavyIds },
			tiny: { repo: models.tiny.id, text: TINY_TEXT },
			vad: { repo: models.vad.id, samples: vadSamples },
			ocr: { repo: models.ocr.id, path: OCR_REC_PATH, program: ocrProgram }
		});
		const native = await nativeSession(
			models.heavyModelFile,
			{ kind: 'classifier', inputIds: heavyIds },
			ready.threads
		);
		const nativeVad = await nativeSession(
			models.vadModelFile,
			{ kind: 'vad', samples: vadSamples },
			ready.vad.threads
		);
		const nativeOcr = await nativeSession(models.ocrRecFile, ocrProgram, ready.threads);
		natives.push(native, nativeVad, nativeOcr);

		// A fast path that computes the wrong thing must not make it into the figures.
		const heavyLabels = [
			topLabel(ready.heavy.labels),
			argmaxLabel(ready.ortLogits.all),
			argmaxLabel(ready.ortLogits.one),
			argmaxLabel(native.values)
		];
		const tinyLabels = [topLabel(ready.tiny.labels), topLabel(ready.pipelineLabels)];
		if (ready.webgpu.model) {
			const expected = ready.webgpu.model === 'heavy' ? heavyLabels : tinyLabels;
			expected.push(topLabel(ready.webgpu.labels));
		}
		if (new Set(heavyLabels).size !== 1 || new Set(tinyLabels).size !== 1) {
			throw new Error(`The paths disagree: heavy ${heavyLabels.join(', ')}; tiny ${tinyLabels.join(', ')}.`);
		}
		const checks = {
			heavyText: HEAVY_TEXT,
			heavyLabel: heavyLabels[0] ?? '',
			maxLogitDiffWebVsNode: Math.max(
				maxDiff(native.values, ready.ortLogits.all),
				maxDiff(native.values, ready.ortLogits.one)
			),
			tinyText: TINY_TEXT,
			tinyLabel: tinyLabels[0] ?? '',
			// The app rounds probabilities to 3 places for the page: anything within 0.0005 + float noise agrees.
			maxVadDiffAppVsBare: maxDiff(ready.vad.appProbabilities, ready.vad.ortProbabilities),
			maxVadDiffWebVsNode: maxDiff(ready.vad.ortProbabilities, nativeVad.values),
			maxOcrDiffWebVsNode: Math.max(
				maxDiff(ready.ocr.all, nativeOcr.values),
				maxDiff(ready.ocr.one, nativeOcr.values)
			)
		};
		if (
			checks.maxVadDiffAppVsBare > 0.002 ||
			checks.maxVadDiffWebVsNode > 1e-3 ||
			checks.maxOcrDiffWebVsNode > 1e-3
		) {
			throw new Error(`The paths disagree on Silero VAD or PaddleOCR: ${JSON.stringify(checks)}.`);
		}
		log(
			`Chromium ${version}, crossOriginIsolated ${ready.crossOriginIsolated}, ${ready.threads} threads; ` +
				`WebGPU adapter: ${ready.webgpu.adapter ? `${ready.webgpu.adapter.architecture || ready.webgpu.adapter.vendor}${ready.webgpu.adapter.isFallbackAdapter ? ' (software)' : ''}` : 'none'}.`
		);

		const groups: { group: SampleGroup; paths: SamplePath[]; calls: number }[] = [
			{ group: 'matmul', paths: ['app-heavy', 'ort-all', 'ort-one', 'node'], calls: heavyCalls },
			{ group: 'tiny', paths: ['app-tiny', 'pipeline-tiny'], calls: tinyCalls },
			{ group: 'vad', paths: ['app-vad', 'ort-vad', 'node-vad'], calls: 1 },
			{ group: 'ocr', paths: ['ort-ocr-all', 'ort-ocr-one', 'node-ocr'], calls: heavyCalls }
		];
		if (ready.webgpu.model) {
			// The WASM side is the same model through the same app path, timed in the same round.
			const wasmTwin: SamplePath = ready.webgpu.model === 'heavy' ? 'app-heavy' : 'app-tiny';
			groups.push({
				group: 'webgpu',
				paths: ['app-webgpu', wasmTwin],
				calls: ready.webgpu.model === 'heavy' ? heavyCalls : tinyCalls
			});
		}
		const nativeOf: Partial<Record<SamplePath, (calls: number) => Promise<CallTiming[]>>> = {
			node: native.measure,
			'node-vad': nativeVad.measure,
			'node-ocr': nativeOcr.measure
		};
		const samples: RuntimeSample[] = [];
		log(`${warmups} warm-up rounds, then ${pairs} measured rounds…`);
		for (let round = 0; round < warmups + pairs; round++) {
			const line: string[] = [];
			for (const group of groups) {
				// The order turns every round, so no path always runs first (or always right after another).
				const order = group.paths.map((_, i) => group.paths[(i + round) % group.paths.length] as SamplePath);
				for (const path of order) {
					// Other work on the machine (a build, a test run) would land in one path's sample only.
					if (options.quietMs > 0) await waitForQuiet(0.1, 250, Math.min(options.quietMs, 2_000));
					const nativeRun = nativeOf[path];
					const timings = nativeRun
						? await nativeRun(group.calls)
						: await api.measure(path as RuntimePath, group.calls);
					samples.push({
						group: group.group,
						round,
						warmup: round < warmups,
						path,
						ms: timings.map((timing) => timing.ms),
						workerMs: timings.map((timing) => timing.workerMs)
					});
					line.push(
						`${path} ${quantile(
							timings.map((timing) => timing.ms),
							0.5
						).toFixed(1)}`
					);
					await pause(PAUSE_MS);
				}
			}
			log(`  ${round < warmups ? 'warm-up' : 'round'} ${round + 1} (ms): ${line.join(', ')}`);
		}

		log('Main thread: loads and inferences by the app’s workers and on the main thread…');
		const mainLabels = await api.setupMainThread(models.long.id, HEAVY_TEXT);
		if (mainLabels.appLabel !== mainLabels.controlLabel) {
			throw new Error(`The main-thread paths disagree: ${JSON.stringify(mainLabels)}.`);
		}
		const mainThread: MainThreadRun[] = [];
		for (let round = 0; round < warmups + pairs; round++) {
			const sides: MainThreadSide[] = round % 2 === 0 ? ['app', 'control'] : ['control', 'app'];
			for (const phase of ['load', 'inference'] as const) {
				for (const side of sides) {
					if (options.quietMs > 0) await waitForQuiet(0.1, 250, Math.min(options.quietMs, 2_000));
					const sample = await api.mainThread(side, phase);
					mainThread.push({ round, warmup: round < warmups, side, phase, ...sample });
				}
			}
		}

		return {
			benchmark: 'runtime',
			date: new Date().toISOString().slice(0, 10),
			machine: describeMachine(chromiumPath, version),
			settings: {
				warmups,
				pairs,
				heavyCalls,
				tinyCalls,
				threads: ready.threads,
				hardwareConcurrency: ready.hardwareConcurrency,
				crossOriginIsolated: ready.crossOriginIsolated,
				onnxruntimeNode: onnxruntimeNodeVersion(),
				vadSeconds: options.vadSeconds,
				vadThreads: ready.vad.threads
			},
			models: {
				heavy: {
					repo: models.heavy.id,
					path: MATMUL_MODEL_PATH,
					bytes: (await stat(models.heavyModelFile)).size,
					gflopPerCall: matmulFlops({ hidden: options.matmulHidden }) / 1e9,
					dtype: ready.heavy.dtype,
					device: ready.heavy.device
				},
				tiny: { repo: models.tiny.id, dtype: ready.tiny.dtype, device: ready.tiny.device },
				long: {
					repo: models.long.id,
					bytes: (await stat(models.longModelFile)).size,
					gflopPerCall: matmulFlops({ hidden: options.matmulHidden, rows: options.mainThreadRows }) / 1e9
				},
				vad: { repo: models.vad.id, path: 'onnx/model.onnx', bytes: (await stat(models.vadModelFile)).size },
				ocr: { repo: models.ocr.id, path: OCR_REC_PATH, bytes: (await stat(models.ocrRecFile)).size },
				webgpu: ready.webgpu
			},
			checks,
			samples,
			mainThread,
			notes: [
				'Page paths are timed on the page from the request to the reply (postMessage both ways included); ' +
					'the worker-side figure is what the worker reports for the work itself (the app: ModelHost’s ' +
					'inferenceMs, i.e. tokenizer + session.run + post-processing; bare ORT: session.run). ' +
					'onnxruntime-node is timed around session.run in the driver’s own process.',
				'Each round runs every path of a group once, the round’s figure for a path being the median of its ' +
					'calls. The order of the paths turns every round; each path starts once the machine went quiet ' +
					`(CPUs ≤ 10 % busy over 250 ms, waiting at most 2 s) and ${PAUSE_MS} ms after the previous one. ` +
					'Ratios are taken within a round, so a slow moment of the machine lands on both sides.',
				'Workers stay loaded for the whole run, as the app keeps a loaded model: no path pays for loading.',
				'Main thread: long tasks come from PerformanceObserver("longtask"), frame gaps from ' +
					'requestAnimationFrame on the page, over the window from the request to its answer plus two ' +
					'frames. The app loads from its store in a new worker; the control loads with transformers.js on ' +
					'the page from the hub.'
			]
		};
	} finally {
		for (const native of natives) await native.release();
		await browser.close();
		await Promise.all([hub.close(), pages.close()]);
	}
}

// `npm run bench:runtime`: what the app's runtime costs around ONNX Runtime, measured side by side in one
// Chromium run on one machine. (a) One inference through the app's worker protocol (WorkerPool, the inference
// worker, ModelHost, the task, transformers.js) against a bare onnxruntime-web worker on the same ONNX file,
// backend and threads; (b) the fixed cost of a call on a tiny model against a bare transformers.js pipeline
// worker; (c) WASM on one thread against all; (d) the browser against onnxruntime-node on this machine. Prints a
// markdown report and writes every call's time to bench/results/. It measures; it never asserts a time.

import { createRequire } from 'node:module';
import { mkdir, rename, stat, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { AutoTokenizer, env as transformersEnv } from '@huggingface/transformers';
import * as ortNode from 'onnxruntime-node';
import { chromium, type Page } from 'playwright-core';
import { format, resolveConfig } from 'prettier';
import { CHROMIUM_ARGS, findChromium } from '../chromium.ts';
import { startHub } from '../hub/server.ts';
import { describeMachine, waitForQuiet } from './machine.ts';
import { ensurePageBuild, REPO_ROOT, RUNTIME_PAGE, startPageServer } from './pages.ts';
import type {
	CallTiming,
	RuntimePath,
	RuntimeReady,
	RuntimeSetup,
	RuntimeWindow
} from './runtime-page/protocol.ts';
import { quantile } from './stats.ts';
import { matmulFlops, MATMUL_MODEL_PATH, writeRuntimeModels } from './runtime-models.ts';
import {
	renderRuntimeReport,
	type RuntimeBenchResult,
	type RuntimeSample,
	type SamplePath
} from './runtime-report.ts';

const { values: args } = parseArgs({
	options: {
		pairs: { type: 'string', default: '20' },
		warmups: { type: 'string', default: '3' },
		'heavy-calls': { type: 'string', default: '3' },
		'tiny-calls': { type: 'string', default: '20' },
		cache: { type: 'string' }
	}
});

function count(name: string, value: string | undefined, min: number): number {
	const n = Number(value);
	if (!Number.isInteger(n) || n < min)
		throw new Error(`--${name} must be an integer ≥ ${min}, not ${value}.`);
	return n;
}

const PAIRS = count('pairs', args.pairs, 20);
const WARMUPS = count('warmups', args.warmups, 3);
const HEAVY_CALLS = count('heavy-calls', args['heavy-calls'], 1);
const TINY_CALLS = count('tiny-calls', args['tiny-calls'], 5);
const CACHE_DIR = resolve(args.cache ?? join(REPO_ROOT, 'bench/.cache'));
const RESULTS_DIR = join(REPO_ROOT, 'bench/results');
/**
 * A pause between two paths of a round: ONNX Runtime's thread pools spin for a moment after a run, and a
 * spinning pool of one worker must not slow the next path's run in another.
 */
const PAUSE_MS = 50;
const HEAVY_TEXT = 'I love this film';
const TINY_TEXT = 'I love this';

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
			})
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

/** The same ONNX file on onnxruntime-node with the same threads, timed around session.run in this process. */
async function nativeSession(file: string, inputIds: number[], threads: number) {
	const session = await ortNode.InferenceSession.create(file, {
		intraOpNumThreads: threads,
		interOpNumThreads: 1,
		executionMode: 'sequential'
	});
	const dims = [1, inputIds.length];
	const feeds = {
		input_ids: new ortNode.Tensor('int64', BigInt64Array.from(inputIds, BigInt), dims),
		attention_mask: new ortNode.Tensor('int64', new BigInt64Array(inputIds.length).fill(1n), dims)
	};
	const run = async (): Promise<number[]> => {
		const outputs = await session.run(feeds);
		return Array.from((outputs.logits?.data ?? []) as Float32Array);
	};
	return {
		logits: await run(),
		measure: async (calls: number): Promise<CallTiming[]> => {
			const timings: CallTiming[] = [];
			for (let call = 0; call < calls; call++) {
				const started = performance.now();
				await run();
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

async function writeResult(result: RuntimeBenchResult): Promise<string> {
	await mkdir(RESULTS_DIR, { recursive: true });
	const safeHost = result.machine.hostname.replace(/[^A-Za-z0-9.-]/g, '_');
	const path = join(RESULTS_DIR, `${result.date}-${safeHost}-runtime.json`);
	const temp = `${path}.tmp`;
	// Formatted as the repo's Prettier would, so a committed result passes `npm run lint` as written.
	const options = { ...(await resolveConfig(path)), filepath: path };
	await writeFile(temp, await format(JSON.stringify(result), options));
	await rename(temp, path);
	return path;
}

function onnxruntimeNodeVersion(): string {
	const require = createRequire(import.meta.url);
	return (require('onnxruntime-node/package.json') as { version: string }).version;
}

async function main(): Promise<void> {
	const started = performance.now();
	const chromiumPath = findChromium();
	if (!chromiumPath) throw new Error('No Chromium found: install Debian’s chromium or set CHROMIUM_PATH.');
	const pagesDir = join(CACHE_DIR, 'runtime-pages');
	const hubDir = join(CACHE_DIR, 'hub');
	await ensurePageBuild(pagesDir, log, RUNTIME_PAGE);
	const models = await writeRuntimeModels(hubDir);
	const heavyIds = await tokenize(hubDir, models.heavy.id, HEAVY_TEXT);

	const hub = await startHub({ dir: hubDir });
	const pages = await startPageServer(pagesDir);
	// Storage speed is not measured here: a default (in-memory) context is enough.
	const browser = await chromium.launch({
		executablePath: chromiumPath,
		args: CHROMIUM_ARGS,
		headless: true
	});
	let native: Awaited<ReturnType<typeof nativeSession>> | null = null;
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
		log('Loading both models in the app’s workers and the bare workers…');
		const ready = await api.setup({
			hub: hub.url,
			heavy: { repo: models.heavy.id, text: HEAVY_TEXT, inputIds: heavyIds },
			tiny: { repo: models.tiny.id, text: TINY_TEXT }
		});
		native = await nativeSession(models.heavyModelFile, heavyIds, ready.threads);

		// A fast path that computes the wrong thing must not make it into the figures.
		const heavyLabels = [
			topLabel(ready.heavy.labels),
			argmaxLabel(ready.ortLogits.all),
			argmaxLabel(ready.ortLogits.one),
			argmaxLabel(native.logits)
		];
		const tinyLabels = [topLabel(ready.tiny.labels), topLabel(ready.pipelineLabels)];
		if (new Set(heavyLabels).size !== 1 || new Set(tinyLabels).size !== 1) {
			throw new Error(`The paths disagree: heavy ${heavyLabels.join(', ')}; tiny ${tinyLabels.join(', ')}.`);
		}
		const maxLogitDiffWebVsNode = Math.max(
			...native.logits.map((value, i) =>
				Math.max(
					Math.abs(value - (ready.ortLogits.all[i] ?? NaN)),
					Math.abs(value - (ready.ortLogits.one[i] ?? NaN))
				)
			)
		);
		log(
			`Chromium ${version}, crossOriginIsolated ${ready.crossOriginIsolated}, ${ready.threads} threads; ` +
				`heavy model ${ready.heavy.device}/${ready.heavy.dtype}, tiny ${ready.tiny.device}/${ready.tiny.dtype}.`
		);

		const heavyPaths: SamplePath[] = ['app-heavy', 'ort-all', 'ort-one', 'node'];
		const tinyPaths: SamplePath[] = ['app-tiny', 'pipeline-tiny'];
		const samples: RuntimeSample[] = [];
		const measure = async (path: SamplePath, calls: number): Promise<CallTiming[]> =>
			path === 'node' ? (native?.measure(calls) ?? []) : api.measure(path, calls);
		log(`${WARMUPS} warm-up rounds, then ${PAIRS} measured rounds…`);
		for (let round = 0; round < WARMUPS + PAIRS; round++) {
			// The order turns every round, so no path always runs first (or always right after another).
			const order = [
				...heavyPaths.map((_, i) => heavyPaths[(i + round) % heavyPaths.length] as SamplePath),
				...(round % 2 === 0 ? tinyPaths : [...tinyPaths].reverse())
			];
			const line: string[] = [];
			for (const path of order) {
				// Other work on the machine (a build, a test run) would land in one path's sample only.
				await waitForQuiet(0.1, 250, 2_000);
				const calls = tinyPaths.includes(path) ? TINY_CALLS : HEAVY_CALLS;
				const timings = await measure(path, calls);
				samples.push({
					round,
					warmup: round < WARMUPS,
					path,
					ms: timings.map((timing) => timing.ms),
					workerMs: timings.map((timing) => timing.workerMs)
				});
				const median = quantile(
					timings.map((timing) => timing.ms),
					0.5
				);
				line.push(`${path} ${median.toFixed(tinyPaths.includes(path) ? 2 : 1)} ms`);
				await pause(PAUSE_MS);
			}
			log(`  ${round < WARMUPS ? 'warm-up' : 'round'} ${round + 1}: ${line.join(', ')}`);
		}

		const result: RuntimeBenchResult = {
			benchmark: 'runtime',
			date: new Date().toISOString().slice(0, 10),
			machine: describeMachine(chromiumPath, version),
			settings: {
				warmups: WARMUPS,
				pairs: PAIRS,
				heavyCalls: HEAVY_CALLS,
				tinyCalls: TINY_CALLS,
				threads: ready.threads,
				hardwareConcurrency: ready.hardwareConcurrency,
				crossOriginIsolated: ready.crossOriginIsolated,
				onnxruntimeNode: onnxruntimeNodeVersion()
			},
			models: {
				heavy: {
					repo: models.heavy.id,
					path: MATMUL_MODEL_PATH,
					bytes: (await stat(models.heavyModelFile)).size,
					gflopPerCall: matmulFlops() / 1e9,
					dtype: ready.heavy.dtype,
					device: ready.heavy.device
				},
				tiny: { repo: models.tiny.id, dtype: ready.tiny.dtype, device: ready.tiny.device }
			},
			checks: {
				heavyText: HEAVY_TEXT,
				heavyLabel: heavyLabels[0] ?? '',
				maxLogitDiffWebVsNode,
				tinyText: TINY_TEXT,
				tinyLabel: tinyLabels[0] ?? ''
			},
			samples,
			notes: [
				'Page paths are timed on the page from the request to the reply (postMessage both ways included); ' +
					'the worker-side figure is what the worker reports for the work itself (the app: ModelHost’s ' +
					'inferenceMs, i.e. tokenizer + session.run + post-processing; bare ORT: session.run). ' +
					'onnxruntime-node is timed around session.run in the driver’s own process.',
				`Each round runs every path once: ${HEAVY_CALLS} calls in a row on the MatMul classifier, ` +
					`${TINY_CALLS} on tiny-sentiment, the round's figure for a path being the median of its calls. ` +
					'The order of the paths turns every round; each path starts once the machine went quiet (CPUs ' +
					`≤ 10 % busy over 250 ms, waiting at most 2 s) and ${PAUSE_MS} ms after the previous one. Ratios ` +
					'and differences are taken within a round, so a slow moment of the machine lands on both sides.',
				'Workers stay loaded for the whole run, as the app keeps a loaded model: no path pays for loading.'
			]
		};
		const path = await writeResult(result);
		process.stdout.write(`${renderRuntimeReport(result)}\n`);
		log(
			`Raw samples: ${relative(REPO_ROOT, path)}. Took ${Math.round((performance.now() - started) / 1000)} s.`
		);
	} finally {
		await native?.release();
		await browser.close();
		await Promise.all([hub.close(), pages.close()]);
	}
}

await main();

// The store suite of `npm run bench`: how fast and how lean the Browserve model store is next to transformers.js'
// Cache API and plain fetch, measured side by side in one Chromium run (a persistent profile on disk, since
// Playwright's default contexts keep storage in memory): cold loads (every file of the big model downloaded
// into the store through the app's ModelStore ÷ the same files fetched plainly on the page), warm loads (A
// store, B Cache API, C bytes in memory, A~ streamed, alternating), store read throughput, and peak renderer
// memory while loading and downloading. It measures; it never asserts: a missed target is reported, not failed.

import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { CHROMIUM_ARGS } from '../chromium.ts';
import { startHub, type RunningHub } from '../hub/server.ts';
import { BenchSession } from './driver.ts';
import { describeMachine, waitForQuiet } from './machine.ts';
import { PeakMeter, settle } from './memory.ts';
import { MODEL_PATH, writeBigModel, writeWarmupModel } from './models.ts';
import type { BenchOptions } from './options.ts';
import { ensurePageBuild, startPageServer } from './pages.ts';
import type { BenchModel, EmbedderCheck, LoadSource, ReadTarget } from './page/protocol.ts';
import {
	LOAD_SOURCES,
	type ColdRun,
	type DownloadRun,
	type DownloadTarget,
	type HubRequest,
	type LoadRun,
	type ReadLabel,
	type ReadRun,
	type StoreBenchResult
} from './report.ts';

/** ModelStore's default chunk (IndexedDB record, OPFS flush interval), which the bench leaves in place. */
const CHUNK_SIZE = 4 * 1024 * 1024;

const log = (line: string): void => void process.stderr.write(`${line}\n`);

/** What the page needs for every run, and where it runs. */
interface Bench {
	options: BenchOptions;
	threads: number;
	context: BrowserContext;
	hub: RunningHub;
	pageUrl: string;
	warmupModelUrl: string;
	model: BenchModel;
	check: EmbedderCheck;
}

function hubRequestsSince(hub: RunningHub, since: number): HubRequest[] {
	return hub.control.log(since).map(({ origin, method, path, range, status, bytes }) => ({
		origin,
		method,
		path,
		range,
		status,
		bytes
	}));
}

/** Waits for the machine to go quiet, unless the run does not wait (--quick). */
async function quiet(bench: Bench): Promise<void> {
	if (bench.options.quietMs > 0) await waitForQuiet(0.1, 250, bench.options.quietMs);
}

/** Runs `measure` in a new tab (a renderer process of its own, so no earlier run's memory is in the way). */
async function inFreshTab<T>(bench: Bench, measure: (session: BenchSession) => Promise<T>): Promise<T> {
	const session = await BenchSession.open(bench.context, bench.pageUrl, log);
	try {
		return await measure(session);
	} finally {
		await session.close();
	}
}

async function measureDownloads(bench: Bench): Promise<DownloadRun[]> {
	const { model } = bench;
	const others = model.files.filter((file) => file.path !== MODEL_PATH).map((file) => file.path);
	const url = model.files.find((file) => file.path === MODEL_PATH)?.url;
	if (!url) throw new Error(`${model.repo} has no ${MODEL_PATH}.`);
	const targets: readonly DownloadTarget[] = ['opfs', 'idb', 'fetch', 'fetch-byob'];
	const runs: DownloadRun[] = [];
	for (let round = 0; round < bench.options.downloads; round++) {
		for (const target of targets) {
			const run = await inFreshTab(bench, async (session) => {
				const backend = target === 'idb' ? 'idb' : 'opfs';
				// The small files first, outside the measured window: the figure is about the one big file.
				if (target === backend)
					await session.call('download', { model, backend, paths: others, fresh: true });
				await quiet(bench);
				await settle(session.renderer);
				const meter = new PeakMeter(session.renderer);
				const since = Date.now();
				meter.start();
				const reply =
					target === backend
						? await session.call('download', { model, backend, paths: [MODEL_PATH], fresh: false })
						: await session.call('fetch', {
								url,
								reader: target === 'fetch-byob' ? 'byob' : 'default',
								bufferSize: CHUNK_SIZE
							});
				const memory = meter.stop();
				return { round, target, ...reply, memory, hubRequests: hubRequestsSince(bench.hub, since) };
			});
			runs.push(run);
			log(
				`  ${target} #${round + 1}: ${Math.round(run.ms)} ms, peak +${(run.memory.aboveBaseline / 1e6).toFixed(1)} MB`
			);
		}
	}
	return runs;
}

async function fillCacheApi(bench: Bench): Promise<StoreBenchResult['cacheFill']> {
	const { model, check, warmupModelUrl, threads } = bench;
	return inFreshTab(bench, async (session) => {
		await session.call('prepare', { model, source: 'cache-api', threads, warmupModelUrl });
		const since = Date.now();
		const fill = await session.call('load', { check });
		return { ms: fill.ms, hubRequests: hubRequestsSince(bench.hub, since) };
	});
}

async function measureReads(bench: Bench): Promise<ReadRun[]> {
	const methods: [ReadLabel, 'readBytes' | 'read' | 'stream'][] = [
		['readBytes', 'readBytes'],
		['read() → arrayBuffer', 'read'],
		['read() → body stream', 'stream']
	];
	const targets: { label: ReadLabel; backend: ReadRun['backend']; target: ReadTarget }[] = [
		...(['opfs', 'idb'] as const).flatMap((backend) =>
			methods.map(([label, method]) => ({
				label,
				backend,
				target: { kind: 'store', backend, method } satisfies ReadTarget
			}))
		),
		{ label: 'Cache API match → arrayBuffer', backend: 'cache-api', target: { kind: 'cache-api' } }
	];
	return inFreshTab(bench, async (session) => {
		const runs: ReadRun[] = [];
		// Round 0 warms up (first opens, first allocations) and is kept in the JSON but out of the figures.
		for (let round = 0; round <= bench.options.reads; round++) {
			for (const { label, backend, target } of targets) {
				await quiet(bench);
				const reply = await session.call('read', { model: bench.model, target, path: MODEL_PATH });
				runs.push({ round, warmup: round === 0, label, backend, ms: reply.ms, bytes: reply.bytes });
			}
		}
		return runs;
	});
}

async function measureLoad(bench: Bench, source: LoadSource, round: number): Promise<LoadRun> {
	const { model, check, warmupModelUrl, threads } = bench;
	return inFreshTab(bench, async (session) => {
		await session.call('prepare', { model, source, threads, warmupModelUrl });
		await quiet(bench);
		await settle(session.renderer);
		const meter = new PeakMeter(session.renderer);
		const since = Date.now();
		meter.start();
		const reply = await session.call('load', { check });
		const memory = meter.stop();
		if (reply.dim !== check.dim || !(reply.similar > reply.unrelated)) {
			throw new Error(`The ${source} load computed the wrong thing: ${JSON.stringify(reply)}.`);
		}
		return {
			round,
			warmup: round < bench.options.warmups,
			source,
			ms: reply.ms,
			memory,
			hubRequests: hubRequestsSince(bench.hub, since),
			workerFetches: reply.fetches
		};
	});
}

async function measureLoads(bench: Bench): Promise<LoadRun[]> {
	const { warmups, pairs } = bench.options;
	const runs: LoadRun[] = [];
	for (let round = 0; round < warmups + pairs; round++) {
		const line: string[] = [];
		for (const source of LOAD_SOURCES) {
			const run = await measureLoad(bench, source, round);
			runs.push(run);
			line.push(`${source} ${Math.round(run.ms)} ms +${(run.memory.aboveBaseline / 1e6).toFixed(0)} MB`);
		}
		log(`  ${round < warmups ? 'warm-up' : 'round'} ${round + 1}: ${line.join(', ')}`);
	}
	return runs;
}

/**
 * Cold loads, A and B alternating (which goes first turns each round), each in a new tab: A downloads every
 * file of the model into an emptied store through the app's ModelStore (what ModelSource.download does, one
 * file after another, hashing and writing as it goes), B fetches the same files with plain fetch on the page and
 * drops the bytes. A's peak renderer memory is the cold-load memory figure.
 */
async function measureColdLoads(bench: Bench): Promise<ColdRun[]> {
	const { model, options } = bench;
	const paths = model.files.map((file) => file.path);
	const urls = model.files.map((file) => file.url);
	const runs: ColdRun[] = [];
	for (let round = 0; round < options.warmups + options.pairs; round++) {
		const order: ColdRun['side'][] = round % 2 === 0 ? ['app', 'fetch'] : ['fetch', 'app'];
		const line: string[] = [];
		for (const side of order) {
			const run = await inFreshTab(bench, async (session) => {
				// Emptying the store is outside the measured window (deleting 200 MB is I/O of its own).
				if (side === 'app')
					await session.call('download', { model, backend: 'opfs', paths: [], fresh: true });
				await quiet(bench);
				await settle(session.renderer);
				const meter = new PeakMeter(session.renderer);
				const since = Date.now();
				meter.start();
				const reply =
					side === 'app'
						? await session.call('download', { model, backend: 'opfs', paths, fresh: false })
						: await session.fetchFiles(urls);
				const memory = meter.stop();
				return {
					round,
					warmup: round < options.warmups,
					side,
					ms: reply.ms,
					bytes: reply.bytes,
					memory,
					hubRequests: hubRequestsSince(bench.hub, since).length
				};
			});
			runs.push(run);
			line.push(`${side} ${Math.round(run.ms)} ms`);
		}
		log(`  ${round < options.warmups ? 'warm-up' : 'round'} ${round + 1}: ${line.join(', ')}`);
	}
	return runs;
}

/** Runs the whole store suite in its own Chromium (a fresh persistent profile) and returns what it measured. */
export async function runStoreSuite(options: BenchOptions, chromiumPath: string): Promise<StoreBenchResult> {
	const threads = options.threads ?? cpus().length;
	const pagesDir = join(options.cacheDir, 'pages');
	await ensurePageBuild(pagesDir, log);
	const warmupModel = await writeWarmupModel(pagesDir);
	log(`Writing the big model (hidden size ${options.bigHidden}; rewritten only if changed)…`);
	const big = await writeBigModel(options.hubDir, options.bigHidden);
	const behaviour = big.spec.behaviour;
	if (behaviour.task !== 'feature-extraction') throw new Error('The big model must be a feature extractor.');

	const hub = await startHub({ dir: options.hubDir, control: true });
	const pages = await startPageServer(pagesDir);
	// Playwright's default contexts keep Cache Storage, IndexedDB and OPFS in memory: storage speed needs a
	// profile on disk. A fresh one per run, so nothing from an earlier run is already stored.
	const profile = await mkdtemp(join(tmpdir(), 'browserve-bench-'));
	const context = await chromium.launchPersistentContext(profile, {
		executablePath: chromiumPath,
		args: CHROMIUM_ARGS,
		headless: true
	});
	try {
		const first = await BenchSession.open(context, pages.url, log);
		const about = await first.about();
		const version = await first.browserVersion();
		const model = await first.call('resolve', { hub: hub.url, repo: big.spec.id });
		await first.close();
		const bench: Bench = {
			options,
			threads,
			context,
			hub,
			pageUrl: pages.url,
			warmupModelUrl: new URL(warmupModel, pages.url).href,
			model,
			check: behaviour
		};
		log(
			`Store suite: Chromium ${version}, crossOriginIsolated ${about.crossOriginIsolated}, ${threads} threads.`
		);

		log(
			`Cold loads: ${options.warmups} warm-up rounds, then ${options.pairs} rounds of app download and plain fetch…`
		);
		const coldLoads = await measureColdLoads(bench);
		log(`Downloads: ${options.downloads} rounds of OPFS, IDB and two bare fetches of ${MODEL_PATH}…`);
		const downloads = await measureDownloads(bench);
		log('Filling the Cache API with one transformers.js load from the hub…');
		const cacheFill = await fillCacheApi(bench);
		log(`Reading the stored file back (${options.reads} rounds + 1 warm-up)…`);
		const reads = options.reads > 0 ? await measureReads(bench) : [];
		log(`Warm loads: ${options.warmups} warm-up rounds, then ${options.pairs} rounds of A, B, C, A~…`);
		const loads = await measureLoads(bench);

		const memoryMethod = loads[0]?.memory.method ?? 'VmHWM';
		return {
			benchmark: 'store',
			date: new Date().toISOString().slice(0, 10),
			machine: describeMachine(chromiumPath, version),
			settings: {
				warmups: options.warmups,
				pairs: options.pairs,
				readRuns: options.reads,
				downloadRuns: options.downloads,
				threads,
				crossOriginIsolated: about.crossOriginIsolated,
				chunkSize: CHUNK_SIZE
			},
			model: {
				repo: model.repo,
				commit: model.commit,
				path: MODEL_PATH,
				modelBytes: big.modelBytes,
				totalBytes: big.totalBytes
			},
			cacheFill,
			coldLoads,
			loads,
			reads,
			downloads,
			notes: [
				'Memory is the resident set (RSS) of the Chromium renderer process hosting the page and its workers, ' +
					'from /proc/<pid>/status; the pid is the renderer that grows when the page allocates 256 MiB. ' +
					(memoryMethod === 'VmHWM'
						? 'The peak is the kernel high-water mark VmHWM, reset (5 > /proc/<pid>/clear_refs) as the phase ' +
							'starts, so nothing between samples is missed; '
						: 'The peak is VmRSS sampled every 20 ms (resetting VmHWM was refused here); ') +
					'the figure is that peak minus the RSS when the phase started. The browser and storage processes ' +
					'(which serve the Cache API, IndexedDB and the network) are not counted.',
				'Every load and download runs in a new tab (its own renderer process) and a fresh worker, after ONNX ' +
					'Runtime was started there with a one-node model, the machine went quiet (sync, CPUs ≤ 10 % busy) ' +
					'and RSS stopped moving: the baseline holds the page and ORT but no model. For C the baseline ' +
					'already holds the model bytes.',
				`The Cache API was filled by one load from the hub (${Math.round(cacheFill.ms)} ms, ` +
					`${cacheFill.hubRequests.length} hub + CDN requests) before any measured run.`
			]
		};
	} finally {
		await context.close();
		await Promise.all([hub.close(), pages.close()]);
		await rm(profile, { recursive: true, force: true });
	}
}

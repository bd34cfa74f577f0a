// `npm run bench:store`: how fast and how lean the Browserve model store is next to transformers.js' own
// Cache API, measured side by side in one Chromium run on one machine: warm loads of a ~219 MB model (A store,
// B Cache API, C bytes in memory, alternating), store read throughput, and peak renderer memory while loading
// and while downloading. Prints a markdown report and writes the raw samples to bench/results/. It measures;
// it never asserts: a missed target is reported, not failed.

import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium, type BrowserContext } from 'playwright-core';
import { format, resolveConfig } from 'prettier';
import { CHROMIUM_ARGS, findChromium } from '../chromium.ts';
import { startHub, type RunningHub } from '../hub/server.ts';
import { BenchSession } from './driver.ts';
import { describeMachine, waitForQuiet } from './machine.ts';
import { PeakMeter, settle } from './memory.ts';
import { MODEL_PATH, writeBigModel, writeWarmupModel } from './models.ts';
import { ensurePageBuild, REPO_ROOT, startPageServer } from './pages.ts';
import type { BenchModel, EmbedderCheck, LoadSource, ReadTarget } from './page/protocol.ts';
import {
	LOAD_SOURCES,
	renderReport,
	type DownloadRun,
	type DownloadTarget,
	type HubRequest,
	type LoadRun,
	type ReadLabel,
	type ReadRun,
	type StoreBenchResult
} from './report.ts';

const { values: args } = parseArgs({
	options: {
		pairs: { type: 'string', default: '7' },
		warmups: { type: 'string', default: '3' },
		reads: { type: 'string', default: '5' },
		downloads: { type: 'string', default: '3' },
		threads: { type: 'string' },
		// Diagnostics only (does a figure scale with the model?): the benchmark's own model is the default.
		hidden: { type: 'string', default: '1792' },
		cache: { type: 'string' }
	}
});

function count(name: string, value: string | undefined, min: number): number {
	const n = Number(value);
	if (!Number.isInteger(n) || n < min)
		throw new Error(`--${name} must be an integer ≥ ${min}, not ${value}.`);
	return n;
}

const PAIRS = count('pairs', args.pairs, 5);
const WARMUPS = count('warmups', args.warmups, 3);
const READS = count('reads', args.reads, 3);
const DOWNLOADS = count('downloads', args.downloads, 1);
const THREADS = count('threads', args.threads ?? String(cpus().length), 1);
const HIDDEN = count('hidden', args.hidden, 16);
const CACHE_DIR = resolve(args.cache ?? join(REPO_ROOT, 'bench/.cache'));
const RESULTS_DIR = join(REPO_ROOT, 'bench/results');
/** ModelStore's default chunk (IndexedDB record, OPFS flush interval), which the bench leaves in place. */
const CHUNK_SIZE = 4 * 1024 * 1024;

const log = (line: string): void => void process.stderr.write(`${line}\n`);

/** What the page needs for every run, and where it runs. */
interface Bench {
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
	for (let round = 0; round < DOWNLOADS; round++) {
		for (const target of targets) {
			const run = await inFreshTab(bench, async (session) => {
				const backend = target === 'idb' ? 'idb' : 'opfs';
				// The small files first, outside the measured window: the figure is about the one big file.
				if (target === backend)
					await session.call('download', { model, backend, paths: others, fresh: true });
				await waitForQuiet();
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
	const { model, check, warmupModelUrl } = bench;
	return inFreshTab(bench, async (session) => {
		await session.call('prepare', { model, source: 'cache-api', threads: THREADS, warmupModelUrl });
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
		for (let round = 0; round <= READS; round++) {
			for (const { label, backend, target } of targets) {
				await waitForQuiet();
				const reply = await session.call('read', { model: bench.model, target, path: MODEL_PATH });
				runs.push({ round, warmup: round === 0, label, backend, ms: reply.ms, bytes: reply.bytes });
			}
		}
		return runs;
	});
}

async function measureLoad(bench: Bench, source: LoadSource, round: number): Promise<LoadRun> {
	const { model, check, warmupModelUrl } = bench;
	return inFreshTab(bench, async (session) => {
		await session.call('prepare', { model, source, threads: THREADS, warmupModelUrl });
		await waitForQuiet();
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
			warmup: round < WARMUPS,
			source,
			ms: reply.ms,
			memory,
			hubRequests: hubRequestsSince(bench.hub, since),
			workerFetches: reply.fetches
		};
	});
}

async function measureLoads(bench: Bench): Promise<LoadRun[]> {
	const runs: LoadRun[] = [];
	for (let round = 0; round < WARMUPS + PAIRS; round++) {
		const line: string[] = [];
		for (const source of LOAD_SOURCES) {
			const run = await measureLoad(bench, source, round);
			runs.push(run);
			line.push(`${source} ${Math.round(run.ms)} ms +${(run.memory.aboveBaseline / 1e6).toFixed(0)} MB`);
		}
		log(`  ${round < WARMUPS ? 'warm-up' : 'round'} ${round + 1}: ${line.join(', ')}`);
	}
	return runs;
}

async function writeResult(result: StoreBenchResult): Promise<string> {
	await mkdir(RESULTS_DIR, { recursive: true });
	const safeHost = result.machine.hostname.replace(/[^A-Za-z0-9.-]/g, '_');
	const path = join(RESULTS_DIR, `${result.date}-${safeHost}-store.json`);
	// Written aside and renamed, so an interrupted run never leaves half a file (*.tmp is gitignored).
	const temp = `${path}.tmp`;
	// Formatted as the repo's Prettier would, so a committed result passes `npm run lint` as written.
	const options = { ...(await resolveConfig(path)), filepath: path };
	await writeFile(temp, await format(JSON.stringify(result), options));
	await rename(temp, path);
	return path;
}

async function main(): Promise<void> {
	const started = performance.now();
	const chromiumPath = findChromium();
	if (!chromiumPath) throw new Error('No Chromium found: install Debian’s chromium or set CHROMIUM_PATH.');
	const pagesDir = join(CACHE_DIR, 'pages');
	const hubDir = join(CACHE_DIR, 'hub');
	await ensurePageBuild(pagesDir, log);
	const warmupModel = await writeWarmupModel(pagesDir);
	log('Writing the big model (deterministic, rewritten only if changed)…');
	const big = await writeBigModel(hubDir, HIDDEN);
	const behaviour = big.spec.behaviour;
	if (behaviour.task !== 'feature-extraction') throw new Error('The big model must be a feature extractor.');

	const hub = await startHub({ dir: hubDir, control: true });
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
			context,
			hub,
			pageUrl: pages.url,
			warmupModelUrl: new URL(warmupModel, pages.url).href,
			model,
			check: behaviour
		};
		log(`Chromium ${version}, crossOriginIsolated ${about.crossOriginIsolated}, ${THREADS} threads.`);

		log(`Downloads: ${DOWNLOADS} rounds of OPFS, IDB and two bare fetches…`);
		const downloads = await measureDownloads(bench);
		log('Filling the Cache API with one transformers.js load from the hub…');
		const cacheFill = await fillCacheApi(bench);
		log(`Reading the stored file back (${READS} rounds + 1 warm-up)…`);
		const reads = await measureReads(bench);
		log(`Warm loads: ${WARMUPS} warm-up rounds, then ${PAIRS} measured rounds of A, B, C, A~…`);
		const loads = await measureLoads(bench);

		const memoryMethod = loads[0]?.memory.method ?? 'VmHWM';
		const result: StoreBenchResult = {
			benchmark: 'store',
			date: new Date().toISOString().slice(0, 10),
			machine: describeMachine(chromiumPath, version),
			settings: {
				warmups: WARMUPS,
				pairs: PAIRS,
				readRuns: READS,
				downloadRuns: DOWNLOADS,
				threads: THREADS,
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
		const path = await writeResult(result);
		process.stdout.write(`${renderReport(result)}\n`);
		log(
			`Raw samples: ${relative(REPO_ROOT, path)}. Took ${Math.round((performance.now() - started) / 1000)} s.`
		);
	} finally {
		await context.close();
		await Promise.all([hub.close(), pages.close()]);
		await rm(profile, { recursive: true, force: true });
	}
}

await main();

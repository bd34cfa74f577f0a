// What the store suite of `npm run bench` records (the raw samples, in the JSON it writes) and how it sums them
// up in detail: the comparisons as ratios taken pair by pair, throughput and memory against their targets.

import type { ByteBackend } from '$lib/store/types';
import type { PeakReading } from './memory.ts';
import type { LoadSource } from './page/protocol.ts';
import { pairRatios, summarize, type Summary } from './stats.ts';

export interface Machine {
	hostname: string;
	cpu: string;
	cores: number;
	memoryBytes: number;
	os: string;
	node: string;
	chromium: string;
	chromiumPath: string;
}

/** One request the hub or its CDN origin received, from the control API's log. */
export interface HubRequest {
	origin: 'hub' | 'cdn';
	method: string;
	path: string;
	range: string | null;
	status: number;
	bytes: number;
}

export interface LoadRun {
	round: number;
	warmup: boolean;
	source: LoadSource;
	/** Worker-side, from calling pipeline() to its promise resolving. */
	ms: number;
	memory: PeakReading;
	/** Requests the hub and its CDN origin received during the load. */
	hubRequests: HubRequest[];
	/** URLs transformers.js fetched over the network during the load, the HTTP cache's answers included. */
	workerFetches: string[];
}

export type ReadLabel =
	'readBytes' | 'read() → arrayBuffer' | 'read() → body stream' | 'Cache API match → arrayBuffer';

export interface ReadRun {
	round: number;
	warmup: boolean;
	label: ReadLabel;
	backend: ByteBackend | 'cache-api';
	ms: number;
	bytes: number;
}

/** A download into one store backend, or a bare fetch of the same file for reference. */
export type DownloadTarget = ByteBackend | 'fetch' | 'fetch-byob';

export interface DownloadRun {
	round: number;
	target: DownloadTarget;
	ms: number;
	bytes: number;
	memory: PeakReading;
	/** Requests the hub and its CDN origin received during the download. */
	hubRequests: HubRequest[];
}

/** One cold load: every file of the model through the app's store, or the same files fetched on the page. */
export interface ColdRun {
	round: number;
	warmup: boolean;
	side: 'app' | 'fetch';
	ms: number;
	bytes: number;
	memory: PeakReading;
	/** How many requests the hub and its CDN origin received during the run. */
	hubRequests: number;
}

export interface StoreBenchResult {
	benchmark: 'store';
	date: string;
	machine: Machine;
	settings: {
		warmups: number;
		pairs: number;
		readRuns: number;
		downloadRuns: number;
		threads: number;
		crossOriginIsolated: boolean;
		chunkSize: number;
	};
	model: { repo: string; commit: string; path: string; modelBytes: number; totalBytes: number };
	/** The one load that filled transformers.js' Cache API from the hub, before any measured run. */
	cacheFill: { ms: number; hubRequests: HubRequest[] };
	coldLoads: ColdRun[];
	loads: LoadRun[];
	reads: ReadRun[];
	downloads: DownloadRun[];
	notes: string[];
}

export const TARGETS = {
	/** First download through the app's store, as a multiple of fetching the same files plainly. */
	coldLoadRatio: 1.1,
	/** Warm load through the store, as a fraction of the same load through the Cache API. */
	warmLoadRatio: 0.85,
	/** OPFS reads, in MB/s (10^6 bytes per second). */
	opfsReadMBps: 1000,
	/** Peak renderer memory above baseline during a warm load, in model sizes. */
	warmLoadMemory: 2.5,
	/** Peak renderer memory above baseline during a download, in store chunks ("a few"). */
	downloadMemoryChunks: 4
} as const;

export const LOAD_SOURCES: readonly LoadSource[] = ['store', 'cache-api', 'memory', 'store-streamed'];

const SOURCES: Record<LoadSource, string> = {
	store: 'A: Browserve store (OPFS) via StoreBridge',
	'cache-api': "B: transformers.js' Cache API",
	memory: 'C: bytes already in worker memory, no copy (floor)',
	'store-streamed': 'A~: the store via StoreBridge, with a progress callback (body streamed)'
};

const DOWNLOADS: Record<DownloadTarget, string> = {
	opfs: 'Download into the store (OPFS)',
	idb: 'Download into the store (IDB)',
	fetch: 'Bare fetch, default reader (reference)',
	'fetch-byob': 'Bare fetch, BYOB reader into one 4 MiB buffer (reference)'
};

const MB = 1e6;

function measured<T extends { warmup: boolean }>(runs: readonly T[]): T[] {
	return runs.filter((run) => !run.warmup);
}

function loadTimes(result: StoreBenchResult, source: LoadSource): number[] {
	return measured(result.loads)
		.filter((run) => run.source === source)
		.sort((a, b) => a.round - b.round)
		.map((run) => run.ms);
}

export interface Comparison {
	a: LoadSource;
	b: LoadSource;
	aStats: Summary;
	bStats: Summary;
	ratio: Summary;
	target: number | null;
}

export function comparisons(result: StoreBenchResult): Comparison[] {
	const compare = (a: LoadSource, b: LoadSource, target: number | null): Comparison => {
		const aTimes = loadTimes(result, a);
		const bTimes = loadTimes(result, b);
		return {
			a,
			b,
			aStats: summarize(aTimes),
			bStats: summarize(bTimes),
			ratio: summarize(pairRatios(aTimes, bTimes)),
			target
		};
	};
	return [
		compare('store', 'cache-api', TARGETS.warmLoadRatio),
		compare('store', 'memory', null),
		compare('store-streamed', 'cache-api', null),
		compare('store-streamed', 'store', null)
	];
}

const ms = (value: number): string => `${Math.round(value)} ms`;
const ratio = (value: number): string => value.toFixed(2);
const mb = (bytes: number): string => `${(bytes / MB).toFixed(1)} MB`;
const mib = (bytes: number): string => `${+(bytes / 2 ** 20).toFixed(1)} MiB`;
const verdict = (met: boolean | null): string => (met === null ? '—' : met ? 'met' : '**missed**');

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
	const line = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;
	return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

function loadTable(result: StoreBenchResult): string {
	const { settings, model } = result;
	const rows = comparisons(result).map((c) => {
		const met = c.target === null ? null : c.ratio.median <= c.target;
		return [
			SOURCES[c.a],
			SOURCES[c.b],
			`${model.repo} (${mb(model.modelBytes)} fp32)`,
			`WASM, OPFS vs ${c.b === 'cache-api' ? 'Cache Storage' : c.b === 'memory' ? 'memory' : 'OPFS'}`,
			String(settings.threads),
			`${c.ratio.n} pairs (+${settings.warmups} warm-up)`,
			`${ms(c.aStats.median)} / ${ms(c.aStats.p90)}`,
			`${ms(c.bStats.median)} / ${ms(c.bStats.p90)}`,
			`${ratio(c.ratio.median)} / ${ratio(c.ratio.p90)}`,
			c.target === null ? '—' : `≤ ${c.target}`,
			verdict(met)
		];
	});
	return table(
		[
			'A',
			'B',
			'Model',
			'Backend',
			'Threads',
			'Runs',
			'A median / p90',
			'B median / p90',
			'A/B median / p90',
			'Target',
			''
		],
		rows
	);
}

function readTable(result: StoreBenchResult): string {
	const labels: [ReadLabel, ByteBackend | 'cache-api'][] = [
		['readBytes', 'opfs'],
		['read() → arrayBuffer', 'opfs'],
		['read() → body stream', 'opfs'],
		['readBytes', 'idb'],
		['read() → arrayBuffer', 'idb'],
		['read() → body stream', 'idb'],
		['Cache API match → arrayBuffer', 'cache-api']
	];
	const rows = labels.map(([label, backend]) => {
		const runs = measured(result.reads).filter((run) => run.label === label && run.backend === backend);
		const rates = summarize(runs.map((run) => run.bytes / MB / (run.ms / 1000)));
		// The target is for reads of the whole file into memory, what a load does; streaming is reported only.
		const target = backend === 'opfs' && label !== 'read() → body stream' ? TARGETS.opfsReadMBps : null;
		return [
			label === 'Cache API match → arrayBuffer' ? `${label} (reference)` : `ModelStore.${label}`,
			backend === 'cache-api' ? 'Cache Storage' : backend.toUpperCase(),
			String(rates.n),
			`${Math.round(rates.median)} MB/s`,
			`${Math.round(rates.min)} MB/s`,
			target === null ? '—' : `≥ ${target} MB/s`,
			verdict(target === null ? null : rates.median >= target)
		];
	});
	return table(['Read of onnx/model.onnx', 'Backend', 'Runs', 'Median', 'Slowest', 'Target', ''], rows);
}

function memoryTable(result: StoreBenchResult): string {
	const { model, settings } = result;
	const loadRows = LOAD_SOURCES.map((source) => {
		const above = summarize(
			measured(result.loads)
				.filter((run) => run.source === source)
				.map((run) => run.memory.aboveBaseline)
		);
		const times = above.median / model.modelBytes;
		const target = source === 'store' ? TARGETS.warmLoadMemory : null;
		return [
			`Warm load: ${SOURCES[source]}`,
			String(above.n),
			mb(above.median),
			mb(above.max),
			`${times.toFixed(2)} × model (${mb(model.modelBytes)})`,
			target === null ? '—' : `≤ ${target} × model`,
			verdict(target === null ? null : times <= target)
		];
	});
	const downloadRows = (['opfs', 'idb', 'fetch', 'fetch-byob'] as const).map((target) => {
		const runs = result.downloads.filter((run) => run.target === target);
		const above = summarize(runs.map((run) => run.memory.aboveBaseline));
		const chunks = above.median / settings.chunkSize;
		const rate = summarize(runs.map((run) => run.bytes / MB / (run.ms / 1000)));
		const store = target === 'opfs' || target === 'idb';
		return [
			`${DOWNLOADS[target]}, ${Math.round(rate.median)} MB/s`,
			String(above.n),
			mb(above.median),
			mb(above.max),
			`${chunks.toFixed(1)} × chunk (${mib(settings.chunkSize)})`,
			store ? `≤ ${TARGETS.downloadMemoryChunks} × chunk` : '—',
			verdict(store ? chunks <= TARGETS.downloadMemoryChunks : null)
		];
	});
	return table(
		['Phase', 'Runs', 'Median peak above baseline', 'Largest', 'Ratio (median)', 'Target', ''],
		[...loadRows, ...downloadRows]
	);
}

/** Weights are what a warm load must never fetch again: anything the CDN origin serves, or an .onnx file. */
export function isWeightsRequest(request: HubRequest): boolean {
	return request.origin === 'cdn' || /\.onnx(_data)?$/.test(request.path.split('?')[0] ?? '');
}

function describeRequests(requests: readonly HubRequest[]): string {
	const counts = new Map<string, number>();
	for (const { method, path, range } of requests) {
		const what = `${method} ${path.replace(/^\/[^/]+\/[^/]+\/resolve\//, '…/resolve/')}${range ? ` (Range ${range})` : ''}`;
		counts.set(what, (counts.get(what) ?? 0) + 1);
	}
	return [...counts].map(([what, n]) => `${what} × ${n}`).join('; ') || 'none';
}

function networkTable(result: StoreBenchResult): string {
	const rows = LOAD_SOURCES.map((source) => {
		const runs = measured(result.loads).filter((run) => run.source === source);
		const requests = runs.flatMap((run) => run.hubRequests);
		return [
			SOURCES[source],
			String(runs.length),
			String(requests.length),
			String(requests.filter(isWeightsRequest).length),
			String(runs.reduce((n, run) => n + run.workerFetches.length, 0)),
			describeRequests(requests)
		];
	});
	return table(
		[
			'Measured loads',
			'Runs',
			'Hub + CDN requests',
			'of them weights',
			'transformers.js network fetches',
			'Requests'
		],
		rows
	);
}

export function renderReport(result: StoreBenchResult): string {
	const { machine, model, settings } = result;
	return [
		`## Store benchmark, ${result.date}`,
		'',
		`Machine: ${machine.hostname}, ${machine.cpu}, ${machine.cores} cores, ${(machine.memoryBytes / 2 ** 30).toFixed(1)} GiB, ` +
			`${machine.os}; Node ${machine.node}; Chromium ${machine.chromium} (headless, persistent profile on disk). ` +
			`ORT WASM with ${settings.threads} threads, crossOriginIsolated ${settings.crossOriginIsolated}.`,
		`Model: ${model.repo}@${model.commit.slice(0, 12)}, ${model.path} ${mb(model.modelBytes)} ` +
			`(${mb(model.totalBytes)} with config, tokenizer and card).`,
		'',
		'### Warm load, start to pipeline ready',
		'',
		'A new tab and a fresh worker per load, ONNX Runtime started beforehand in every one; loads alternate ' +
			"A, B, C, A~ round by round and each ratio is taken within its round. A~ is the app's path when a " +
			'progress callback is given: transformers.js then streams each body instead of calling arrayBuffer().',
		'',
		loadTable(result),
		'',
		'### Store read throughput (worker, MB = 10^6 bytes)',
		'',
		readTable(result),
		'',
		'### Peak renderer memory',
		'',
		memoryTable(result),
		'',
		...result.notes.map((note) => `- ${note}`),
		'',
		'### Network during measured loads',
		'',
		networkTable(result),
		''
	].join('\n');
}

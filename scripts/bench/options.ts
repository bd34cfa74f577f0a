// The settings of one `npm run bench`: run counts, model sizes and where things go, for the full run (what the
// README's figures come from) and for `--quick` (few runs on small models, what the test suite runs to prove
// every row is produced). Parsed from the command line with a clear message for what does not fit.

import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

export const SUITES = ['store', 'runtime'] as const;
export type Suite = (typeof SUITES)[number];

export interface BenchOptions {
	quick: boolean;
	suites: readonly Suite[];
	/** Warm-up rounds before the measured ones (never in the figures). */
	warmups: number;
	/** Measured rounds: each gives one A and one B per row. */
	pairs: number;
	/** Store read-throughput rounds and single-file download rounds (details, not rows). */
	reads: number;
	downloads: number;
	/** Columns of the big embedder: 1,792 makes its weights 218.8 MB. */
	bigHidden: number;
	/** Width of the MatMul classifier, and rows of its main-thread variant (the issue wants ≥ 10 ms a call). */
	matmulHidden: number;
	mainThreadRows: number;
	/** Calls per round on the heavy paths and on the tiny model (a round's figure is their median). */
	heavyCalls: number;
	tinyCalls: number;
	/** Seconds of audio Silero VAD is run on. */
	vadSeconds: number;
	/**
	 * Wait for the machine to go quiet before each measured run (at most this many ms); 0 never waits, as
	 * --quick does: its figures are not read, only that every row is produced.
	 */
	quietMs: number;
	/** ORT WASM threads for the store's loads (the runtime suite takes the app's plan). */
	threads: number | null;
	/** Page builds; and the generated hub (apart for --quick, so a quick run never rewrites the big model). */
	cacheDir: string;
	hubDir: string;
	/** Where the result JSON goes. */
	outDir: string;
}

const FULL = {
	warmups: 3,
	pairs: 20,
	reads: 5,
	downloads: 3,
	bigHidden: 1792,
	matmulHidden: 1024,
	mainThreadRows: 1024,
	heavyCalls: 3,
	tinyCalls: 20,
	vadSeconds: 10
};

const QUICK: typeof FULL = {
	warmups: 1,
	pairs: 2,
	reads: 0,
	downloads: 0,
	bigHidden: 64,
	matmulHidden: 128,
	mainThreadRows: 256,
	heavyCalls: 1,
	tinyCalls: 3,
	vadSeconds: 2
};

function count(name: string, value: string | undefined, fallback: number, min: number): number {
	if (value === undefined) return fallback;
	const n = Number(value);
	if (!Number.isInteger(n) || n < min)
		throw new Error(`--${name} must be an integer ≥ ${min}, not ${value}.`);
	return n;
}

export function parseBenchOptions(argv: readonly string[], repoRoot: string): BenchOptions {
	const { values } = parseArgs({
		args: [...argv],
		options: {
			quick: { type: 'boolean', default: false },
			only: { type: 'string' },
			pairs: { type: 'string' },
			warmups: { type: 'string' },
			reads: { type: 'string' },
			downloads: { type: 'string' },
			hidden: { type: 'string' },
			'heavy-calls': { type: 'string' },
			'tiny-calls': { type: 'string' },
			threads: { type: 'string' },
			cache: { type: 'string' },
			out: { type: 'string' }
		}
	});
	const quick = values.quick ?? false;
	const base = quick ? QUICK : FULL;
	// The floor for a figure: ≥ 3 warm-ups and ≥ 20 pairs. --quick is a smoke run, not a figure.
	const minPairs = quick ? 1 : 20;
	const minWarmups = quick ? 0 : 3;
	// The store's detail runs (reads, single-file downloads) make no row: --quick may leave them out.
	const minDetails = quick ? 0 : 1;
	const only = values.only?.split(',').map((name) => name.trim());
	for (const name of only ?? []) {
		if (!(SUITES as readonly string[]).includes(name))
			throw new Error(`--only takes ${SUITES.join(', ')} (comma-separated), not ${name}.`);
	}
	const cacheDir = resolve(values.cache ?? join(repoRoot, 'bench/.cache'));
	return {
		quick,
		suites: (only as Suite[] | undefined) ?? SUITES,
		warmups: count('warmups', values.warmups, base.warmups, minWarmups),
		pairs: count('pairs', values.pairs, base.pairs, minPairs),
		reads: count('reads', values.reads, base.reads, minDetails),
		downloads: count('downloads', values.downloads, base.downloads, minDetails),
		bigHidden: count('hidden', values.hidden, base.bigHidden, 16),
		matmulHidden: base.matmulHidden,
		mainThreadRows: base.mainThreadRows,
		heavyCalls: count('heavy-calls', values['heavy-calls'], base.heavyCalls, 1),
		tinyCalls: count('tiny-calls', values['tiny-calls'], base.tinyCalls, 1),
		vadSeconds: base.vadSeconds,
		quietMs: quick ? 0 : 5_000,
		threads: values.threads === undefined ? null : count('threads', values.threads, 1, 1),
		cacheDir,
		hubDir: join(cacheDir, quick ? 'hub-quick' : 'hub'),
		outDir: resolve(values.out ?? join(repoRoot, 'bench/results'))
	};
}

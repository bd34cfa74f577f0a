// The bench command end to end, once, in --quick mode (small models, few runs): it must produce every row the
// issue asks for, each with a finite positive ratio, in one JSON file and one printed table. It never asserts a
// speed: a slow or busy machine passes, a row that is missing or divides by nothing fails.

import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from './pages.ts';
import type { BenchResult } from './result.ts';

const run = promisify(execFile);

/** The rows of issue 8, by id: every one must come out of a single run. */
const EXPECTED_ROWS = [
	'inference-overhead/matmul',
	'inference-overhead/silero-vad',
	'fixed-cost/tiny',
	'threads/matmul',
	'threads/ppocr-rec',
	'browser-vs-native/matmul-app',
	'browser-vs-native/matmul-bare',
	'browser-vs-native/silero-vad',
	'browser-vs-native/ppocr-rec',
	// The test browser always has WebGPU: CHROMIUM_ARGS gives it a software adapter.
	'webgpu-vs-wasm',
	'main-thread/load',
	'main-thread/inference',
	'cold-load',
	'warm-load/store-vs-cache-api',
	'warm-load/store-vs-memory',
	'warm-load/store-streamed-vs-cache-api',
	'warm-load/store-streamed-vs-store',
	'memory/cold-load',
	'memory/warm-load'
];

describe('npm run bench -- --quick', () => {
	let outDir = '';
	let result: BenchResult;
	let stdout = '';

	beforeAll(async () => {
		outDir = await mkdtemp(join(tmpdir(), 'browserve-bench-test-'));
		const tsx = join(REPO_ROOT, 'node_modules/.bin/tsx');
		({ stdout } = await run(tsx, ['scripts/bench/bench.ts', '--quick', '--out', outDir], {
			cwd: REPO_ROOT,
			maxBuffer: 64 * 1024 * 1024
		}));
		const files = await readdir(outDir);
		expect(files).toHaveLength(1);
		expect(files[0]).toMatch(/^\d{4}-\d{2}-\d{2}-.+-quick\.json$/);
		result = JSON.parse(await readFile(join(outDir, files[0] ?? ''), 'utf8')) as BenchResult;
	}, 300_000);

	afterAll(async () => {
		if (outDir) await rm(outDir, { recursive: true, force: true });
	});

	it('produces every row of the issue, once', () => {
		expect(result.quick).toBe(true);
		expect(result.rows.map((row) => row.id).sort()).toEqual([...EXPECTED_ROWS].sort());
	});

	it('gives every row a finite positive ratio, taken over paired runs', () => {
		for (const row of result.rows) {
			expect(row.ratio.n, row.id).toBe(result.settings.pairs);
			expect(row.aStats.n, row.id).toBe(row.ratio.n);
			expect(row.bStats.n, row.id).toBe(row.ratio.n);
			for (const value of [row.ratio.median, row.ratio.p90, row.ratio.min, row.ratio.max]) {
				expect(Number.isFinite(value) && value > 0, `${row.id}: ${value}`).toBe(true);
			}
		}
	});

	it('says in every row what A and B are, on which model, backend and threads', () => {
		for (const row of result.rows) {
			for (const field of [row.a, row.b, row.model, row.backend, row.threads]) {
				expect(field.length, row.id).toBeGreaterThan(0);
			}
		}
		// The fixed cost's target is in ms, so that row carries A−B as well.
		expect(result.rows.find((row) => row.id === 'fixed-cost/tiny')?.difference?.n).toBe(
			result.settings.pairs
		);
		// A software adapter's WebGPU row must say it is no speed figure.
		const gpu = result.runtime?.models.webgpu.adapter;
		const gpuRow = result.rows.find((row) => row.id === 'webgpu-vs-wasm');
		if (gpu?.isFallbackAdapter) expect(gpuRow?.note).toBe('software adapter, not a speed figure');
	});

	it('prints one markdown table with a line per row, last', () => {
		const table = stdout.slice(stdout.lastIndexOf('| Row | A | B |'));
		const lines = table.trim().split('\n');
		// Header, separator, then one line per row.
		expect(lines).toHaveLength(2 + EXPECTED_ROWS.length);
		expect(lines[0]).toContain('A/B median / p90');
		for (const row of result.rows) expect(table).toContain(`| ${row.a.replaceAll('|', '\\|')} |`);
	});
});

// The bench's command line: the full run keeps the floor (≥ 3 warm-ups, ≥ 20 pairs), --quick is small
// and never writes over the full run's generated big model, and bad values get a clear message.

import { describe, expect, it } from 'vitest';
import { parseBenchOptions } from './options.ts';

const ROOT = '/repo';

describe('parseBenchOptions', () => {
	it('runs every suite with at least 3 warm-ups and 20 pairs by default', () => {
		const options = parseBenchOptions([], ROOT);
		expect(options.quick).toBe(false);
		expect(options.suites).toEqual(['store', 'runtime']);
		expect(options.warmups).toBeGreaterThanOrEqual(3);
		expect(options.pairs).toBeGreaterThanOrEqual(20);
		expect(options.bigHidden).toBe(1792);
		expect(options.outDir).toBe('/repo/bench/results');
	});

	it('makes --quick small, without waits, on a hub of its own', () => {
		const full = parseBenchOptions([], ROOT);
		const quick = parseBenchOptions(['--quick'], ROOT);
		expect(quick.pairs).toBeLessThan(full.pairs);
		expect(quick.bigHidden).toBeLessThan(full.bigHidden);
		expect(quick.quietMs).toBe(0);
		expect(quick.hubDir).not.toBe(full.hubDir);
	});

	it('refuses fewer than 20 pairs for a full run, and unknown suites', () => {
		expect(() => parseBenchOptions(['--pairs', '5'], ROOT)).toThrow('--pairs must be an integer ≥ 20');
		expect(() => parseBenchOptions(['--only', 'gpu'], ROOT)).toThrow('--only takes store, runtime');
		expect(parseBenchOptions(['--only', 'runtime', '--out', 'x'], ROOT).suites).toEqual(['runtime']);
	});
});

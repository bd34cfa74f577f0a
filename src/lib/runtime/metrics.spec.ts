import { describe, expect, it } from 'vitest';
import { ModelMetrics, quantile } from './metrics';

describe('metrics', () => {
	it.each([
		[[], 0.5, null],
		[[7], 0.95, 7],
		[[1, 2, 3, 4], 0.5, 2],
		[[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.95, 10],
		[[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.5, 5]
	])('quantile(%j, %d) = %s', (values, q, expected) => {
		expect(quantile(values, q)).toBe(expected);
	});

	it('counts runs, errors and batched runs, with percentiles over recent runs', () => {
		const metrics = new ModelMetrics();
		for (let ms = 1; ms <= 100; ms++) metrics.recordRun(ms, ms % 10 === 0 ? 4 : 1);
		metrics.recordError();
		expect(metrics.snapshot()).toEqual({
			runs: 100,
			errors: 1,
			p50Ms: 50,
			p95Ms: 95,
			lastMs: 100,
			batchedRuns: 10
		});
	});

	it('keeps a bounded window', () => {
		const metrics = new ModelMetrics();
		for (let i = 0; i < 1000; i++) metrics.recordRun(i < 500 ? 1000 : 1);
		expect(metrics.snapshot().p95Ms).toBe(1);
		expect(metrics.snapshot().runs).toBe(1000);
	});
});

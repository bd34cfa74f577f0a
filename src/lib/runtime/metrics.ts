// Per-model metrics kept on the page (nothing leaves the device): runs, errors, and inference latency
// percentiles over a bounded window of recent runs.

const WINDOW = 500;

export interface MetricsSnapshot {
	runs: number;
	errors: number;
	p50Ms: number | null;
	p95Ms: number | null;
	lastMs: number | null;
	/** Runs that shared a batched call with others. */
	batchedRuns: number;
}

/** The value at quantile q (0..1) of sorted values, by nearest rank. */
export function quantile(sorted: readonly number[], q: number): number | null {
	if (sorted.length === 0) return null;
	const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
	return sorted[rank] ?? null;
}

export class ModelMetrics {
	#latencies: number[] = [];
	#runs = 0;
	#errors = 0;
	#batched = 0;

	recordRun(ms: number, batchSize = 1): void {
		this.#runs++;
		if (batchSize > 1) this.#batched++;
		this.#latencies.push(ms);
		if (this.#latencies.length > WINDOW) this.#latencies.shift();
	}

	recordError(): void {
		this.#errors++;
	}

	snapshot(): MetricsSnapshot {
		const sorted = [...this.#latencies].sort((a, b) => a - b);
		return {
			runs: this.#runs,
			errors: this.#errors,
			p50Ms: quantile(sorted, 0.5),
			p95Ms: quantile(sorted, 0.95),
			lastMs: this.#latencies.at(-1) ?? null,
			batchedRuns: this.#batched
		};
	}
}

// Order statistics for benchmark samples: median and p90 of a set, and of ratios taken pair by pair, so a
// slow moment of the machine lands in both halves of a pair instead of in one side of a comparison.

export interface Summary {
	n: number;
	median: number;
	p90: number;
	min: number;
	max: number;
}

/** The q-quantile by linear interpolation between closest ranks (R's type 7, numpy's default). */
export function quantile(values: readonly number[], q: number): number {
	if (values.length === 0) return Number.NaN;
	const sorted = [...values].sort((a, b) => a - b);
	const at = (sorted.length - 1) * q;
	const low = Math.floor(at);
	const high = Math.ceil(at);
	const lowValue = sorted[low] ?? Number.NaN;
	return lowValue + ((sorted[high] ?? lowValue) - lowValue) * (at - low);
}

export function summarize(values: readonly number[]): Summary {
	return {
		n: values.length,
		median: quantile(values, 0.5),
		p90: quantile(values, 0.9),
		min: values.length ? Math.min(...values) : Number.NaN,
		max: values.length ? Math.max(...values) : Number.NaN
	};
}

/** a[i] / b[i] for every pair measured together. */
export function pairRatios(a: readonly number[], b: readonly number[]): number[] {
	if (a.length !== b.length) throw new Error(`Unpaired samples: ${a.length} and ${b.length}.`);
	return a.map((value, i) => value / (b[i] ?? Number.NaN));
}

// What one `npm run bench` writes (bench/results/<date>-<machine>.json: every row, and every raw sample of both
// suites) and the one markdown table it prints at the end.

import type { BenchOptions } from './options.ts';
import type { Machine, StoreBenchResult } from './report.ts';
import { renderRowsTable, type BenchRow } from './rows.ts';
import type { RuntimeBenchResult } from './runtime-report.ts';

/** Everything one run measured, as written to bench/results/. */
export interface BenchResult {
	benchmark: 'browserve';
	date: string;
	quick: boolean;
	machine: Machine;
	settings: Omit<BenchOptions, 'cacheDir' | 'hubDir' | 'outDir'>;
	rows: BenchRow[];
	store: StoreBenchResult | null;
	runtime: RuntimeBenchResult | null;
	tookSeconds: number;
}

/** The file a run writes: one per machine and day (a quick run apart, so it never replaces a full one). */
export function resultFileName(date: string, hostname: string, quick: boolean): string {
	const machine = hostname.replace(/[^A-Za-z0-9.-]/g, '_');
	return `${date}-${machine}${quick ? '-quick' : ''}.json`;
}

export function renderSummary(result: BenchResult): string {
	const { machine } = result;
	return [
		`## Browserve benchmark, ${result.date}${result.quick ? ' (--quick: small models, few runs; not figures)' : ''}`,
		'',
		`Machine: ${machine.hostname}, ${machine.cpu}, ${machine.cores} cores, ` +
			`${(machine.memoryBytes / 2 ** 30).toFixed(1)} GiB, ${machine.os}; Node ${machine.node}; ` +
			`Chromium ${machine.chromium} (headless). Ratios are A/B taken pair by pair (A and B alternate).`,
		'',
		renderRowsTable(result.rows),
		''
	].join('\n');
}

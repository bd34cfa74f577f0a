// The one shape every figure of `npm run bench` takes: a row that says what A and B are, on which model,
// backend and threads, how many runs, and median / p90 of A, of B and of A/B taken pair by pair. Every suite
// turns its samples into rows; the command writes them to one JSON file and prints them as one markdown table.

import { pairRatios, summarize, type Summary } from './stats.ts';

/** What a row's A and B samples count. */
export type RowUnit = 'ms' | 'bytes';

export interface RowTarget {
	/** The target as the issue states it, e.g. "≤ 1.05×" or "0 long tasks". */
	text: string;
	/** Whether this run met it; null where the figure is reported without a verdict. */
	met: boolean | null;
}

export interface BenchRow {
	/** Stable id, e.g. "inference-overhead/matmul" (the quick test checks every expected id is there). */
	id: string;
	/** The name for the comparison: "Inference overhead", "Warm load", … */
	group: string;
	a: string;
	b: string;
	model: string;
	backend: string;
	threads: string;
	/** Measured pairs, warm-up rounds before them, and calls per run where a run is a median of calls. */
	runs: { pairs: number; warmups: number; callsPerRun?: number };
	unit: RowUnit;
	aStats: Summary;
	bStats: Summary;
	/** A/B, pair by pair. */
	ratio: Summary;
	/** A−B pair by pair, where the target is a difference (fixed cost per call). */
	difference?: Summary;
	target: RowTarget | null;
	/** What the reader must know to read the row (a software adapter, long tasks counted, …). */
	note?: string;
}

export type RowInput = Omit<BenchRow, 'aStats' | 'bStats' | 'ratio' | 'difference'> & {
	/** A's and B's figure for each measured pair, in order. */
	aValues: readonly number[];
	bValues: readonly number[];
	/** Also summarise A−B (for targets stated in ms). */
	withDifference?: boolean;
};

/** Builds a row from paired samples: the ratio and difference are taken pair by pair, never from medians. */
export function pairedRow(input: RowInput): BenchRow {
	const { aValues, bValues, withDifference, ...rest } = input;
	const row: BenchRow = {
		...rest,
		aStats: summarize(aValues),
		bStats: summarize(bValues),
		ratio: summarize(pairRatios(aValues, bValues))
	};
	if (withDifference) row.difference = summarize(aValues.map((value, i) => value - (bValues[i] ?? NaN)));
	return row;
}

/** Whether a ratio summary is usable: every quantile a finite number above zero. */
export function isFinitePositive(summary: Summary): boolean {
	return (
		summary.n > 0 &&
		[summary.median, summary.p90, summary.min, summary.max].every(
			(value) => Number.isFinite(value) && value > 0
		)
	);
}

/** Rows whose ratio is not a finite positive number (a suite that measured nothing, or divided by zero). */
export function brokenRows(rows: readonly BenchRow[]): string[] {
	return rows.filter((row) => !isFinitePositive(row.ratio)).map((row) => row.id);
}

function formatValue(value: number, unit: RowUnit): string {
	if (unit === 'bytes') return `${(value / 1e6).toFixed(1)} MB`;
	if (value < 1) return `${value.toFixed(3)} ms`;
	if (value < 10) return `${value.toFixed(2)} ms`;
	return `${value.toFixed(1)} ms`;
}

function pair(summary: Summary, unit: RowUnit): string {
	return `${formatValue(summary.median, unit)} / ${formatValue(summary.p90, unit)}`;
}

const ratioText = (summary: Summary): string => `${summary.median.toFixed(2)} / ${summary.p90.toFixed(2)}`;

function verdict(target: RowTarget | null): string {
	if (!target) return '—';
	return target.met === null ? target.text : `${target.text}: ${target.met ? 'met' : '**missed**'}`;
}

/** Escapes what would break a markdown table cell. */
const cell = (text: string): string => text.replaceAll('|', '\\|').replaceAll('\n', ' ');

export function renderRowsTable(rows: readonly BenchRow[]): string {
	const header = [
		'Row',
		'A',
		'B',
		'Model',
		'Backend',
		'Threads',
		'Runs',
		'A median / p90',
		'B median / p90',
		'A/B median / p90',
		'Target'
	];
	const lines = rows.map((row) => {
		const runs =
			`${row.runs.pairs} pairs + ${row.runs.warmups} warm-up` +
			(row.runs.callsPerRun ? `, ${row.runs.callsPerRun} calls each` : '');
		const ratio = row.difference
			? `${ratioText(row.ratio)} (A−B ${pair(row.difference, row.unit)})`
			: ratioText(row.ratio);
		const group = row.note ? `${row.group} (${row.note})` : row.group;
		return [
			group,
			row.a,
			row.b,
			row.model,
			row.backend,
			row.threads,
			runs,
			pair(row.aStats, row.unit),
			pair(row.bStats, row.unit),
			ratio,
			verdict(row.target)
		].map(cell);
	});
	const line = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;
	return [line(header), line(header.map(() => '---')), ...lines.map(line)].join('\n');
}

// The store suite's rows of the one bench table: cold load (app ÷ plain fetch), warm load (store ÷ Cache API,
// ÷ memory, and the streamed variant), and peak renderer memory during a cold and a warm load ÷ the model's size.

import { pairedRow, type BenchRow } from './rows.ts';
import { comparisons, TARGETS, type ColdRun, type StoreBenchResult } from './report.ts';
import type { LoadSource } from './page/protocol.ts';

const SOURCES: Record<LoadSource, string> = {
	store: 'Browserve store (OPFS) via StoreBridge',
	'cache-api': "transformers.js' Cache API (transformers-cache)",
	memory: 'bytes already in worker memory (floor)',
	'store-streamed': 'Browserve store via StoreBridge, body streamed (progress callback)'
};

function coldSide(result: StoreBenchResult, side: ColdRun['side']): ColdRun[] {
	return result.coldLoads.filter((run) => !run.warmup && run.side === side).sort((a, b) => a.round - b.round);
}

const mb = (bytes: number): string => `${(bytes / 1e6).toFixed(1)} MB`;

export function storeRows(result: StoreBenchResult): BenchRow[] {
	const { model, settings } = result;
	const modelText = `${model.repo} (${mb(model.modelBytes)} fp32, generated)`;
	const runs = { pairs: settings.pairs, warmups: settings.warmups };
	const threads = String(settings.threads);
	const app = coldSide(result, 'app');
	const plain = coldSide(result, 'fetch');
	const cold = pairedRow({
		id: 'cold-load',
		group: 'Cold load',
		a: "first download of every file through the app's ModelStore (hash + OPFS write)",
		b: 'plain fetch of the same files on the page, bodies read and dropped',
		model: `${model.repo} (${mb(model.totalBytes)}, all files)`,
		backend: 'local hub → OPFS vs nothing',
		threads: '—',
		runs,
		unit: 'ms',
		aValues: app.map((run) => run.ms),
		bValues: plain.map((run) => run.ms),
		target: null
	});
	cold.target = { text: `≤ ${TARGETS.coldLoadRatio}×`, met: cold.ratio.median <= TARGETS.coldLoadRatio };

	const warm = comparisons(result).map((c) => {
		const row = pairedRow({
			id: `warm-load/${c.a}-vs-${c.b}`,
			group: 'Warm load',
			a: SOURCES[c.a],
			b: SOURCES[c.b],
			model: modelText,
			backend: 'WASM',
			threads,
			runs: { pairs: c.ratio.n, warmups: settings.warmups },
			unit: 'ms',
			aValues: [],
			bValues: [],
			target: null
		});
		// The comparison already paired A and B within each round; its summaries are the row's.
		row.aStats = c.aStats;
		row.bStats = c.bStats;
		row.ratio = c.ratio;
		if (c.target !== null) row.target = { text: `≤ ${c.target}×`, met: c.ratio.median <= c.target };
		return row;
	});

	const warmStore = result.loads
		.filter((run) => !run.warmup && run.source === 'store')
		.sort((a, b) => a.round - b.round);
	const memoryRow = (id: string, phase: string, peaks: number[], bytes: number, target: number | null) => {
		const row = pairedRow({
			id,
			group: 'Memory',
			a: `peak renderer memory above baseline during ${phase}`,
			b: 'model size',
			model: modelText,
			backend: phase.startsWith('a warm') ? 'WASM, OPFS' : 'OPFS',
			threads: phase.startsWith('a warm') ? threads : '—',
			runs,
			unit: 'bytes',
			aValues: peaks,
			bValues: peaks.map(() => bytes),
			target: null
		});
		if (target !== null) row.target = { text: `≤ ${target}× model`, met: row.ratio.median <= target };
		return row;
	};
	return [
		cold,
		...warm,
		memoryRow(
			'memory/cold-load',
			'a cold load (download into the store)',
			app.map((run) => run.memory.aboveBaseline),
			model.totalBytes,
			null
		),
		memoryRow(
			'memory/warm-load',
			'a warm load from the store',
			warmStore.map((run) => run.memory.aboveBaseline),
			model.modelBytes,
			TARGETS.warmLoadMemory
		)
	];
}

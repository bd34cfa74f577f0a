// The bench table's rows: ratios and differences are taken pair by pair (not from the medians), a row with no
// usable ratio is named, and the table has one line per row that says A, B and the target's verdict.

import { describe, expect, it } from 'vitest';
import { brokenRows, pairedRow, renderRowsTable, type RowInput } from './rows.ts';

const base: RowInput = {
	id: 'x',
	group: 'Inference overhead',
	a: 'app',
	b: 'bare',
	model: 'm',
	backend: 'WASM',
	threads: '2',
	runs: { pairs: 3, warmups: 3 },
	unit: 'ms',
	aValues: [],
	bValues: [],
	target: null
};

describe('pairedRow', () => {
	it('divides each A by the B measured with it', () => {
		// Medians alone would give 20 / 10 = 2; pair by pair the ratios are 1, 4 and 1.
		const row = pairedRow({ ...base, aValues: [10, 40, 20], bValues: [10, 10, 20], withDifference: true });
		expect(row.aStats.median).toBe(20);
		expect(row.bStats.median).toBe(10);
		expect(row.ratio.median).toBe(1);
		expect(row.ratio.max).toBe(4);
		expect(row.difference?.max).toBe(30);
	});

	it('refuses samples that are not paired', () => {
		expect(() => pairedRow({ ...base, aValues: [1, 2], bValues: [1] })).toThrow(/Unpaired/);
	});
});

describe('brokenRows', () => {
	it('names rows whose ratio is zero, infinite or missing', () => {
		const rows = [
			pairedRow({ ...base, id: 'fine', aValues: [1], bValues: [2] }),
			pairedRow({ ...base, id: 'zero', aValues: [0], bValues: [2] }),
			pairedRow({ ...base, id: 'infinite', aValues: [1], bValues: [0] }),
			pairedRow({ ...base, id: 'empty' })
		];
		expect(brokenRows(rows)).toEqual(['zero', 'infinite', 'empty']);
	});
});

describe('renderRowsTable', () => {
	it('prints one line per row with A, B, the ratio and the verdict', () => {
		const met = pairedRow({ ...base, aValues: [1.02], bValues: [1], target: { text: '≤ 1.05×', met: true } });
		const missed = pairedRow({
			...base,
			a: 'a | b',
			aValues: [2],
			bValues: [1],
			target: { text: '≤ 1.05×', met: false }
		});
		const lines = renderRowsTable([met, missed]).split('\n');
		expect(lines).toHaveLength(4);
		expect(lines[2]).toContain('| app | bare |');
		expect(lines[2]).toContain('1.02 / 1.02');
		expect(lines[2]).toContain('≤ 1.05×: met');
		// A pipe inside a cell is escaped, so the row keeps its columns.
		expect(lines[3]).toContain('a \\| b');
		expect(lines[3]).toContain('**missed**');
	});
});

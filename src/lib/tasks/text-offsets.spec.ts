// Locating decoded words in their text and cutting it into runs: the ways a tokenizer's words differ from the
// text (case, accents, spacing, "##"), order, misses, and properties over generated texts (fast-check).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { locateWords, segmentText } from './text-offsets';

function slices(text: string, words: readonly string[]): (string | null)[] {
	return locateWords(text, words).map((span) => (span ? text.slice(span.start, span.end) : null));
}

describe('locateWords', () => {
	it('finds lowercased, accent-stripped and respaced words as written', () => {
		const text = 'My name is Omar and I live in Zürich, near Sarah-Jane.';
		expect(slices(text, ['omar', 'zurich', 'sarah - jane', '.'])).toEqual([
			'Omar',
			'Zürich',
			'Sarah-Jane',
			'.'
		]);
		expect(slices('It is in London.', ['london .'])).toEqual(['London.']);
		expect(locateWords(text, ['omar'])).toEqual([{ start: 11, end: 15 }]);
	});

	it('takes repeated words in order and drops the "##" of a lone subword', () => {
		const text = 'Sarah met Sarah, then walking walked.';
		expect(locateWords(text, ['sarah', 'sarah', '##ing'])).toEqual([
			{ start: 0, end: 5 },
			{ start: 10, end: 15 },
			{ start: 26, end: 29 }
		]);
	});

	it('gives null for a word that is not there without moving the search on', () => {
		expect(slices('Paris and London', ['[UNK]', '', 'paris', 'tokyo', 'london'])).toEqual([
			null,
			null,
			'Paris',
			null,
			'London'
		]);
	});

	it('keeps offsets right after characters outside the basic plane', () => {
		const text = '🙂 Sarah 🇬🇧 London';
		expect(slices(text, ['sarah', 'london'])).toEqual(['Sarah', 'London']);
	});

	it('finds every word of a generated text, each where it was written', () => {
		const letters = fc.constantFrom(...'abcXYZéÜñß0123'.split(''));
		const word = fc.string({ unit: letters, minLength: 1, maxLength: 8 });
		const space = fc.constantFrom(' ', '  ', '\n', '\t');
		fc.assert(
			fc.property(fc.array(fc.tuple(word, space), { minLength: 1, maxLength: 12 }), (parts) => {
				const text = parts.map(([w, s]) => w + s).join('');
				const words = parts.map(([w]) => w);
				expect(
					slices(
						text,
						words.map((w) => w.toLowerCase())
					)
				).toEqual(words);
			})
		);
	});
});

describe('segmentText', () => {
	it('alternates plain and marked runs, leaving out unplaced and overlapping spans', () => {
		const text = 'Sarah lives in London';
		const spans = [
			{ id: 'b', start: 15, end: 21 },
			{ id: 'a', start: 0, end: 5 },
			{ id: 'x', start: null, end: null },
			{ id: 'overlap', start: 3, end: 8 }
		];
		expect(segmentText(text, spans).map((s) => [s.text, s.span?.id ?? null])).toEqual([
			['Sarah', 'a'],
			[' lives in ', null],
			['London', 'b']
		]);
	});

	it('always puts the whole text back together', () => {
		fc.assert(
			fc.property(fc.string({ maxLength: 40 }), fc.array(fc.tuple(fc.nat(45), fc.nat(10))), (text, raw) => {
				const spans = raw.map(([start, length]) => ({ start, end: start + length }));
				const segments = segmentText(text, spans);
				expect(segments.map((s) => s.text).join('')).toBe(text);
				for (const s of segments) if (s.span) expect(s.text).toBe(text.slice(s.span.start, s.span.end));
			})
		);
	});
});

// Fill-mask: share-link parameters both ways (examples and fast-check inputs), the one-blank rule, and run()
// against the generated tiny-mlm in Node transformers.js with both mask spellings.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { fillMask, splitAtMask, type FillMaskInput } from './fill-mask';
import type { ParamIssue, PipelineCall } from './types';
import { useTinyModels } from './testing/tiny-models';

function parse(query: string): { input: FillMaskInput; issues: ParamIssue[] } {
	const issues: ParamIssue[] = [];
	return { input: fillMask.parseInput(new URLSearchParams(query), issues), issues };
}

function roundTrip(input: FillMaskInput) {
	return parse(new URLSearchParams(fillMask.serializeInput(input)).toString());
}

describe('fill-mask share links', () => {
	it('reads the text and top_k, leaving the default top_k out of links', () => {
		expect(parse('text=a+%5BMASK%5D+b&top_k=3')).toEqual({
			input: { text: 'a [MASK] b', topK: 3 },
			issues: []
		});
		expect(parse('').input).toEqual({ text: '', topK: 5 });
		expect(fillMask.serializeInput({ text: 'x', topK: 5 })).toEqual({ text: 'x' });
	});

	it('round-trips every example and any text and count', () => {
		for (const example of fillMask.examples) {
			expect(roundTrip(example)).toEqual({ input: example, issues: [] });
		}
		fc.assert(
			fc.property(
				fc.string({ unit: 'grapheme', maxLength: 100 }),
				fc.constantFrom('[MASK]', '<mask>', ''),
				fc.string({ unit: 'grapheme', maxLength: 100 }),
				fc.integer({ min: 1, max: 50 }),
				(before, mask, after, topK) => {
					const input = { text: before + mask + after, topK };
					expect(roundTrip(input)).toEqual({ input, issues: [] });
				}
			)
		);
	});

	it.each(['0', '51', 'five', '1.5'])('reports top_k=%s by name', (value) => {
		const { input, issues } = parse(`text=x&top_k=${value}`);
		expect(issues).toEqual([{ param: 'top_k', message: 'top_k must be a whole number from 1 to 50.' }]);
		expect(input.topK).toBe(5);
	});

	it('runs text with exactly one blank, in either spelling', () => {
		const why = (text: string, topK = 5) => fillMask.whyNotRunnable({ text, topK });
		expect(why('The [MASK] barked')).toBeNull();
		expect(why('The <mask> barked')).toBeNull();
		expect(why('  ')).toBe('Type a sentence with [MASK] where a word is missing.');
		expect(why('The dog barked')).toBe('Put [MASK] (or <mask>) where the missing word goes.');
		// Neither spelling is matched loosely: "[mask]" is four ordinary characters to a BERT tokenizer.
		expect(why('The [mask] barked')).toBe('Put [MASK] (or <mask>) where the missing word goes.');
		expect(why('[MASK] and <mask>')).toBe('Use one [MASK]; the model fills one blank at a time.');
		expect(why('The [MASK] barked', 0)).toBe('Candidates must be a whole number from 1 to 50.');
		expect(fillMask.serializeInput({ text: 'x', topK: 0 })).toEqual({ text: 'x' });
	});

	it('splits a text at its one blank', () => {
		expect(splitAtMask('a <mask>.')).toEqual({ before: 'a ', after: '.' });
		expect(splitAtMask('no blank')).toBeNull();
		expect(splitAtMask('[MASK] [MASK]')).toBeNull();
	});
});

describe('fill-mask run() on tiny-mlm', () => {
	const models = useTinyModels('fill-mask-');
	let pipe: PipelineCall;

	beforeAll(async () => {
		pipe = await models.load('fill-mask', 'browserve/tiny-mlm');
	});

	it('fills the first example with paris, in the sentence as typed', async () => {
		const [example] = fillMask.examples;
		const output = await fillMask.run(pipe, example);
		expect(output.text).toBe(example.text);
		expect(output.candidates).toHaveLength(5);
		expect(output.candidates[0]).toMatchObject({
			token: 'paris',
			sequence: 'The capital of France is paris.'
		});
		expect(output.candidates[0]?.score).toBeGreaterThan(0.9);
		const scores = output.candidates.map((c) => c.score);
		expect(scores).toEqual([...scores].sort((a, b) => b - a));
	});

	it('rewrites <mask> to the tokenizer mask token and returns top_k candidates', async () => {
		const output = await fillMask.run(pipe, { text: 'The <mask> barked at me', topK: 2 });
		expect(output.candidates.map((c) => c.sequence)).toHaveLength(2);
		expect(output.candidates[0]).toMatchObject({ token: 'dog', sequence: 'The dog barked at me' });
	});

	it('runs a batch with one output per text', async () => {
		const outputs = await fillMask.batch.run(pipe, [
			{ text: 'People in Japan speak [MASK].', topK: 1 },
			{ text: 'The capital of Germany is <mask>.', topK: 1 }
		]);
		expect(outputs.map((o) => o.candidates.map((c) => c.token))).toEqual([['japanese'], ['berlin']]);
	});

	it('needs a tokenizer with a mask token', async () => {
		const fake: PipelineCall = async () => [];
		await expect(fillMask.run(fake, { text: '[MASK]', topK: 5 })).rejects.toThrow(
			'This model has no mask token to fill.'
		);
	});
});

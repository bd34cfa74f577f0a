// Sentence similarity: share-link parameters both ways (sentences one a line), bad values reported by name,
// and run() on the feature-extraction pipeline of the generated tiny-embedder in Node transformers.js.

import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import * as transformers from '@huggingface/transformers';
import { sentenceSimilarity, type SentenceSimilarityInput } from './sentence-similarity';
import type { ParamIssue, PipelineCall, RunContext } from './types';
import { useTinyModels } from './testing/tiny-models';

const task = sentenceSimilarity;

function parse(query: Record<string, string>): { input: SentenceSimilarityInput; issues: ParamIssue[] } {
	const issues: ParamIssue[] = [];
	return { input: task.parseInput(new URLSearchParams(query), issues), issues };
}

// A sentence as a row of the form holds it: one line, trimmed, not blank.
const sentence = fc
	.string({ unit: 'grapheme', minLength: 1, maxLength: 60 })
	.map((text) => text.replace(/[\r\n]+/g, ' ').trim())
	.filter((text) => text !== '');

describe('sentence-similarity share links', () => {
	it('round-trips every example and any input the form can make', () => {
		for (const example of task.examples)
			expect(parse(task.serializeInput(example))).toEqual({ input: example, issues: [] });
		fc.assert(
			fc.property(
				fc.record({
					source: fc.string({ unit: 'grapheme', maxLength: 200 }),
					sentences: fc.array(sentence, { minLength: 1, maxLength: 50 })
				}),
				(input) => {
					expect(parse(task.serializeInput(input))).toEqual({ input, issues: [] });
				}
			)
		);
	});

	it('reads one sentence a line, trimmed, skipping blank lines (also from the form)', () => {
		expect(
			parse({ source: 'x', sentences: ' a kitten, on a rug \r\n\n| stock markets |\n  ' }).input
		).toEqual({
			source: 'x',
			sentences: ['a kitten, on a rug', '| stock markets |']
		});
		expect(task.serializeInput({ source: 'x', sentences: ['', ' a ', '  ', 'b'] })).toEqual({
			source: 'x',
			sentences: 'a\nb'
		});
	});

	it.each([
		[
			'sentences',
			Array.from({ length: 51 }, (_, i) => `s${i}`).join('\n'),
			'sentences has 51 sentences (one a line); the limit is 50.'
		],
		[
			'sentences',
			'a'.repeat(20_001),
			'The sentences in this link is 20,001 characters long; the limit is 20,000.'
		],
		['source', 'a'.repeat(20_001), 'The source in this link is 20,001 characters long; the limit is 20,000.']
	])('reports %s by name and falls back to nothing', (param, value, message) => {
		const { input, issues } = parse({ source: 'x', sentences: 'y', [param]: value });
		expect(issues).toEqual([{ param, message }]);
		expect(input).toEqual({ source: 'x', sentences: ['y'], [param]: param === 'source' ? '' : [] });
	});

	it('says why an input cannot run', () => {
		expect(task.whyNotRunnable(task.examples[0])).toBeNull();
		expect(task.whyNotRunnable({ source: ' ', sentences: ['a'] })).toBe('Type a source sentence.');
		expect(task.whyNotRunnable({ source: 'a', sentences: ['', '  '] })).toBe(
			'Add at least one sentence to compare.'
		);
		expect(task.whyNotRunnable({ source: 'a', sentences: Array.from({ length: 51 }, () => 'b') })).toBe(
			'There can be at most 50 sentences; there are 51.'
		);
	});
});

describe('sentence-similarity run() on tiny-embedder', () => {
	const models = useTinyModels('sentence-similarity-');
	let pipe: PipelineCall;
	const context: RunContext<never> = {
		signal: new AbortController().signal,
		emit: () => undefined,
		library: transformers
	};

	beforeAll(async () => {
		// The task's own pipeline: transformers.js has no sentence-similarity one.
		pipe = await models.load(task.pipeline, 'browserve/tiny-embedder');
	});

	it('finds the kitten on a rug closer to the cat on the mat than falling markets', async () => {
		const output = await task.run(pipe, task.examples[0], context);
		expect(output.source).toBe('the cat sat on the mat');
		expect(output.sentences).toEqual(['a kitten on a rug', 'stock markets fell today']);
		const [kitten, markets] = output.scores;
		expect(kitten).toBeGreaterThan(0.8);
		expect(markets).toBeLessThan(0.3);
	});

	it('scores aligned with the non-blank sentences: itself 1, unknown words 0', async () => {
		const output = await task.run(
			pipe,
			{ source: ' the cat ', sentences: ['zzz qqq', '', 'the cat', ' cats '] },
			context
		);
		expect(output.source).toBe('the cat');
		expect(output.sentences).toEqual(['zzz qqq', 'the cat', 'cats']);
		expect(output.scores).toHaveLength(3);
		// Only unknown tokens: a zero vector, which points nowhere.
		expect(output.scores[0]).toBe(0);
		expect(output.scores[1]).toBeCloseTo(1, 5);
		expect(output.scores[2]).toBeGreaterThan(0.5);
	});

	it('rejects a pipeline output with the wrong number of vectors', async () => {
		const fake: PipelineCall = async () => new transformers.Tensor('float32', new Float32Array(4), [1, 4]);
		await expect(task.run(fake, task.examples[0], context)).rejects.toThrow(
			'The model did not return one vector per sentence.'
		);
	});
});

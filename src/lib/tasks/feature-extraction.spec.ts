// Feature extraction: share-link parameters both ways, the vector maths (normalising, cosine, nesting), and
// run() against the generated tiny-embedder in Node transformers.js for every pooling.

import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import * as transformers from '@huggingface/transformers';
import {
	cosineSimilarity,
	featureExtraction,
	nestedValues,
	normalizeRows,
	POOLINGS,
	readTensor,
	type FeatureExtractionInput,
	type FeatureExtractionOutput
} from './feature-extraction';
import type { ParamIssue, PipelineCall, RunContext } from './types';
import { useTinyModels } from './testing/tiny-models';

const task = featureExtraction;

function parse(query: Record<string, string>): { input: FeatureExtractionInput; issues: ParamIssue[] } {
	const issues: ParamIssue[] = [];
	return { input: task.parseInput(new URLSearchParams(query), issues), issues };
}

const norm = (values: readonly number[]) => Math.sqrt(values.reduce((sum, x) => sum + x * x, 0));

describe('feature-extraction share links', () => {
	it('round-trips every example and any input the form can make', () => {
		for (const example of task.examples)
			expect(parse(task.serializeInput(example))).toEqual({ input: example, issues: [] });
		fc.assert(
			fc.property(
				fc.record({
					text: fc.string({ unit: 'grapheme', maxLength: 200 }),
					pooling: fc.constantFrom(...POOLINGS),
					normalize: fc.boolean()
				}),
				(input) => {
					expect(parse(task.serializeInput(input))).toEqual({ input, issues: [] });
				}
			)
		);
	});

	it('reads mean pooling and normalising by default, and leaves them out of links', () => {
		expect(parse({ text: 'hi' })).toEqual({
			input: { text: 'hi', pooling: 'mean', normalize: true },
			issues: []
		});
		expect(task.serializeInput({ text: 'hi', pooling: 'mean', normalize: true })).toEqual({ text: 'hi' });
		expect(task.serializeInput({ text: 'hi', pooling: 'none', normalize: false })).toEqual({
			text: 'hi',
			pooling: 'none',
			normalize: '0'
		});
		expect(parse({ normalize: 'false', pooling: 'cls' }).input).toMatchObject({
			pooling: 'cls',
			normalize: false
		});
	});

	it.each([
		['pooling', 'max', 'pooling must be one of mean, cls, none.'],
		['pooling', 'MEAN', 'pooling must be one of mean, cls, none.'],
		['normalize', 'no', 'normalize must be 1 or 0 (or true or false).']
	])('reports %s=%s by name and falls back to the default', (param, value, message) => {
		const { input, issues } = parse({ text: 'hi', [param]: value });
		expect(issues).toEqual([{ param, message }]);
		expect(input).toEqual({ text: 'hi', pooling: 'mean', normalize: true });
	});

	it('needs some text to run', () => {
		expect(task.whyNotRunnable({ text: ' \n', pooling: 'mean', normalize: true })).toBe(
			'Type some text to embed.'
		);
		expect(task.whyNotRunnable(task.examples[0])).toBeNull();
	});
});

describe('vector maths', () => {
	it('normalises each row to length 1 and leaves zero rows zero', () => {
		const data = Float32Array.from([3, 4, 0, 0, 0, -2]);
		normalizeRows(data, 2);
		expect(Array.from(data)).toEqual([expect.closeTo(0.6, 6), expect.closeTo(0.8, 6), 0, 0, 0, -1]);
	});

	it('gives cosine similarity, 0 against a zero vector', () => {
		expect(cosineSimilarity([1, 0], [2, 0])).toBeCloseTo(1);
		expect(cosineSimilarity([1, 0], [0, 3])).toBeCloseTo(0);
		expect(cosineSimilarity([1, 1], [-1, -1])).toBeCloseTo(-1);
		expect(cosineSimilarity([0, 0], [1, 1])).toBe(0);
	});

	it('nests values by shape, dropping the batch of one', () => {
		const pooled: FeatureExtractionOutput = { dims: [1, 3], data: [1, 2, 3] };
		expect(nestedValues(pooled)).toEqual([1, 2, 3]);
		const tokens: FeatureExtractionOutput = { dims: [1, 2, 3], data: [1, 2, 3, 4, 5, 6] };
		expect(nestedValues(tokens)).toEqual([
			[1, 2, 3],
			[4, 5, 6]
		]);
	});

	it('refuses a pipeline output that is not a tensor of floats', () => {
		expect(() => readTensor({ dims: [1], data: [1] }, transformers)).toThrow(
			'The model did not return a tensor.'
		);
		const ints = new transformers.Tensor('int64', BigInt64Array.from([1n]), [1]);
		expect(() => readTensor(ints, transformers)).toThrow('The model did not return floating-point vectors.');
	});
});

describe('feature-extraction run() on tiny-embedder', () => {
	const models = useTinyModels('feature-extraction-');
	let pipe: PipelineCall;
	const context: RunContext<never> = {
		signal: new AbortController().signal,
		emit: () => undefined,
		library: transformers
	};

	beforeAll(async () => {
		pipe = await models.load('feature-extraction', 'browserve/tiny-embedder');
	});

	const run = (input: Partial<FeatureExtractionInput>) =>
		task.run(pipe, { text: 'the cat sat on the mat', pooling: 'mean', normalize: true, ...input }, context);

	it('gives one normalised 16-dimensional vector, pointing along the pets axis', async () => {
		const output = await run({});
		expect(output.dims).toEqual([1, 16]);
		expect(output.data).toHaveLength(16);
		expect(norm(output.data)).toBeCloseTo(1, 5);
		// Topic 0 (pets) owns dimension 0.
		expect(output.data[0]).toBeGreaterThan(0.9);
		// Plain numbers, so the page's JSON view shows an array.
		expect(JSON.parse(JSON.stringify(output))).toEqual(output);
	});

	it('keeps the raw length when not normalising', async () => {
		const output = await run({ normalize: false });
		expect(norm(output.data)).not.toBeCloseTo(1, 2);
		const normalised = await run({});
		expect(cosineSimilarity(output.data, normalised.data)).toBeCloseTo(1, 5);
	});

	it('gives the [CLS] vector, which this model keeps at zero, as zeros rather than NaN', async () => {
		const output = await run({ pooling: 'cls' });
		expect(output.dims).toEqual([1, 16]);
		expect(output.data).toEqual(Array.from({ length: 16 }, () => 0));
	});

	it('gives one vector per token without pooling, each normalised', async () => {
		const output = await run({ pooling: 'none' });
		// Six words between [CLS] and [SEP].
		expect(output.dims).toEqual([1, 8, 16]);
		const rows = nestedValues(output) as number[][];
		expect(rows).toHaveLength(8);
		expect(norm(rows[0] ?? [])).toBe(0);
		for (const row of rows.slice(1, -1)) expect(norm(row)).toBeCloseTo(1, 5);
	});
});

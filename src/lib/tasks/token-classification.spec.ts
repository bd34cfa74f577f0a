// Token classification: share-link parameters both ways (examples and fast-check inputs), and run() against the
// generated tiny-ner in Node transformers.js, with the spans placed in the text.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
	AGGREGATIONS,
	entityKind,
	tokenClassification,
	type TokenClassificationInput
} from './token-classification';
import type { ParamIssue, PipelineCall } from './types';
import { useTinyModels } from './testing/tiny-models';

function parse(query: string): { input: TokenClassificationInput; issues: ParamIssue[] } {
	const issues: ParamIssue[] = [];
	return { input: tokenClassification.parseInput(new URLSearchParams(query), issues), issues };
}

function roundTrip(input: TokenClassificationInput) {
	return parse(new URLSearchParams(tokenClassification.serializeInput(input)).toString());
}

describe('token-classification share links', () => {
	it('reads the text, grouping by entity unless told otherwise', () => {
		expect(parse('text=Sarah+in+London')).toEqual({
			input: { text: 'Sarah in London', aggregation: 'simple' },
			issues: []
		});
		expect(parse('text=x&aggregation=none').input.aggregation).toBe('none');
		expect(tokenClassification.serializeInput({ text: 'x', aggregation: 'simple' })).toEqual({ text: 'x' });
	});

	it('round-trips every example and any text with either grouping', () => {
		for (const example of tokenClassification.examples) {
			expect(roundTrip(example)).toEqual({ input: example, issues: [] });
		}
		fc.assert(
			fc.property(
				fc.string({ unit: 'grapheme', maxLength: 200 }),
				fc.constantFrom(...AGGREGATIONS),
				(text, aggregation) => {
					const input = { text, aggregation };
					expect(roundTrip(input)).toEqual({ input, issues: [] });
				}
			)
		);
	});

	it('reports bad values by parameter name', () => {
		const { input, issues } = parse('text=hi&aggregation=max');
		expect(issues).toEqual([{ param: 'aggregation', message: 'aggregation must be simple or none.' }]);
		expect(input).toEqual({ text: 'hi', aggregation: 'simple' });
		expect(parse(`text=${'a'.repeat(20_001)}`).issues.map((issue) => issue.param)).toEqual(['text']);
	});

	it('says why an input cannot run', () => {
		expect(tokenClassification.whyNotRunnable({ text: ' ', aggregation: 'simple' })).toBe(
			'Type some text to find entities in.'
		);
		expect(tokenClassification.whyNotRunnable({ text: 'hi', aggregation: 'none' })).toBeNull();
	});

	it('tells an entity kind from its BIO label', () => {
		expect(['B-PER', 'I-LOC', 'S-ORG', 'E-MISC', 'PER', 'O', 'B-'].map(entityKind)).toEqual([
			'PER',
			'LOC',
			'ORG',
			'MISC',
			'PER',
			'O',
			'B-'
		]);
	});
});

describe('token-classification run() on tiny-ner', () => {
	const models = useTinyModels('token-classification-');
	let pipe: PipelineCall;

	beforeAll(async () => {
		pipe = await models.load('token-classification', 'browserve/tiny-ner');
	});

	it('groups the first example into a person and a place, placed in the text', async () => {
		const [example] = tokenClassification.examples;
		const output = await tokenClassification.run(pipe, example);
		expect(output.text).toBe(example.text);
		expect(output.entities.map(({ group, word, start, end }) => ({ group, word, start, end }))).toEqual([
			{ group: 'PER', word: 'sarah', start: 11, end: 16 },
			{ group: 'LOC', word: 'london', start: 31, end: 37 }
		]);
		for (const entity of output.entities) expect(entity.score).toBeGreaterThan(0.9);
	});

	it('joins a first name and a surname into one span, and keeps tokens apart with aggregation none', async () => {
		const text = 'Sarah Connor met Sarah at Acme Corp in Paris.';
		const grouped = await tokenClassification.run(pipe, { text, aggregation: 'simple' });
		expect(grouped.entities.map((e) => [e.group, text.slice(e.start ?? 0, e.end ?? 0)])).toEqual([
			['PER', 'Sarah Connor'],
			['PER', 'Sarah'],
			['ORG', 'Acme Corp'],
			['LOC', 'Paris']
		]);
		const tokens = await tokenClassification.run(pipe, { text, aggregation: 'none' });
		expect(tokens.entities.map((e) => [e.group, e.start])).toEqual([
			['B-PER', 0],
			['I-PER', 6],
			['B-PER', 17],
			['B-ORG', 26],
			['I-ORG', 31],
			['B-LOC', 39]
		]);
	});

	it('returns no entities for text without any', async () => {
		const output = await tokenClassification.run(pipe, { text: 'we met at the city', aggregation: 'simple' });
		expect(output).toEqual({ text: 'we met at the city', entities: [] });
	});

	it('runs a batch with one output per text', async () => {
		const outputs = await tokenClassification.batch.run(pipe, [
			{ text: 'Sarah lives in Tokyo', aggregation: 'simple' },
			{ text: 'John works at Globex', aggregation: 'simple' }
		]);
		expect(outputs.map((o) => o.entities.map((e) => e.group))).toEqual([
			['PER', 'LOC'],
			['PER', 'ORG']
		]);
		expect(outputs[1]?.entities[1]).toMatchObject({ word: 'globex', start: 14, end: 20 });
	});

	it('rejects output that is not tagged tokens', async () => {
		const fake: PipelineCall = async () => [{ label: 'x', score: 1 }];
		await expect(tokenClassification.run(fake, { text: 'hi', aggregation: 'simple' })).rejects.toThrow(
			'The model did not return tagged tokens.'
		);
	});
});

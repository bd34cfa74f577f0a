// Zero-shot classification: share-link parameters both ways (examples and generated inputs), bad values
// reported by name, and run() against the generated tiny-nli in Node transformers.js.

import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ParamIssue, PipelineCall } from './types';
import { useTinyModels } from './testing/tiny-models';
import { splitLabels, whyNotLabels, whyNotNewLabel } from './candidate-labels';
import {
	DEFAULT_TEMPLATE,
	zeroShotClassification,
	type ZeroShotClassificationInput
} from './zero-shot-classification';

const task = zeroShotClassification;

function parse(query: string | Record<string, string>): {
	input: ZeroShotClassificationInput;
	issues: ParamIssue[];
} {
	const issues: ParamIssue[] = [];
	return { input: task.parseInput(new URLSearchParams(query), issues), issues };
}

function roundTrip(input: ZeroShotClassificationInput) {
	return parse(task.serializeInput(input));
}

// Labels as the form makes them: trimmed, no commas (links separate labels with them), unique.
const label = fc
	.string({ unit: 'grapheme', minLength: 1, maxLength: 30 })
	.map((text) => text.replaceAll(',', ' ').trim())
	.filter((text) => text !== '');
const inputs = fc.record({
	text: fc.string({ unit: 'grapheme', maxLength: 200 }),
	labels: fc.uniqueArray(label, { minLength: 1, maxLength: 20 }),
	multiLabel: fc.boolean(),
	hypothesisTemplate: fc.oneof(
		fc.constant(DEFAULT_TEMPLATE),
		fc
			.tuple(fc.string({ unit: 'grapheme', maxLength: 40 }), fc.string({ unit: 'grapheme', maxLength: 40 }))
			.map(([before, after]) => `${before}{}${after}`)
	)
});

describe('zero-shot-classification share links', () => {
	it('round-trips every example', () => {
		for (const example of task.examples) expect(roundTrip(example)).toEqual({ input: example, issues: [] });
	});

	it('round-trips any input the form can make', () => {
		fc.assert(
			fc.property(inputs, (input) => {
				expect(roundTrip(input)).toEqual({ input, issues: [] });
			})
		);
	});

	it('reads the defaults, and leaves them out of links', () => {
		const { input, issues } = parse('text=hi&labels=a,b');
		expect(issues).toEqual([]);
		expect(input).toEqual({
			text: 'hi',
			labels: ['a', 'b'],
			multiLabel: false,
			hypothesisTemplate: DEFAULT_TEMPLATE
		});
		expect(task.serializeInput(input)).toEqual({ text: 'hi', labels: 'a,b' });
		expect(task.serializeInput({ ...input, multiLabel: true, hypothesisTemplate: 'About {}.' })).toEqual({
			text: 'hi',
			labels: 'a,b',
			multi_label: '1',
			template: 'About {}.'
		});
	});

	it('trims labels, drops empty ones and keeps each once', () => {
		expect(parse({ labels: ' sports ,, cooking,sports , ,politics,' }).input.labels).toEqual([
			'sports',
			'cooking',
			'politics'
		]);
		expect(splitLabels('')).toEqual([]);
	});

	it.each([
		['1', true],
		['true', true],
		['0', false],
		['false', false],
		['', false]
	])('reads multi_label=%s as %s', (value, expected) => {
		expect(parse({ multi_label: value })).toMatchObject({ input: { multiLabel: expected }, issues: [] });
	});

	const FALLBACK: ZeroShotClassificationInput = {
		text: 'hi',
		labels: ['a'],
		multiLabel: false,
		hypothesisTemplate: DEFAULT_TEMPLATE
	};

	it.each<[string, string, string, Partial<ZeroShotClassificationInput>]>([
		[
			'labels',
			Array.from({ length: 21 }, (_, i) => `l${i}`).join(','),
			'labels has 21 labels; the limit is 20.',
			{ labels: [] }
		],
		[
			'labels',
			`ok,${'x'.repeat(101)}`,
			`Each of the labels can be at most 100 characters; "${'x'.repeat(37)}…" has 101.`,
			{ labels: [] }
		],
		['multi_label', 'yes', 'multi_label must be 1 or 0 (or true or false).', {}],
		['template', 'This example is about', 'template must contain {} where the label goes.', {}],
		['template', `{}${'x'.repeat(500)}`, 'template can be at most 500 characters.', {}],
		[
			'text',
			'a'.repeat(20_001),
			'The text in this link is 20,001 characters long; the limit is 20,000.',
			{ text: '' }
		]
	])('reports %s=%s by name and falls back', (param, value, message, fallback) => {
		const { input, issues } = parse({ text: 'hi', labels: 'a', [param]: value });
		expect(issues).toEqual([{ param, message }]);
		expect(input).toEqual({ ...FALLBACK, ...fallback });
	});

	it('says why an input cannot run', () => {
		const ready: ZeroShotClassificationInput = task.examples[0];
		expect(task.whyNotRunnable(ready)).toBeNull();
		expect(task.whyNotRunnable({ ...ready, text: ' ' })).toBe('Type some text to classify.');
		expect(task.whyNotRunnable({ ...ready, labels: [] })).toBe('Add at least one label.');
		expect(task.whyNotRunnable({ ...ready, hypothesisTemplate: 'no slot' })).toBe(
			'The hypothesis template must contain {} where the label goes.'
		);
		expect(whyNotLabels(Array.from({ length: 21 }, (_, i) => `l${i}`))).toBe(
			'There can be at most 20 labels; there are 21.'
		);
	});

	it('says why a new label cannot join', () => {
		expect(whyNotNewLabel(['a'], 'b')).toBeNull();
		expect(whyNotNewLabel(['a'], 'a')).toBe('"a" is already a label.');
		expect(
			whyNotNewLabel(
				Array.from({ length: 20 }, (_, i) => `l${i}`),
				'b'
			)
		).toBe('There can be at most 20 labels.');
		expect(whyNotNewLabel([], 'y'.repeat(101))).toMatch(
			/^A label can be at most 100 characters; .* has 101\.$/
		);
	});
});

describe('zero-shot-classification run() on tiny-nli', () => {
	const models = useTinyModels('zero-shot-');
	let pipe: PipelineCall;

	beforeAll(async () => {
		pipe = await models.load('zero-shot-classification', 'browserve/tiny-nli');
	});

	it('puts sports first for a football sentence, the competing scores adding up to 1', async () => {
		const output = await task.run(pipe, task.examples[0]);
		expect(output.map((item) => item.label)[0]).toBe('sports');
		expect(output.map((item) => item.label).sort()).toEqual(['cooking', 'politics', 'sports']);
		expect(output[0]?.score).toBeGreaterThan(0.9);
		expect(output.reduce((sum, item) => sum + item.score, 0)).toBeCloseTo(1, 5);
		expect(output.map((item) => item.score)).toEqual(
			[...output.map((item) => item.score)].sort((a, b) => b - a)
		);
	});

	it('judges each label on its own when multi-label, with the template it is given', async () => {
		const output = await task.run(pipe, {
			text: 'We cooked pasta while watching the election results.',
			labels: ['cooking', 'politics', 'sports'],
			multiLabel: true,
			hypothesisTemplate: 'This text is about {}.'
		});
		const score = (name: string) => output.find((item) => item.label === name)?.score ?? NaN;
		expect(score('cooking')).toBeGreaterThan(0.9);
		expect(score('politics')).toBeGreaterThan(0.9);
		expect(score('sports')).toBeLessThan(0.5);
	});

	it('runs the one-label warm-up', async () => {
		const output = await task.run(pipe, task.warmup);
		expect(output.map((item) => item.label)).toEqual(['greeting']);
	});

	it('rejects output that is not labels with scores', async () => {
		const fake: PipelineCall = async () => ({ labels: ['a'], scores: [] });
		await expect(task.run(fake, task.examples[0])).rejects.toThrow(
			'The model did not return a score for every label.'
		);
	});
});

// Zero-shot image classification: share-link parameters both ways (image address or sample, labels,
// template), bad values reported by name, and run() against the generated tiny-clip in Node transformers.js.

import fc from 'fast-check';
import * as transformers from '@huggingface/transformers';
import { describe, expect, it } from 'vitest';
import { useTinyModels } from './testing/tiny-models';
import { linkImages, linkParser } from './testing/image-links';
import { sampleImage, SAMPLES, solidImage } from './image-classification';
import { MAX_LABEL_LENGTH, MAX_LABELS } from './candidate-labels';
import { DEFAULT_IMAGE_TEMPLATE, zeroShotImageClassification } from './zero-shot-image-classification';

const task = zeroShotImageClassification;

const parse = linkParser(task);

const linkedImages = linkImages(SAMPLES, sampleImage);
// Labels as the chips keep them: trimmed, no commas, no duplicates.
const label = fc
	.string({ minLength: 1, maxLength: MAX_LABEL_LENGTH })
	.map((text) => text.replaceAll(',', ' ').trim())
	.filter((text) => text !== '');
const labels = fc.uniqueArray(label, { minLength: 1, maxLength: MAX_LABELS });
const template = fc.oneof(
	fc.constant(DEFAULT_IMAGE_TEMPLATE),
	fc.tuple(fc.string({ maxLength: 40 }), fc.string({ maxLength: 40 })).map(([a, b]) => `${a}{}${b}`)
);

describe('zero-shot-image-classification share links', () => {
	it('round-trips every example', () => {
		for (const example of task.examples)
			expect(parse(task.serializeInput(example))).toEqual({ input: example, issues: [] });
		expect(task.serializeInput(task.examples[0])).toEqual({ sample: 'red', labels: 'red,green,blue' });
	});

	it('round-trips any input a link can carry', () => {
		fc.assert(
			fc.property(linkedImages, labels, template, (image, labels, hypothesisTemplate) => {
				const input = { ...image, labels, hypothesisTemplate };
				expect(parse(task.serializeInput(input))).toEqual({ input, issues: [] });
			})
		);
	});

	it('reports bad values by name', () => {
		const tooMany = Array.from({ length: MAX_LABELS + 1 }, (_, i) => `l${i}`).join(',');
		for (const [query, param] of [
			[{ image: 'file:///etc/passwd' }, 'image'],
			[{ sample: 'purple' }, 'sample'],
			[{ labels: tooMany }, 'labels'],
			[{ labels: 'x'.repeat(MAX_LABEL_LENGTH + 1) }, 'labels'],
			[{ template: 'no placeholder' }, 'template']
		] as const) {
			const { input, issues } = parse(query);
			expect(issues.map((issue) => issue.param)).toEqual([param]);
			expect(issues[0]?.message).toMatch(new RegExp(`${param}`, 'i'));
			expect(input).toMatchObject({
				image: null,
				url: '',
				sample: '',
				hypothesisTemplate: DEFAULT_IMAGE_TEMPLATE
			});
			if (param === 'labels') expect(input.labels).toEqual([]);
		}
	});

	it('says why an input cannot run', () => {
		const base = {
			image: solidImage([1, 2, 3]),
			url: '',
			sample: '' as const,
			labels: ['a'],
			hypothesisTemplate: DEFAULT_IMAGE_TEMPLATE
		};
		expect(task.whyNotRunnable(base)).toBeNull();
		expect(task.whyNotRunnable({ ...base, labels: [] })).toMatch(/label/);
		expect(task.whyNotRunnable({ ...base, hypothesisTemplate: 'x' })).toMatch(/\{\}/);
		expect(task.whyNotRunnable({ ...base, image: null })).toMatch(/image/);
	});
});

describe('zero-shot-image-classification run()', () => {
	const models = useTinyModels('browserve-zero-shot-image-');
	const context = { signal: new AbortController().signal, emit: () => undefined, library: transformers };

	it('ranks the label of the image colour first with tiny-clip', async () => {
		const pipe = await models.load('zero-shot-image-classification', task.defaultModels.bundled);
		const red = await task.run(pipe, task.examples[0], context);
		expect(red.map((item) => item.label)).toEqual(['red', 'green', 'blue']);
		expect(red[0]?.score).toBeGreaterThan(0.99);
		expect(red.reduce((sum, item) => sum + item.score, 0)).toBeCloseTo(1, 5);
		const blue = await task.run(pipe, task.examples[1], context);
		expect(blue[0]?.label).toBe('a blue square');
		const yellow = await task.run(
			pipe,
			{ ...task.examples[0], image: solidImage([240, 230, 20], 30), labels: ['Yellow', 'white', 'black'] },
			context
		);
		expect(yellow[0]?.label).toBe('Yellow');
	});

	it('refuses to run without pixels', async () => {
		const pipe = await models.load('zero-shot-image-classification', task.defaultModels.bundled);
		await expect(task.run(pipe, { ...task.examples[0], image: null }, context)).rejects.toThrow(
			/no decoded image/
		);
	});
});

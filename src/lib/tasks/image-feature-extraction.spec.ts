// Image feature extraction: share-link parameters both ways for both images (addresses and sample names,
// never pixels), bad values reported by name, and run() on the generated tiny-image-embedder in Node
// transformers.js, where two reds are alike and red and blue are not.

import fc from 'fast-check';
import * as transformers from '@huggingface/transformers';
import { describe, expect, it } from 'vitest';
import { useTinyModels } from './testing/tiny-models';
import { linkImages, linkParser } from './testing/image-links';
import { sampleImage, SAMPLES, solidImage } from './image-classification';
import { cosine, imageFeatureExtraction, meanTokens, type ImageSlot } from './image-feature-extraction';

const task = imageFeatureExtraction;

const parse = linkParser(task);

const slots: fc.Arbitrary<ImageSlot> = linkImages(SAMPLES, sampleImage);
const local = (rgb: [number, number, number]): ImageSlot => ({ image: solidImage(rgb), url: '', sample: '' });

describe('image-feature-extraction share links', () => {
	it('round-trips every example, built-in samples by name', () => {
		for (const example of task.examples)
			expect(parse(task.serializeInput(example))).toEqual({ input: example, issues: [] });
		expect(task.serializeInput(task.examples[0]!)).toEqual({ sample_a: 'red', sample_b: 'blue' });
	});

	it('round-trips any pair a link can carry', () => {
		fc.assert(
			fc.property(slots, slots, (a, b) => {
				expect(parse(task.serializeInput({ a, b }))).toEqual({ input: { a, b }, issues: [] });
			})
		);
	});

	it('leaves the pixels of files out of links', () => {
		expect(task.serializeInput({ a: local([1, 2, 3]), b: local([4, 5, 6]) })).toEqual({});
	});

	it('reports bad addresses and samples by the parameter they came in', () => {
		const { input, issues } = parse({ image_a: 'javascript:alert(1)', sample_b: 'purple' });
		expect(input.a.url).toBe('');
		expect(input.b.image).toBeNull();
		expect(issues.map((issue) => issue.param)).toEqual(['image_a', 'sample_b']);
		expect(issues[0]!.message).toMatch(/^image_a must be/);
		expect(issues[1]!.message).toMatch(/^sample_b must be one of red/);
	});

	it('says which image is missing', () => {
		const none: ImageSlot = { image: null, url: '', sample: '' };
		expect(task.whyNotRunnable({ a: none, b: local([1, 2, 3]) })).toMatch(/image A/);
		expect(
			task.whyNotRunnable({ a: local([1, 2, 3]), b: { ...none, url: 'https://example.org/b.png' } })
		).toMatch(/Waiting for image B/);
		expect(task.whyNotRunnable({ a: local([1, 2, 3]), b: local([1, 2, 3]) })).toBeNull();
	});
});

describe('pooling and similarity', () => {
	it('averages tokens and compares directions', () => {
		expect(meanTokens([1, 2, 3, 4, 9, 9], 0, 2, 2)).toEqual([2, 3]);
		expect(meanTokens([1, 2, 3, 4, 9, 9], 4, 1, 2)).toEqual([9, 9]);
		expect(cosine([1, 0], [2, 0])).toBeCloseTo(1);
		expect(cosine([1, 0], [0, 3])).toBeCloseTo(0);
		expect(cosine([0, 0], [1, 1])).toBe(0);
	});
});

describe('image-feature-extraction run()', () => {
	const models = useTinyModels('browserve-image-feature-extraction-');
	const context = { signal: new AbortController().signal, emit: () => undefined, library: transformers };

	it('finds two reds alike and red and blue apart', async () => {
		const pipe = await models.load('image-feature-extraction', task.defaultModels.bundled);
		const same = await task.run(pipe, { a: local([230, 30, 20]), b: local([240, 20, 30]) }, context);
		expect(same).toMatchObject({ tokens: 16, dim: 8 });
		expect(same.similarity).toBeGreaterThan(0.99);
		// The warm-up example (red against blue) runs on the bundled model.
		const apart = await task.run(pipe, task.examples[0]!, context);
		expect(apart.similarity).toBeLessThan(same.similarity - 0.5);
	});

	it('refuses to run without both images', async () => {
		const pipe = await models.load('image-feature-extraction', task.defaultModels.bundled);
		await expect(
			task.run(pipe, { a: local([1, 2, 3]), b: { image: null, url: '', sample: '' } }, context)
		).rejects.toThrow(/two decoded images/);
	});
});

// Image classification: share-link parameters both ways (image addresses only, never pixels), bad values
// reported by name, and run() on a red RawImage against the generated tiny-colors in Node transformers.js.

import fc from 'fast-check';
import * as transformers from '@huggingface/transformers';
import { describe, expect, it } from 'vitest';
import { useTinyModels } from './testing/tiny-models';
import { linkImages, linkParser, webUrl } from './testing/image-links';
import {
	DEFAULT_TOP_K,
	imageClassification,
	sampleImage,
	SAMPLES,
	solidImage,
	whyNotImageUrl
} from './image-classification';

const task = imageClassification;

const parse = linkParser(task);

const linkInputs = linkImages(SAMPLES, sampleImage).chain((image) =>
	fc.record({ topK: fc.integer({ min: 0, max: 1000 }) }).map(({ topK }) => ({ ...image, topK }))
);

describe('image-classification share links', () => {
	it('round-trips every example, a built-in sample by its name', () => {
		for (const example of task.examples)
			expect(parse(task.serializeInput(example))).toEqual({ input: example, issues: [] });
		expect(task.serializeInput(task.examples[0]!)).toEqual({ sample: 'red' });
	});

	it('leaves the pixels of a file out of links', () => {
		expect(task.serializeInput({ image: solidImage([1, 2, 3]), url: '', sample: '', topK: 3 })).toEqual({
			top_k: '3'
		});
	});

	it('reports an unknown sample by name, and an address wins over a sample', () => {
		const unknown = parse({ sample: 'purple' });
		expect(unknown.input.image).toBeNull();
		expect(unknown.issues.map((issue) => issue.param)).toEqual(['sample']);
		const both = parse({ sample: 'red', image: 'https://example.org/a.png' });
		expect(both.input).toMatchObject({ image: null, sample: '', url: 'https://example.org/a.png' });
	});

	it('round-trips any input a link can carry', () => {
		fc.assert(
			fc.property(linkInputs, (input) => {
				expect(parse(task.serializeInput(input))).toEqual({ input, issues: [] });
			})
		);
	});

	it('refuses addresses that are not http(s), naming the parameter', () => {
		for (const bad of [
			'javascript:alert(1)',
			'data:image/png;base64,AAAA',
			'file:///etc/passwd',
			'not a url'
		]) {
			const { input, issues } = parse({ image: bad });
			expect(input.url).toBe('');
			expect(issues).toHaveLength(1);
			expect(issues[0]!.param).toBe('image');
			expect(issues[0]!.message).toMatch(/^image must be/);
		}
		expect(whyNotImageUrl('https://example.org/cat.png')).toBeNull();
		fc.assert(
			fc.property(webUrl, (url) => {
				expect(whyNotImageUrl(url)).toBeNull();
			})
		);
	});

	it('reports a bad top_k by name', () => {
		for (const bad of ['-1', 'x', '1.5', '1001']) {
			const { input, issues } = parse({ top_k: bad });
			expect(input.topK).toBe(DEFAULT_TOP_K);
			expect(issues.map((issue) => issue.param)).toEqual(['top_k']);
		}
	});

	it('says why an input cannot run', () => {
		expect(task.whyNotRunnable({ image: null, url: '', sample: '', topK: 5 })).toMatch(/image/);
		expect(
			task.whyNotRunnable({ image: null, url: 'https://example.org/a.png', sample: '', topK: 5 })
		).toMatch(/Waiting/);
		expect(task.whyNotRunnable({ image: solidImage([1, 2, 3]), url: '', sample: '', topK: 5 })).toBeNull();
		expect(task.whyNotRunnable({ image: solidImage([1, 2, 3]), url: '', sample: '', topK: -1 })).toMatch(
			/top_k/
		);
	});
});

describe('image-classification run()', () => {
	const models = useTinyModels('browserve-image-classification-');
	const context = { signal: new AbortController().signal, emit: () => undefined, library: transformers };

	it('names a red image red with the tiny colour model, top_k limiting the labels', async () => {
		const pipe = await models.load('image-classification', task.defaultModels.bundled);
		const all = await task.run(
			pipe,
			{ image: solidImage([255, 0, 0], 24), url: '', sample: '', topK: 0 },
			context
		);
		expect(all.map((item) => item.label)).toHaveLength(3);
		expect(all[0]!.label).toBe('red');
		expect(all[0]!.score).toBeGreaterThan(0.9);
		const top = await task.run(
			pipe,
			{ image: solidImage([0, 0, 255]), url: '', sample: '', topK: 1 },
			context
		);
		expect(top.map((item) => item.label)).toEqual(['blue']);
		// The warm-up example works on the bundled model.
		const warm = await task.run(pipe, task.examples[0]!, context);
		expect(warm[0]!.label).toBe('red');
	});

	it('refuses to run without pixels', async () => {
		const pipe = await models.load('image-classification', task.defaultModels.bundled);
		await expect(task.run(pipe, { image: null, url: '', sample: '', topK: 5 }, context)).rejects.toThrow(
			/no decoded image/
		);
	});
});

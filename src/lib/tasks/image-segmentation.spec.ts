// Image segmentation: the image input the three image-to-pixels tasks share (share-link parameters both ways,
// bad values reported by name, the samples, pixel conversion), and run() against the generated tiny-segformer
// in Node transformers.js, whose masks are exactly the sample's red and blue pixels.

import fc from 'fast-check';
import * as transformers from '@huggingface/transformers';
import { describe, expect, it } from 'vitest';
import { useTinyModels } from './testing/tiny-models';
import { linkImages, linkParser } from './testing/image-links';
import { solidImage, type RgbaImage } from './image-classification';
import {
	IMAGE_SAMPLES,
	imageSample,
	imageSegmentation,
	isRawPixels,
	SAMPLE_COLOURS,
	SAMPLE_HEIGHT,
	SAMPLE_WIDTH,
	toRgba,
	type ImageTaskInput
} from './image-segmentation';

const task = imageSegmentation;

const parse = linkParser(task);

const linkInputs: fc.Arbitrary<ImageTaskInput> = linkImages(IMAGE_SAMPLES, imageSample);

/** The colour name of a sample pixel: what the bundled models see in it. */
function colourAt(image: RgbaImage, pixel: number): 'red' | 'blue' | 'white' {
	const rgb = Array.from(image.data.slice(pixel * 4, pixel * 4 + 3));
	for (const name of ['red', 'blue', 'white'] as const) {
		if (rgb.every((value, c) => value === SAMPLE_COLOURS[name][c])) return name;
	}
	throw new Error(`pixel ${pixel} is ${rgb.join(', ')}, not a sample colour`);
}

describe('image input share links', () => {
	it('round-trips every example, a built-in sample by its name', () => {
		for (const example of task.examples)
			expect(parse(task.serializeInput(example))).toEqual({ input: example, issues: [] });
		expect(task.serializeInput(task.examples[0]!)).toEqual({ sample: 'shapes' });
	});

	it('round-trips any input a link can carry', () => {
		fc.assert(
			fc.property(linkInputs, (input) => {
				expect(parse(task.serializeInput(input))).toEqual({ input, issues: [] });
			})
		);
	});

	it('leaves the pixels of a file out of links, and prefers an address to a sample', () => {
		expect(task.serializeInput({ image: solidImage([1, 2, 3]), url: '', sample: '' })).toEqual({});
		const both = parse({ image: 'https://example.org/a.png', sample: 'shapes' });
		expect(both.input).toEqual({ image: null, url: 'https://example.org/a.png', sample: '' });
		expect(both.issues).toEqual([]);
	});

	it('reports a bad image address and an unknown sample by name', () => {
		for (const bad of ['javascript:alert(1)', 'data:image/png;base64,AAAA', 'not a url']) {
			const { input, issues } = parse({ image: bad });
			expect(input.url).toBe('');
			expect(issues.map((issue) => issue.param)).toEqual(['image']);
			expect(issues[0]!.message).toMatch(/^image must be/);
		}
		const unknown = parse({ sample: 'purple' });
		expect(unknown.input.image).toBeNull();
		expect(unknown.issues).toEqual([{ param: 'sample', message: 'sample must be one of shapes, stripes.' }]);
	});

	it('says why an input cannot run', () => {
		expect(task.whyNotRunnable({ image: null, url: '', sample: '' })).toMatch(/image/);
		expect(task.whyNotRunnable({ image: null, url: 'https://example.org/a.png', sample: '' })).toMatch(
			/Waiting/
		);
		expect(task.whyNotRunnable({ image: solidImage([1, 2, 3]), url: '', sample: '' })).toBeNull();
	});
});

describe('samples and pixels', () => {
	it('draws the samples in their three colours only, with hard edges', () => {
		const shapes = imageSample('shapes');
		expect([shapes.width, shapes.height]).toEqual([SAMPLE_WIDTH, SAMPLE_HEIGHT]);
		const counts = { red: 0, blue: 0, white: 0 };
		for (let p = 0; p < SAMPLE_WIDTH * SAMPLE_HEIGHT; p++) counts[colourAt(shapes, p)]++;
		expect(counts).toEqual({ red: 320, blue: 253, white: 963 });
		expect(shapes.data.filter((_, i) => i % 4 === 3).every((alpha) => alpha === 255)).toBe(true);
	});

	it('turns 1-, 3- and 4-channel pixels into RGBA, cropping from the top left', () => {
		const grey = { data: Uint8Array.of(7, 8, 9, 10), width: 2, height: 2, channels: 1 };
		expect(Array.from(new Uint8Array(toRgba(grey, 1, 2)))).toEqual([7, 7, 7, 255, 9, 9, 9, 255]);
		const rgb = { data: Uint8Array.of(1, 2, 3, 4, 5, 6), width: 2, height: 1, channels: 3 };
		expect(Array.from(new Uint8Array(toRgba(rgb)))).toEqual([1, 2, 3, 255, 4, 5, 6, 255]);
		const rgba = { data: Uint8ClampedArray.of(1, 2, 3, 0), width: 1, height: 1, channels: 4 };
		expect(Array.from(new Uint8Array(toRgba(rgba)))).toEqual([1, 2, 3, 0]);
	});

	it('accepts only whole byte images as raw pixels', () => {
		expect(isRawPixels({ data: new Uint8Array(12), width: 2, height: 2, channels: 3 })).toBe(true);
		expect(isRawPixels({ data: new Uint8Array(11), width: 2, height: 2, channels: 3 })).toBe(false);
		expect(isRawPixels({ data: new Float32Array(4), width: 2, height: 2, channels: 1 })).toBe(false);
		expect(isRawPixels({ data: new Uint8Array(8), width: 2, height: 2, channels: 2 })).toBe(false);
		expect(isRawPixels(null)).toBe(false);
	});
});

describe('image-segmentation run()', () => {
	const models = useTinyModels('browserve-image-segmentation-');
	const context = { signal: new AbortController().signal, emit: () => undefined, library: transformers };

	it('gives background, red and blue, each mask exactly its pixels, and hands back the image', async () => {
		const pipe = await models.load('image-segmentation', task.defaultModels.bundled);
		const example = task.examples[0]!;
		const before = Array.from(example.image!.data);
		const out = await task.run(pipe, example, context);
		expect(out.segments).toEqual([
			{ label: 'background', score: null, pixels: 963 },
			{ label: 'red', score: null, pixels: 320 },
			{ label: 'blue', score: null, pixels: 253 }
		]);
		expect([out.width, out.height]).toEqual([SAMPLE_WIDTH, SAMPLE_HEIGHT]);
		const size = SAMPLE_WIDTH * SAMPLE_HEIGHT;
		const masks = new Uint8Array(out.masks);
		expect(masks).toHaveLength(3 * size);
		const names = { background: 'white', red: 'red', blue: 'blue' } as const;
		out.segments.forEach((segment, index) => {
			const colour = names[segment.label as keyof typeof names];
			const expected = Array.from({ length: size }, (_, p) =>
				colourAt(example.image!, p) === colour ? 255 : 0
			);
			expect(Array.from(masks.subarray(index * size, (index + 1) * size)), colour).toEqual(expected);
		});
		expect(Array.from(new Uint8ClampedArray(out.image))).toEqual(before);
		// The warm-up example is reused: its pixels must still be there, unchanged.
		expect(Array.from(example.image!.data)).toEqual(before);
	});

	it('lists only the labels present', async () => {
		const pipe = await models.load('image-segmentation', task.defaultModels.bundled);
		const out = await task.run(pipe, { image: solidImage([255, 255, 255], 8), url: '', sample: '' }, context);
		expect(out.segments).toEqual([{ label: 'background', score: null, pixels: 64 }]);
	});

	it('takes a mask-only model (a background remover) as one unlabelled segment', async () => {
		const pipe = await models.load('image-segmentation', 'browserve/tiny-matting');
		const out = await task.run(pipe, task.examples[0]!, context);
		expect(out.segments).toEqual([{ label: null, score: null, pixels: 320 + 253 }]);
	});

	it('refuses to run without pixels', async () => {
		const pipe = await models.load('image-segmentation', task.defaultModels.bundled);
		await expect(task.run(pipe, { image: null, url: '', sample: '' }, context)).rejects.toThrow(
			/no decoded image to segment/
		);
	});
});

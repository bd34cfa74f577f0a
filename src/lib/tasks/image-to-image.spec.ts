// Image-to-image: its share links (the image input it shares with image segmentation, so only a round trip and
// a refusal here), reading a model's declared upscale, and run() against the generated tiny-upscaler in Node
// transformers.js: every output pixel is its input pixel, and Swin2SR's padding is cropped away.

import fc from 'fast-check';
import * as transformers from '@huggingface/transformers';
import { describe, expect, it } from 'vitest';
import { useTinyModels } from './testing/tiny-models';
import { linkImages, linkParser } from './testing/image-links';
import type { RgbaImage } from './image-classification';
import { IMAGE_SAMPLES, imageSample } from './image-segmentation';
import { declaredUpscale, imageToImage, type ImageToImageOutput } from './image-to-image';

const task = imageToImage;

const parse = linkParser(task);

/** Checks that `out` is `image` with every pixel repeated as a scale×scale block. */
function expectNearestUpscale(out: ImageToImageOutput, image: RgbaImage, scale: number): void {
	expect([out.width, out.height, out.outputWidth, out.outputHeight]).toEqual([
		image.width,
		image.height,
		image.width * scale,
		image.height * scale
	]);
	const rgba = new Uint8ClampedArray(out.rgba);
	expect(rgba).toHaveLength(out.outputWidth * out.outputHeight * 4);
	const expected = new Uint8ClampedArray(rgba.length);
	for (let y = 0; y < out.outputHeight; y++) {
		for (let x = 0; x < out.outputWidth; x++) {
			const from = (Math.floor(y / scale) * image.width + Math.floor(x / scale)) * 4;
			expected.set(image.data.subarray(from, from + 3), (y * out.outputWidth + x) * 4);
			expected[(y * out.outputWidth + x) * 4 + 3] = 255;
		}
	}
	expect(Array.from(rgba)).toEqual(Array.from(expected));
	expect(Array.from(new Uint8ClampedArray(out.input))).toEqual(Array.from(image.data));
}

describe('image-to-image share links', () => {
	it('round-trips every example and any sample or address', () => {
		for (const example of task.examples)
			expect(parse(task.serializeInput(example))).toEqual({ input: example, issues: [] });
		const inputs = linkImages(IMAGE_SAMPLES, imageSample);
		fc.assert(
			fc.property(inputs, (input) => {
				expect(parse(task.serializeInput(input))).toEqual({ input, issues: [] });
			})
		);
	});

	it('reports bad values by name and lists only its own parameters', () => {
		expect(parse({ image: 'ftp://example.org/a.png' }).issues.map((i) => i.param)).toEqual(['image']);
		expect(parse({ sample: 'SHAPES' }).issues[0]!.message).toBe('sample must be one of shapes, stripes.');
		expect(task.params).toEqual(['image', 'sample']);
	});
});

describe('declared upscale', () => {
	it('reads a whole-number upscale from the model config, and nothing else', () => {
		const withConfig = (config: unknown) => Object.assign(() => undefined, { model: { config } });
		expect(declaredUpscale(withConfig({ upscale: 4 }))).toBe(4);
		expect(declaredUpscale(withConfig({ upscale: 1.5 }))).toBeNull();
		expect(declaredUpscale(withConfig({ upscale: '2' }))).toBeNull();
		expect(declaredUpscale(withConfig({}))).toBeNull();
		expect(declaredUpscale(() => undefined)).toBeNull();
		expect(declaredUpscale(null)).toBeNull();
	});
});

describe('image-to-image run()', () => {
	const models = useTinyModels('browserve-image-to-image-');
	const context = { signal: new AbortController().signal, emit: () => undefined, library: transformers };

	it('upscales the sample 2× by repeating pixels', async () => {
		const pipe = await models.load('image-to-image', task.defaultModels.bundled);
		expect(declaredUpscale(pipe)).toBe(2);
		const example = task.examples[0]!;
		const out = await task.run(pipe, example, context);
		expectNearestUpscale(out, example.image!, 2);
	});

	it('crops away the padding of an image whose sides are not multiples of 8', async () => {
		const pipe = await models.load('image-to-image', task.defaultModels.bundled);
		const data = new Uint8ClampedArray(5 * 3 * 4).map((_, i) => (i % 4 === 3 ? 255 : (i * 41 + 7) % 256));
		const image = { width: 5, height: 3, data };
		const out = await task.run(pipe, { image, url: '', sample: '' }, context);
		expectNearestUpscale(out, image, 2);
	});

	it('refuses to run without pixels', async () => {
		const pipe = await models.load('image-to-image', task.defaultModels.bundled);
		await expect(task.run(pipe, { image: null, url: '', sample: '' }, context)).rejects.toThrow(
			/no decoded image to transform/
		);
	});
});

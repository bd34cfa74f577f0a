// Background removal: its share links (the image input it shares with image segmentation, so only a round trip
// and a refusal here) and run() against the generated tiny-matting in Node transformers.js, whose cut-out keeps
// the sample's red and blue pixels whole and makes its white ones fully transparent.

import fc from 'fast-check';
import * as transformers from '@huggingface/transformers';
import { describe, expect, it } from 'vitest';
import { useTinyModels } from './testing/tiny-models';
import { linkImages, linkParser } from './testing/image-links';
import { solidImage } from './image-classification';
import { IMAGE_SAMPLES, imageSample, SAMPLE_COLOURS } from './image-segmentation';
import { backgroundRemoval } from './background-removal';

const task = backgroundRemoval;

const parse = linkParser(task);

describe('background-removal share links', () => {
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
		expect(parse({ image: 'file:///etc/passwd', sample: 'nope' }).issues.map((i) => i.param)).toEqual([
			'image',
			'sample'
		]);
		expect(task.params).toEqual(['image', 'sample']);
		expect(task.whyNotRunnable({ image: null, url: '', sample: '' })).toMatch(/image/);
	});
});

describe('background-removal run()', () => {
	const models = useTinyModels('browserve-background-removal-');
	const context = { signal: new AbortController().signal, emit: () => undefined, library: transformers };

	it('keeps the red and blue shapes whole and makes the white fully transparent', async () => {
		const pipe = await models.load('background-removal', task.defaultModels.bundled);
		const example = task.examples[0]!;
		const pixels = Array.from(example.image!.data);
		const out = await task.run(pipe, example, context);
		expect({ ...out, rgba: undefined }).toEqual({
			width: 48,
			height: 32,
			opaque: 320 + 253,
			transparent: 963,
			rgba: undefined
		});
		const rgba = Array.from(new Uint8ClampedArray(out.rgba));
		const white = SAMPLE_COLOURS.white;
		const expected = pixels.map((value, i) => {
			if (i % 4 !== 3) return value;
			const rgb = pixels.slice(i - 3, i);
			return rgb.every((c, k) => c === white[k]) ? 0 : 255;
		});
		expect(rgba).toEqual(expected);
		expect(Array.from(example.image!.data)).toEqual(pixels);
	});

	it('leaves an image with no white alone', async () => {
		const pipe = await models.load('background-removal', task.defaultModels.bundled);
		const out = await task.run(pipe, { image: solidImage([10, 20, 30], 4), url: '', sample: '' }, context);
		expect([out.opaque, out.transparent]).toEqual([16, 0]);
	});

	it('refuses to run without pixels', async () => {
		const pipe = await models.load('background-removal', task.defaultModels.bundled);
		await expect(task.run(pipe, { image: null, url: '', sample: '' }, context)).rejects.toThrow(
			/no decoded image to remove the background from/
		);
	});
});

// Image segmentation (SegFormer, DETR panoptic, MaskFormer): one image in, the regions the model finds out, each
// with its label, score and a per-pixel mask. The masks and the image come back as binary buffers (transferred,
// and shown in the raw JSON only as `{}`), the labels, scores and mask areas as plain data. This file also holds
// what background removal and image-to-image share with it: the built-in samples drawn here, the share-link
// parameters of an image named by web address or by sample, and pixels coming back from transformers.js.

import type { TaskSpec } from './types';
import {
	decodedImage,
	drawSamples,
	imageOnlyInput,
	rawImageOf,
	type ImageSource,
	type RgbaImage
} from './image-source';

/** What the three image-to-pixels tasks take: an image, and where it came from. */
export type ImageTaskInput = ImageSource<ImageSampleName>;

export type Rgb = readonly [number, number, number];

/** The colours the samples are drawn in: strong enough for the bundled models, pleasant enough to look at. */
export const SAMPLE_COLOURS = {
	red: [220, 40, 40],
	blue: [40, 70, 220],
	white: [255, 255, 255]
} as const satisfies Record<string, Rgb>;

type Painter = (x: number, y: number) => Rgb;

/** Built-in images, made in code, that links can name (`sample=shapes`); they need no network. */
export const IMAGE_SAMPLES = {
	/** A red rectangle and a blue disc on white. */
	shapes: (x, y) => {
		if (x >= 4 && x < 20 && y >= 6 && y < 26) return SAMPLE_COLOURS.red;
		if ((x - 34) ** 2 + (y - 16) ** 2 <= 81) return SAMPLE_COLOURS.blue;
		return SAMPLE_COLOURS.white;
	},
	/** Three upright bands: red, white, blue. */
	stripes: (x) => (x < 16 ? SAMPLE_COLOURS.red : x < 32 ? SAMPLE_COLOURS.white : SAMPLE_COLOURS.blue)
} as const satisfies Record<string, Painter>;
export type ImageSampleName = keyof typeof IMAGE_SAMPLES;

export const SAMPLE_WIDTH = 48;
export const SAMPLE_HEIGHT = 32;

/** A sample as an input's image, 48×32 with hard edges (no blending), so every pixel is one of its colours. */
export function imageSample(name: ImageSampleName): RgbaImage {
	const paint: Painter = IMAGE_SAMPLES[name];
	const data = new Uint8ClampedArray(SAMPLE_WIDTH * SAMPLE_HEIGHT * 4);
	for (let y = 0; y < SAMPLE_HEIGHT; y++) {
		for (let x = 0; x < SAMPLE_WIDTH; x++) data.set([...paint(x, y), 255], (y * SAMPLE_WIDTH + x) * 4);
	}
	return { width: SAMPLE_WIDTH, height: SAMPLE_HEIGHT, data };
}

/** The share-link side of the image-to-pixels tasks' input: an address, or one of the samples drawn here. */
export const imageTaskInput = imageOnlyInput(drawSamples(IMAGE_SAMPLES, imageSample));

/** Pixels as transformers.js returns them (a RawImage): 1, 3 or 4 channels of bytes, row by row. */
export interface RawPixels {
	data: ArrayLike<number>;
	width: number;
	height: number;
	channels: number;
}

export function isRawPixels(value: unknown): value is RawPixels {
	if (typeof value !== 'object' || value === null) return false;
	if (!('data' in value && 'width' in value && 'height' in value && 'channels' in value)) return false;
	const { data, width, height, channels } = value;
	return (
		(data instanceof Uint8Array || data instanceof Uint8ClampedArray) &&
		typeof width === 'number' &&
		typeof height === 'number' &&
		typeof channels === 'number' &&
		Number.isInteger(width) &&
		Number.isInteger(height) &&
		width > 0 &&
		height > 0 &&
		[1, 3, 4].includes(channels) &&
		data.length === width * height * channels
	);
}

/** RGBA bytes of a top-left crop (or the whole) of 1-, 3- or 4-channel pixels, in a buffer of their own. */
export function toRgba(pixels: RawPixels, width = pixels.width, height = pixels.height): ArrayBuffer {
	const out = new Uint8ClampedArray(width * height * 4);
	const { data, channels } = pixels;
	for (let y = 0; y < height; y++) {
		for (let x = 0; x < width; x++) {
			const from = (y * pixels.width + x) * channels;
			const to = (y * width + x) * 4;
			const r = data[from] ?? 0;
			out[to] = r;
			out[to + 1] = channels === 1 ? r : (data[from + 1] ?? 0);
			out[to + 2] = channels === 1 ? r : (data[from + 2] ?? 0);
			out[to + 3] = channels === 4 ? (data[from + 3] ?? 0) : 255;
		}
	}
	return out.buffer;
}

export interface Segment {
	/** The model's name for the region; null from models that only give a mask (background removers). */
	label: string | null;
	/** The model's confidence; null for semantic segmentation, which scores pixels, not regions. */
	score: number | null;
	/** The mask's size: how many pixels are at least half in it. */
	pixels: number;
}

export interface ImageSegmentationOutput {
	/** The size of the image, which every mask has too. */
	width: number;
	height: number;
	segments: Segment[];
	/** The image's RGBA pixels, for drawing the masks over. */
	image: ArrayBuffer;
	/** The masks, 0–255 per pixel (255: in it), one after another: segment i starts at byte i·width·height. */
	masks: ArrayBuffer;
}

interface RawSegment {
	label: string | null;
	score: number | null;
	mask: RawPixels;
}

function isRawSegments(value: unknown): value is RawSegment[] {
	return (
		Array.isArray(value) &&
		value.every(
			(item: unknown) =>
				typeof item === 'object' &&
				item !== null &&
				'label' in item &&
				(item.label === null || typeof item.label === 'string') &&
				'score' in item &&
				(item.score === null || typeof item.score === 'number') &&
				'mask' in item &&
				isRawPixels(item.mask) &&
				item.mask.channels === 1
		)
	);
}

export const imageSegmentation = {
	id: 'image-segmentation',
	pipeline: 'image-segmentation',
	modality: 'cv',
	defaultModels: {
		huggingface: 'Xenova/segformer-b0-finetuned-ade-512-512',
		bundled: 'browserve/tiny-segformer'
	},
	params: ['image', 'sample'],
	examples: [
		// The first runs as the warm-up on the bundled model, which finds red and blue: the shapes show both.
		{ image: imageSample('shapes'), url: '', sample: 'shapes' },
		{ image: imageSample('stripes'), url: '', sample: 'stripes' },
		{
			image: null,
			url: 'https://huggingface.co/datasets/Xenova/transformers.js-docs/resolve/main/cats.jpg',
			sample: ''
		}
	],
	...imageTaskInput,
	async run(pipe, input, context) {
		const image = decodedImage(input.image, 'segment');
		const raw = await pipe(rawImageOf(context.library, image, { copy: true }));
		if (!isRawSegments(raw)) throw new TypeError('The model did not return labelled masks.');
		const size = image.width * image.height;
		const masks = new Uint8Array(size * raw.length);
		const segments = raw.map(({ label, score, mask }, i): Segment => {
			if (mask.width !== image.width || mask.height !== image.height) {
				throw new TypeError(
					`The model returned a ${mask.width}×${mask.height} mask for a ${image.width}×${image.height} image.`
				);
			}
			let pixels = 0;
			for (let p = 0; p < size; p++) {
				const value = mask.data[p] ?? 0;
				masks[i * size + p] = value;
				if (value >= 128) pixels++;
			}
			return { label, score, pixels };
		});
		return {
			width: image.width,
			height: image.height,
			segments,
			image: image.data.slice().buffer,
			masks: masks.buffer
		};
	}
} as const satisfies TaskSpec<ImageTaskInput, ImageSegmentationOutput>;

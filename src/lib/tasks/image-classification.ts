// Image classification (ViT and friends): one image in, its most likely labels with probabilities out. The
// pixels are decoded and downscaled on the page and cross to the worker as RGBA (transferred, not copied);
// a share link carries only an image's http(s) URL, which the page fetches before it runs.

import type { TaskSpec } from './types';
import { readIntParam } from './types';
import { isLabelScores, type LabelScore } from './text-classification';

/** Decoded pixels, 4 bytes (RGBA) per pixel, row by row. */
export interface RgbaImage {
	width: number;
	height: number;
	data: Uint8ClampedArray;
}

export interface ImageClassificationInput {
	/** The image to classify, once the page has decoded it; null until a file, paste or URL gives one. */
	image: RgbaImage | null;
	/** Where the image came from when it is on the web (what a share link carries); '' otherwise. */
	url: string;
	/** The built-in sample the image is (so example links reproduce it without any network); '' otherwise. */
	sample: SampleName | '';
	/** How many labels to return; 0 means all of them. */
	topK: number;
}

export type ImageClassificationOutput = LabelScore[];

/** The pipeline's own default number of labels; links leave it out. */
export const DEFAULT_TOP_K = 5;

/** Why a share link's image URL cannot be fetched by the page, or null when it is an http(s) URL. */
export function whyNotImageUrl(text: string, name = 'image'): string | null {
	let url: URL;
	try {
		url = new URL(text);
	} catch {
		return `${name} must be a full web address starting with http:// or https://.`;
	}
	// data:, blob:, javascript: and file: links would run or read things other than a public image.
	if (url.protocol !== 'http:' && url.protocol !== 'https:') {
		return `${name} must be an http:// or https:// address, not ${url.protocol}`;
	}
	return null;
}

/** Why a number of labels cannot run (the form's number field can hold anything), or null. */
export function whyNotTopK(topK: number): string | null {
	return Number.isInteger(topK) && topK >= 0 && topK <= 1000
		? null
		: 'top_k must be a whole number from 0 to 1000.';
}

/** Built-in images, made in code, that links can name (`sample=red`): they run with no network at all. */
export const SAMPLES = {
	red: [230, 30, 20],
	green: [30, 200, 40],
	blue: [20, 40, 220]
} as const satisfies Record<string, readonly [number, number, number]>;
export type SampleName = keyof typeof SAMPLES;

function isSampleName(value: string): value is SampleName {
	return Object.hasOwn(SAMPLES, value);
}

/** A sample as an input's image. */
export function sampleImage(name: SampleName): RgbaImage {
	return solidImage(SAMPLES[name]);
}

/** A solid colour image built in code. */
export function solidImage(rgb: readonly [number, number, number], size = 16): RgbaImage {
	const data = new Uint8ClampedArray(size * size * 4);
	for (let i = 0; i < data.length; i += 4) {
		data[i] = rgb[0];
		data[i + 1] = rgb[1];
		data[i + 2] = rgb[2];
		data[i + 3] = 255;
	}
	return { width: size, height: size, data };
}

function isRgbaImage(value: RgbaImage | null): value is RgbaImage {
	return (
		value !== null &&
		Number.isInteger(value.width) &&
		Number.isInteger(value.height) &&
		value.width > 0 &&
		value.height > 0 &&
		value.data instanceof Uint8ClampedArray &&
		value.data.length === value.width * value.height * 4
	);
}

export const imageClassification = {
	id: 'image-classification',
	pipeline: 'image-classification',
	modality: 'cv',
	defaultModels: {
		huggingface: 'Xenova/vit-base-patch16-224',
		bundled: 'browserve/tiny-colors'
	},
	params: ['image', 'sample', 'top_k'],
	examples: [
		// The first runs as the warm-up on the bundled colour model, so it is a solid red square.
		{ image: sampleImage('red'), url: '', sample: 'red', topK: DEFAULT_TOP_K },
		{ image: sampleImage('blue'), url: '', sample: 'blue', topK: DEFAULT_TOP_K },
		{
			image: null,
			url: 'https://huggingface.co/datasets/Xenova/transformers.js-docs/resolve/main/tiger.jpg',
			sample: '',
			topK: DEFAULT_TOP_K
		}
	],
	parseInput(params, issues) {
		let url = params.get('image') ?? '';
		const problem = url === '' ? null : whyNotImageUrl(url);
		if (problem !== null) {
			issues.push({ param: 'image', message: problem });
			url = '';
		}
		const sample = params.get('sample') ?? '';
		if (sample !== '' && !isSampleName(sample)) {
			issues.push({
				param: 'sample',
				message: `sample must be one of ${Object.keys(SAMPLES).join(', ')}.`
			});
		}
		const named = isSampleName(sample) && url === '' ? sample : '';
		return {
			image: named ? sampleImage(named) : null,
			url,
			sample: named,
			topK: readIntParam(params, 'top_k', { min: 0, max: 1000, fallback: DEFAULT_TOP_K }, issues)
		};
	},
	serializeInput(input): Record<string, string> {
		// The pixels of a local file cannot travel in a link; a web address or a built-in sample's name can.
		const params: Record<string, string> = {};
		if (input.url) params.image = input.url;
		else if (input.sample) params.sample = input.sample;
		if (input.topK !== DEFAULT_TOP_K) params.top_k = String(input.topK);
		return params;
	},
	whyNotRunnable(input) {
		const topK = whyNotTopK(input.topK);
		if (topK !== null) return topK;
		if (input.image !== null) return null;
		return input.url
			? 'Waiting for the image from its address…'
			: 'Choose, drop or paste an image, or give its web address.';
	},
	async run(pipe, input, context) {
		const image = input.image;
		if (!isRgbaImage(image)) throw new TypeError('There is no decoded image to classify.');
		const raw = await pipe(new context.library.RawImage(image.data, image.width, image.height, 4), {
			// top_k null asks transformers.js for every label, sorted by score.
			top_k: input.topK || null
		});
		if (!isLabelScores(raw)) throw new TypeError('The model did not return labels with scores.');
		return raw;
	}
} as const satisfies TaskSpec<ImageClassificationInput, ImageClassificationOutput>;

// Image classification (ViT and friends): one image in, its most likely labels with probabilities out. The
// pixels are decoded and downscaled on the page and cross to the worker as RGBA (transferred, not copied);
// a share link carries only an image's http(s) URL, which the page fetches before it runs.

import type { TaskSpec } from './types';
import { readIntParam } from './types';
import { isLabelScores, type LabelScore } from './text-classification';
import {
	drawSamples,
	imageSourceParams,
	readImageSource,
	toRawImage,
	whyNoImage,
	type ImageSource,
	type RgbaImage
} from './image-source';

// The audio, ONNX and voice-activity tasks check their own addresses with this, and name pixels with this type.
export { whyNotImageUrl, type RgbaImage } from './image-source';

export interface ImageClassificationInput extends ImageSource<SampleName> {
	/** How many labels to return; 0 means all of them. */
	topK: number;
}

export type ImageClassificationOutput = LabelScore[];

/** The pipeline's own default number of labels; links leave it out. */
export const DEFAULT_TOP_K = 5;

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

/** The colour samples, by name, for the tasks that take them (a link's `sample=red`). */
export const COLOUR_SAMPLES = drawSamples(SAMPLES, sampleImage);

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
		return {
			...readImageSource(params, COLOUR_SAMPLES, issues),
			topK: readIntParam(params, 'top_k', { min: 0, max: 1000, fallback: DEFAULT_TOP_K }, issues)
		};
	},
	serializeInput(input): Record<string, string> {
		const params = imageSourceParams(input);
		if (input.topK !== DEFAULT_TOP_K) params.top_k = String(input.topK);
		return params;
	},
	whyNotRunnable(input) {
		return whyNotTopK(input.topK) ?? whyNoImage(input);
	},
	async run(pipe, input, context) {
		const raw = await pipe(toRawImage(context.library, input.image, 'classify'), {
			// top_k null asks transformers.js for every label, sorted by score.
			top_k: input.topK || null
		});
		if (!isLabelScores(raw)) throw new TypeError('The model did not return labels with scores.');
		return raw;
	}
} as const satisfies TaskSpec<ImageClassificationInput, ImageClassificationOutput>;

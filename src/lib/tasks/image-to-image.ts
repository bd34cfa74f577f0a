// Image-to-image (Swin2SR super-resolution): one image in, a new image out, usually larger. Swin2SR pads its
// input to a multiple of its attention window and its output keeps that padding, so the output is cropped back
// to the image's own area times the model's declared upscale. Both images come back as RGBA bytes (transferred,
// and `{}` in the raw JSON) for the page to compare; the image comes in as image segmentation's does.

import type { TaskSpec } from './types';
import { imageSample, imageTaskInput, isRawPixels, toRgba, type ImageTaskInput } from './image-segmentation';
import { decodedImage, rawImageOf } from './image-source';

export interface ImageToImageOutput {
	/** The input's size. */
	width: number;
	height: number;
	/** The output's size, after cropping away the model's padding. */
	outputWidth: number;
	outputHeight: number;
	/** The input's RGBA pixels, to compare against. */
	input: ArrayBuffer;
	/** The output's RGBA pixels. */
	rgba: ArrayBuffer;
}

/** The whole-number `upscale` a model's config declares (Swin2SR's), or null when it declares none. */
export function declaredUpscale(pipe: unknown): number | null {
	// Pipelines and models are both callable objects in transformers.js, so functions.
	const isObject = (value: unknown): value is object =>
		(typeof value === 'object' || typeof value === 'function') && value !== null;
	if (!isObject(pipe) || !('model' in pipe)) return null;
	const model = pipe.model;
	if (!isObject(model) || !('config' in model)) return null;
	const config = model.config;
	if (typeof config !== 'object' || config === null || !('upscale' in config)) return null;
	const upscale = config.upscale;
	return typeof upscale === 'number' && Number.isInteger(upscale) && upscale >= 1 ? upscale : null;
}

export const imageToImage = {
	id: 'image-to-image',
	pipeline: 'image-to-image',
	modality: 'cv',
	defaultModels: {
		huggingface: 'Xenova/swin2SR-classical-sr-x2-64',
		bundled: 'browserve/tiny-upscaler'
	},
	params: ['image', 'sample'],
	examples: [
		// The first runs as the warm-up on the bundled upscaler: small, with hard edges that show its blocks.
		{ image: imageSample('shapes'), url: '', sample: 'shapes' },
		{ image: imageSample('stripes'), url: '', sample: 'stripes' },
		{
			image: null,
			url: 'https://huggingface.co/datasets/Xenova/transformers.js-docs/resolve/main/butterfly.jpg',
			sample: ''
		}
	],
	...imageTaskInput,
	async run(pipe, input, context) {
		const image = decodedImage(input.image, 'transform');
		const raw = await pipe(rawImageOf(context.library, image, { copy: true }));
		if (!isRawPixels(raw)) throw new TypeError('The model did not return an image.');
		const upscale = declaredUpscale(pipe);
		// Crop only what is padding: an output smaller than the declared upscale is shown as it is.
		const outputWidth = upscale === null ? raw.width : Math.min(raw.width, image.width * upscale);
		const outputHeight = upscale === null ? raw.height : Math.min(raw.height, image.height * upscale);
		return {
			width: image.width,
			height: image.height,
			outputWidth,
			outputHeight,
			input: image.data.slice().buffer,
			rgba: toRgba(raw, outputWidth, outputHeight)
		};
	}
} as const satisfies TaskSpec<ImageTaskInput, ImageToImageOutput>;

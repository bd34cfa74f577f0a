// Background removal (MODNet, RMBG, BiRefNet): one image in, the same image out with the background made
// transparent. transformers.js runs a segmentation model for the foreground's alpha and puts it into the image;
// the cut-out comes back as RGBA bytes (transferred, and `{}` in the raw JSON) with counts of how much of it is
// opaque and how much transparent. The image comes in as image segmentation's does.

import type { TaskSpec } from './types';
import { imageSample, imageTaskInput, isRawPixels, toRgba, type ImageTaskInput } from './image-segmentation';
import { decodedImage, rawImageOf } from './image-source';

export interface BackgroundRemovalOutput {
	width: number;
	height: number;
	/** Pixels kept whole (alpha 255) and removed entirely (alpha 0); the rest are partly see-through edges. */
	opaque: number;
	transparent: number;
	/** The cut-out's RGBA pixels. */
	rgba: ArrayBuffer;
}

export const backgroundRemoval = {
	id: 'background-removal',
	pipeline: 'background-removal',
	// The hub has no tag of its own for these: background removers are image-segmentation models.
	hubTags: ['image-segmentation'],
	title: 'Background Removal',
	summary: 'Cut the subject of an image out of its background, leaving the background transparent.',
	modality: 'cv',
	defaultModels: {
		huggingface: 'Xenova/modnet',
		bundled: 'browserve/tiny-matting'
	},
	params: ['image', 'sample'],
	examples: [
		// The first runs as the warm-up on the bundled model, which removes white: the shapes sit on white.
		{ image: imageSample('shapes'), url: '', sample: 'shapes' },
		{ image: imageSample('stripes'), url: '', sample: 'stripes' },
		{
			image: null,
			url: 'https://huggingface.co/datasets/Xenova/transformers.js-docs/resolve/main/portrait-of-woman_small.jpg',
			sample: ''
		}
	],
	...imageTaskInput,
	async run(pipe, input, context) {
		const image = decodedImage(input.image, 'remove the background from');
		const raw = await pipe(rawImageOf(context.library, image, { copy: true }));
		if (!isRawPixels(raw) || raw.channels !== 4) {
			throw new TypeError('The model did not return an image with transparency.');
		}
		if (raw.width !== image.width || raw.height !== image.height) {
			throw new TypeError(
				`The model returned a ${raw.width}×${raw.height} cut-out of a ${image.width}×${image.height} image.`
			);
		}
		let opaque = 0;
		let transparent = 0;
		for (let i = 3; i < raw.data.length; i += 4) {
			if (raw.data[i] === 255) opaque++;
			else if (raw.data[i] === 0) transparent++;
		}
		return { width: raw.width, height: raw.height, opaque, transparent, rgba: toRgba(raw) };
	}
} as const satisfies TaskSpec<ImageTaskInput, BackgroundRemovalOutput>;

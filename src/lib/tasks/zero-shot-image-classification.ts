// Zero-shot image classification (CLIP, SigLIP): one image and labels the person makes up; a dual encoder
// embeds the image and each label's sentence ("This is a photo of a cat") and the labels compete on how
// alike they are. The image comes in as image-classification's does; labels and template as zero-shot text
// classification's do.

import { isLabelScores, type LabelScore } from './text-classification';
import { imageSourceParams, readImageSource, toRawImage, whyNoImage, type ImageSource } from './image-source';
import { COLOUR_SAMPLES, sampleImage, type SampleName } from './image-classification';
import {
	readLabels,
	readTemplate,
	templateParam,
	whyNotCandidates,
	zeroShotCall,
	type CandidateLabels
} from './candidate-labels';
import type { TaskSpec } from './types';

export interface ZeroShotImageClassificationInput extends ImageSource<SampleName>, CandidateLabels {}

/** The labels with their scores, best first; the scores add up to 1. */
export type ZeroShotImageClassificationOutput = LabelScore[];

/** transformers.js's own template, so a link that leaves it out runs as the library would. */
export const DEFAULT_IMAGE_TEMPLATE = 'This is a photo of {}';

export const zeroShotImageClassification = {
	id: 'zero-shot-image-classification',
	pipeline: 'zero-shot-image-classification',
	modality: 'cv',
	defaultModels: { huggingface: 'Xenova/clip-vit-base-patch32', bundled: 'browserve/tiny-clip' },
	params: ['image', 'sample', 'labels', 'template'],
	examples: [
		// The first runs as the warm-up on the bundled model, which reads colours: red wins on a red square.
		{
			image: sampleImage('red'),
			url: '',
			sample: 'red',
			labels: ['red', 'green', 'blue'],
			hypothesisTemplate: DEFAULT_IMAGE_TEMPLATE
		},
		{
			image: sampleImage('blue'),
			url: '',
			sample: 'blue',
			labels: ['a red square', 'a blue square', 'a cat'],
			hypothesisTemplate: 'This is {}.'
		},
		{
			image: null,
			url: 'https://huggingface.co/datasets/Xenova/transformers.js-docs/resolve/main/tiger.jpg',
			sample: '',
			labels: ['tiger', 'horse', 'dog'],
			hypothesisTemplate: DEFAULT_IMAGE_TEMPLATE
		}
	],
	parseInput(params, issues) {
		return {
			...readImageSource(params, COLOUR_SAMPLES, issues),
			labels: readLabels(params, issues, 'link'),
			hypothesisTemplate: readTemplate(params, issues, DEFAULT_IMAGE_TEMPLATE)
		};
	},
	serializeInput(input): Record<string, string> {
		return {
			...imageSourceParams(input),
			labels: input.labels.join(','),
			...templateParam(input.hypothesisTemplate, DEFAULT_IMAGE_TEMPLATE)
		};
	},
	whyNotRunnable(input) {
		return whyNotCandidates(input) ?? whyNoImage(input);
	},
	async run(pipe, input, context) {
		const image = toRawImage(context.library, input.image, 'classify');
		const classify = zeroShotCall<unknown>(pipe);
		const raw = await classify(image, input.labels, { hypothesis_template: input.hypothesisTemplate });
		if (!isLabelScores(raw) || raw.length !== input.labels.length) {
			throw new TypeError('The model did not return a score for every label.');
		}
		return raw;
	}
} as const satisfies TaskSpec<ZeroShotImageClassificationInput, ZeroShotImageClassificationOutput>;

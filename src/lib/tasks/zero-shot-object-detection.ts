// Zero-shot object detection (OWL-ViT, OWLv2): one image and labels the person makes up in, boxes for the
// labels the model finds out. The image, the threshold and the drawn result are object-detection's; the labels
// are zero-shot-classification's (chips in the form, comma-separated in a link).

import type { TaskSpec } from './types';
import {
	detectionImage,
	detectionSample,
	keepFrom,
	readImageParams,
	readThreshold,
	toDetectionOutput,
	whyNotDetectable,
	writeImageParams,
	type DetectionOutput,
	type ObjectDetectionInput
} from './object-detection';
import { readLabels, whyNotLabels, zeroShotCall } from './candidate-labels';

export interface ZeroShotObjectDetectionInput extends ObjectDetectionInput {
	/** What to look for: trimmed, non-empty, without commas (links separate them with commas), each once. */
	labels: string[];
}

/** transformers.js's own default for zero-shot detection (OWL-ViT's scores run low); links leave it out. */
export const DEFAULT_ZERO_SHOT_THRESHOLD = 0.1;

export const zeroShotObjectDetection = {
	id: 'zero-shot-object-detection',
	pipeline: 'zero-shot-object-detection',
	modality: 'cv',
	defaultModels: {
		huggingface: 'Xenova/owlvit-base-patch32',
		bundled: 'browserve/tiny-owlvit'
	},
	params: ['image', 'sample', 'labels', 'threshold'],
	examples: [
		// The first runs as the warm-up on the bundled colour detector, which matches labels by their colour
		// words: "red" scores 0.98, "bluish" 0.5, and "cat" names no colour, so it finds nothing.
		{
			image: detectionSample('shapes'),
			url: '',
			sample: 'shapes',
			labels: ['red square', 'bluish thing', 'cat'],
			threshold: DEFAULT_ZERO_SHOT_THRESHOLD
		},
		{
			image: detectionSample('red-left'),
			url: '',
			sample: 'red-left',
			labels: ['green', 'a crimson block'],
			threshold: DEFAULT_ZERO_SHOT_THRESHOLD
		},
		{
			image: null,
			url: 'https://huggingface.co/datasets/Xenova/transformers.js-docs/resolve/main/astronaut.png',
			sample: '',
			labels: ['human face', 'rocket', 'helmet', 'american flag'],
			threshold: DEFAULT_ZERO_SHOT_THRESHOLD
		},
		{
			image: null,
			url: 'https://huggingface.co/datasets/Xenova/transformers.js-docs/resolve/main/cats.jpg',
			sample: '',
			labels: ['cat', 'dog', 'bird'],
			threshold: DEFAULT_ZERO_SHOT_THRESHOLD
		}
	],
	parseInput(params, issues) {
		return {
			...readImageParams(params, issues),
			labels: readLabels(params, issues),
			threshold: readThreshold(params, issues, DEFAULT_ZERO_SHOT_THRESHOLD)
		};
	},
	serializeInput(input): Record<string, string> {
		return { ...writeImageParams(input, DEFAULT_ZERO_SHOT_THRESHOLD), labels: input.labels.join(',') };
	},
	whyNotRunnable(input) {
		return whyNotDetectable(input) ?? whyNotLabels(input.labels);
	},
	async run(pipe, input, context) {
		const { image, raw: pixels } = detectionImage(input, context.library);
		const detect = zeroShotCall<unknown>(pipe);
		const raw = await detect(pixels, [...input.labels], {
			threshold: keepFrom(input.threshold),
			percentage: true
		});
		return toDetectionOutput(raw, image, input.threshold);
	}
} as const satisfies TaskSpec<ZeroShotObjectDetectionInput, DetectionOutput>;

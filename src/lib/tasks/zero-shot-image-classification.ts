// Zero-shot image classification (CLIP, SigLIP): one image and labels the person makes up; a dual encoder
// embeds the image and each label's sentence ("This is a photo of a cat") and the labels compete on how
// alike they are. The image comes in as image-classification's does; labels and template as zero-shot text
// classification's do.

import { isLabelScores, type LabelScore } from './text-classification';
import {
	COLOUR_SAMPLES,
	imageSourceParams,
	readImageSource,
	toRawImage,
	whyNoImage,
	type ImageSource
} from './image-to-text';
import { sampleImage, type SampleName } from './image-classification';
import {
	splitLabels,
	whyNotLabels,
	whyNotTemplate,
	MAX_LABELS,
	MAX_LABEL_LENGTH
} from './zero-shot-classification';
import type { ParamIssue, TaskSpec } from './types';
import { readTextParam } from './types';

export interface ZeroShotImageClassificationInput extends ImageSource<SampleName> {
	/** Trimmed, non-empty, without commas (links separate them with commas) and without duplicates. */
	labels: string[];
	/** The sentence each label is put into; `{}` marks where. */
	hypothesisTemplate: string;
}

/** The labels with their scores, best first; the scores add up to 1. */
export type ZeroShotImageClassificationOutput = LabelScore[];

/** transformers.js's own template, so a link that leaves it out runs as the library would. */
export const DEFAULT_IMAGE_TEMPLATE = 'This is a photo of {}';

function readLabels(params: URLSearchParams, issues: ParamIssue[]): string[] {
	const labels = splitLabels(readTextParam(params, 'labels', issues));
	if (labels.length > MAX_LABELS) {
		issues.push({
			param: 'labels',
			message: `labels has ${labels.length} labels; the limit is ${MAX_LABELS}.`
		});
		return [];
	}
	const tooLong = labels.find((label) => label.length > MAX_LABEL_LENGTH);
	if (tooLong !== undefined) {
		issues.push({
			param: 'labels',
			message: `Each of the labels can be at most ${MAX_LABEL_LENGTH} characters; one has ${tooLong.length}.`
		});
		return [];
	}
	return labels;
}

function readTemplate(params: URLSearchParams, issues: ParamIssue[]): string {
	const template = readTextParam(params, 'template', issues);
	if (template === '') return DEFAULT_IMAGE_TEMPLATE;
	const problem = whyNotTemplate(template);
	if (problem) {
		issues.push({ param: 'template', message: problem.replace('The hypothesis template', 'template') });
		return DEFAULT_IMAGE_TEMPLATE;
	}
	return template;
}

/** This pipeline takes the candidate labels as a second argument before its options. */
type ZeroShotImagePipelineCall = (
	image: unknown,
	labels: readonly string[],
	options: Record<string, unknown>
) => Promise<unknown>;

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
			labels: readLabels(params, issues),
			hypothesisTemplate: readTemplate(params, issues)
		};
	},
	serializeInput(input): Record<string, string> {
		const params: Record<string, string> = { ...imageSourceParams(input), labels: input.labels.join(',') };
		// A template the form cannot run is left out rather than written into a link that would be refused.
		if (
			input.hypothesisTemplate !== DEFAULT_IMAGE_TEMPLATE &&
			whyNotTemplate(input.hypothesisTemplate) === null
		)
			params.template = input.hypothesisTemplate;
		return params;
	},
	whyNotRunnable(input) {
		return whyNotLabels(input.labels) ?? whyNotTemplate(input.hypothesisTemplate) ?? whyNoImage(input);
	},
	async run(pipe, input, context) {
		const image = toRawImage(context.library, input.image, 'classify');
		const classify = pipe as unknown as ZeroShotImagePipelineCall;
		const raw = await classify(image, input.labels, { hypothesis_template: input.hypothesisTemplate });
		if (!isLabelScores(raw) || raw.length !== input.labels.length) {
			throw new TypeError('The model did not return a score for every label.');
		}
		return raw;
	}
} as const satisfies TaskSpec<ZeroShotImageClassificationInput, ZeroShotImageClassificationOutput>;

// Image to text (captioning with a vision encoder-decoder such as ViT + GPT-2): one image in, a sentence out,
// streamed token by token and stoppable between tokens. Also home to how the image tasks of this family
// (zero-shot image classification, document question answering) read an image from a share link: an http(s)
// address the page fetches, or the name of a sample made in code.

import type { TextGenerationPartial } from './text-generation';
import { generateStreamed, readMaxNewTokens, whyNotMaxNewTokens } from './text2text-generation';
import {
	sampleImage,
	SAMPLES,
	whyNotImageUrl,
	type RgbaImage,
	type SampleName
} from './image-classification';
import type { ParamIssue, PipelineCall, TaskSpec, TransformersLibrary } from './types';

/** Where an input's image comes from, as the page holds it. */
export interface ImageSource<Sample extends string> {
	/** The decoded pixels; null until a file, paste, web address or sample gives them. */
	image: RgbaImage | null;
	/** Where the image came from when it is on the web (what a share link carries); '' otherwise. */
	url: string;
	/** The built-in sample the image is (so example links reproduce it without any network); '' otherwise. */
	sample: Sample | '';
}

/**
 * Reads `image` (an http(s) address) and `sample` (a built-in image's name) from a link; an address wins over
 * a sample, and unusable values are reported by name.
 */
export function readImageSource<Sample extends string>(
	params: URLSearchParams,
	samples: Readonly<Record<Sample, () => RgbaImage>>,
	issues: ParamIssue[]
): ImageSource<Sample> {
	let url = params.get('image') ?? '';
	const problem = url === '' ? null : whyNotImageUrl(url);
	if (problem !== null) {
		issues.push({ param: 'image', message: problem });
		url = '';
	}
	const raw = params.get('sample') ?? '';
	const isSample = (value: string): value is Sample => Object.hasOwn(samples, value);
	if (raw !== '' && !isSample(raw)) {
		issues.push({ param: 'sample', message: `sample must be one of ${Object.keys(samples).join(', ')}.` });
	}
	const sample = isSample(raw) && url === '' ? raw : '';
	return { image: sample ? samples[sample]() : null, url, sample };
}

/** The link parameters of an image: its address or its sample's name (a local file's pixels cannot travel). */
export function imageSourceParams(source: ImageSource<string>): Record<string, string> {
	if (source.url) return { image: source.url };
	if (source.sample) return { sample: source.sample };
	return {};
}

/** Why there is no image to run on yet, or null when there is one. */
export function whyNoImage(source: ImageSource<string>): string | null {
	if (source.image !== null) return null;
	return source.url
		? 'Waiting for the image from its address…'
		: 'Choose, drop or paste an image, or give its web address.';
}

/** The input's pixels as the RawImage pipelines take, checked first: a message crossing from the page is data. */
export function toRawImage(library: TransformersLibrary, image: RgbaImage | null, purpose: string) {
	const valid =
		image !== null &&
		Number.isInteger(image.width) &&
		Number.isInteger(image.height) &&
		image.width > 0 &&
		image.height > 0 &&
		image.data instanceof Uint8ClampedArray &&
		image.data.length === image.width * image.height * 4;
	if (!valid) throw new TypeError(`There is no decoded image to ${purpose}.`);
	return new library.RawImage(image.data, image.width, image.height, 4);
}

/** The colour samples image classification makes, by name, for the tasks that reuse them. */
export const COLOUR_SAMPLES = Object.fromEntries(
	(Object.keys(SAMPLES) as SampleName[]).map((name) => [name, () => sampleImage(name)])
) as Record<SampleName, () => RgbaImage>;

export interface ImageToTextInput extends ImageSource<SampleName> {
	maxNewTokens: number;
}

export interface ImageToTextOutput {
	text: string;
	/** True when the run was stopped before the model finished; `text` is what came before. */
	stopped: boolean;
}

// A caption is a sentence; thirty tokens leave room for a long one.
export const DEFAULT_MAX_NEW_TOKENS = 30;

export const imageToText = {
	id: 'image-to-text',
	pipeline: 'image-to-text',
	modality: 'cv',
	defaultModels: {
		huggingface: 'Xenova/vit-gpt2-image-captioning',
		bundled: 'browserve/tiny-captioner'
	},
	params: ['image', 'sample', 'max_new_tokens'],
	// One token runs the encoder and compiles the decoder's kernels as well as a whole caption would.
	warmup: { image: sampleImage('red'), url: '', sample: 'red', maxNewTokens: 1 },
	examples: [
		// The bundled captioner names the colour: a red square is "a red square".
		{ image: sampleImage('red'), url: '', sample: 'red', maxNewTokens: DEFAULT_MAX_NEW_TOKENS },
		{ image: sampleImage('blue'), url: '', sample: 'blue', maxNewTokens: DEFAULT_MAX_NEW_TOKENS },
		{
			image: null,
			url: 'https://huggingface.co/datasets/Xenova/transformers.js-docs/resolve/main/cats.jpg',
			sample: '',
			maxNewTokens: DEFAULT_MAX_NEW_TOKENS
		}
	],
	parseInput(params, issues) {
		return {
			...readImageSource(params, COLOUR_SAMPLES, issues),
			maxNewTokens: readMaxNewTokens(params, DEFAULT_MAX_NEW_TOKENS, issues)
		};
	},
	serializeInput(input): Record<string, string> {
		const params = imageSourceParams(input);
		if (input.maxNewTokens !== DEFAULT_MAX_NEW_TOKENS && whyNotMaxNewTokens(input.maxNewTokens) === null) {
			params.max_new_tokens = String(input.maxNewTokens);
		}
		return params;
	},
	whyNotRunnable(input) {
		return whyNotMaxNewTokens(input.maxNewTokens) ?? whyNoImage(input);
	},
	interruptible: true,
	async run(pipe, input, context) {
		const image = toRawImage(context.library, input.image, 'caption');
		// The streamed run is written for text pipelines, which take their text first: this one takes the image
		// there instead, and keeps the tokenizer (to stream with) and the model (to pace) of the real pipeline.
		const captioner: PipelineCall = Object.assign(
			(_text: unknown, options?: Record<string, unknown>) => pipe(image, options),
			{ tokenizer: pipe.tokenizer, model: 'model' in pipe ? pipe.model : undefined }
		);
		return generateStreamed(captioner, '', { max_new_tokens: input.maxNewTokens }, 'generated_text', context);
	}
} as const satisfies TaskSpec<ImageToTextInput, ImageToTextOutput, TextGenerationPartial>;

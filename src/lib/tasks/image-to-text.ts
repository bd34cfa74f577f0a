// Image to text (captioning with a vision encoder-decoder such as ViT + GPT-2): one image in, a sentence out,
// streamed token by token and stoppable between tokens. The image comes in as the other image tasks' do (file,
// paste, web address, or a built-in colour sample).

import type { TextGenerationPartial } from './text-generation';
import { generateStreamed, readMaxNewTokens, whyNotMaxNewTokens } from './text2text-generation';
import { COLOUR_SAMPLES, sampleImage, type SampleName } from './image-classification';
import { imageSourceParams, readImageSource, toRawImage, whyNoImage, type ImageSource } from './image-source';
import type { PipelineCall, TaskSpec } from './types';

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

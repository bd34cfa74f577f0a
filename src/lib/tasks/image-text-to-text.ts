// Image-text-to-text (visual question answering with a vision-language model such as SmolVLM): an image and a
// question in, the model's answer out, streamed token by token and stoppable between tokens.
//
// transformers.js 4.3 has no image-text-to-text pipeline, but its image-to-text pipeline loads SmolVLM
// (Idefics3) models: AutoModelForVision2Seq maps them to their ForConditionalGeneration class, and the
// pipeline builds the model's processor. The run uses those two parts itself: the processor's chat template
// writes the prompt with the image token, the processor expands it and prepares the pixels, and the model
// generates the answer.

import type { TextGenerationPartial } from './text-generation';
import { generateStreamed, readMaxNewTokens, whyNotMaxNewTokens } from './text2text-generation';
import { COLOUR_SAMPLES, sampleImage, type SampleName } from './image-classification';
import { imageSourceParams, readImageSource, toRawImage, whyNoImage, type ImageSource } from './image-source';
import type { PipelineCall, TaskSpec, TransformersLibrary } from './types';
import { readQuestion, whyNotQuestionAbout } from './image-question';

export interface ImageTextToTextInput extends ImageSource<SampleName> {
	question: string;
	maxNewTokens: number;
}

export interface ImageTextToTextOutput {
	/** The question the answer is to, so the page shows them together. */
	question: string;
	answer: string;
	/** True when the run was stopped before the model finished; `answer` is what came before. */
	stopped: boolean;
}

/** A question is a sentence or a short paragraph; the image already takes much of a small model's context. */
export const MAX_QUESTION_LENGTH = 1000;

// Room for a paragraph: a request to describe an image in detail gets a few sentences.
export const DEFAULT_MAX_NEW_TOKENS = 128;

export function whyNotQuestion(question: string): string | null {
	return whyNotQuestionAbout(question, MAX_QUESTION_LENGTH, 'the image');
}

/** The parts of the image-to-text pipeline the run drives itself, checked: a loaded pipeline is the library's. */
function partsOf(pipe: PipelineCall, library: TransformersLibrary) {
	const processor: unknown = 'processor' in pipe ? pipe.processor : undefined;
	const model: unknown = 'model' in pipe ? pipe.model : undefined;
	if (
		!(processor instanceof library.Processor) ||
		!(processor.tokenizer instanceof library.PreTrainedTokenizer)
	)
		throw new TypeError('This model has no processor with a tokenizer; it is not a vision-language model.');
	if (!(model instanceof library.PreTrainedModel))
		throw new TypeError('This model cannot generate text from an image.');
	return { processor, tokenizer: processor.tokenizer, model };
}

export const imageTextToText = {
	id: 'image-text-to-text',
	pipeline: 'image-to-text',
	modality: 'multimodal',
	defaultModels: {
		huggingface: 'HuggingFaceTB/SmolVLM-256M-Instruct',
		bundled: 'browserve/tiny-smolvlm'
	},
	params: ['image', 'sample', 'question', 'max_new_tokens'],
	// One token encodes the image and compiles the decoder's kernels as well as a whole answer would.
	warmup: {
		image: sampleImage('red'),
		url: '',
		sample: 'red',
		question: 'What colour is this image?',
		maxNewTokens: 1
	},
	examples: [
		// The bundled model names a sample's colour: "red".
		{
			image: sampleImage('red'),
			url: '',
			sample: 'red',
			question: 'What colour is this image?',
			maxNewTokens: DEFAULT_MAX_NEW_TOKENS
		},
		{
			image: sampleImage('blue'),
			url: '',
			sample: 'blue',
			question: 'What shape is it?',
			maxNewTokens: DEFAULT_MAX_NEW_TOKENS
		},
		// The task's demo on huggingface.co.
		{
			image: null,
			url: 'https://huggingface.co/datasets/huggingfacejs/tasks/resolve/main/image-text-to-text/image-text-to-text-input.png',
			sample: '',
			question: 'Describe the position of the bee in detail.',
			maxNewTokens: DEFAULT_MAX_NEW_TOKENS
		}
	],
	parseInput(params, issues) {
		const question = readQuestion(params, MAX_QUESTION_LENGTH, issues);
		return {
			...readImageSource(params, COLOUR_SAMPLES, issues),
			question,
			maxNewTokens: readMaxNewTokens(params, DEFAULT_MAX_NEW_TOKENS, issues)
		};
	},
	serializeInput(input): Record<string, string> {
		const params: Record<string, string> = { ...imageSourceParams(input), question: input.question };
		if (input.maxNewTokens !== DEFAULT_MAX_NEW_TOKENS && whyNotMaxNewTokens(input.maxNewTokens) === null) {
			params.max_new_tokens = String(input.maxNewTokens);
		}
		return params;
	},
	whyNotRunnable(input) {
		return whyNotQuestion(input.question) ?? whyNotMaxNewTokens(input.maxNewTokens) ?? whyNoImage(input);
	},
	interruptible: true,
	async run(pipe, input, context) {
		const { library, signal } = context;
		const image = toRawImage(library, input.image, 'ask about');
		const { processor, tokenizer, model } = partsOf(pipe, library);
		if (signal.aborted) return { question: input.question, answer: '', stopped: true };
		// One user turn, the image before the question, as vision-language chat templates expect it.
		const prompt = processor.apply_chat_template(
			[{ role: 'user', content: [{ type: 'image' }, { type: 'text', text: input.question }] }],
			{ add_generation_prompt: true }
		);
		if (typeof prompt !== 'string') throw new TypeError('The chat template did not write a prompt.');
		// Splitting a large image into tiles multiplies its tokens (and the wait) many times over; one global
		// view of it keeps a question answerable in a tab.
		const inputs = (await processor(prompt, [image], { do_image_splitting: false })) as {
			input_ids: InstanceType<TransformersLibrary['Tensor']>;
		} & Record<string, unknown>;
		const promptLength = inputs.input_ids.dims.at(-1) ?? 0;
		// The streamed run is written for text pipelines: this call takes the place of one, generating from the
		// processed inputs and decoding only the new tokens (the prompt holds the image's many tokens).
		const asker: PipelineCall = Object.assign(
			async (_text: unknown, options?: Record<string, unknown>) => {
				const output = await model.generate({ ...inputs, ...options });
				if (!(output instanceof library.Tensor)) throw new TypeError('The model did not return tokens.');
				const [answer] = tokenizer.batch_decode(
					output.slice(null, [promptLength, output.dims.at(-1) ?? promptLength]),
					{
						skip_special_tokens: true
					}
				);
				return [{ generated_text: (answer ?? '').trim() }];
			},
			{ tokenizer, model }
		);
		const { text, stopped } = await generateStreamed(
			asker,
			'',
			{ max_new_tokens: input.maxNewTokens },
			'generated_text',
			context
		);
		return { question: input.question, answer: text.trim(), stopped };
	}
} as const satisfies TaskSpec<ImageTextToTextInput, ImageTextToTextOutput, TextGenerationPartial>;

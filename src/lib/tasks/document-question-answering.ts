// Document question answering (Donut): a document image and a question in, the answer the model reads off
// the page out. transformers.js prompts Donut's decoder with `<s_docvqa><s_question>…</s_question><s_answer>`
// and takes the answer from between the answer tags of what it writes. The page comes in as the other image
// tasks' do (file, paste, web address), or as a sample document made in code.

import {
	drawSamples,
	imageSourceParams,
	readImageSource,
	toRawImage,
	whyNoImage,
	type ImageSource,
	type RgbaImage
} from './image-source';
import { SAMPLES, type SampleName } from './image-classification';
import type { TaskSpec } from './types';
import { readQuestion, whyNotQuestionAbout } from './image-question';

export interface DocumentQuestionAnsweringInput extends ImageSource<SampleName> {
	question: string;
}

export interface DocumentQuestionAnsweringOutput {
	/** The question the answer is to, so the page shows them together. */
	question: string;
	/** The model's answer; '' when it gave none (Donut wrote no answer tags, or nothing between them). */
	answer: string;
}

/** Questions are a sentence; the decoder's whole context is a few hundred tokens. */
export const MAX_QUESTION_LENGTH = 500;

/**
 * A sample document: a portrait page in one of the sample colours with darker bars where lines of text would
 * be, so it looks like a page and its colour is still plain to a model that reads colour.
 */
export function documentSample(name: SampleName, width = 48, height = 64): RgbaImage {
	const paper = SAMPLES[name];
	const data = new Uint8ClampedArray(width * height * 4);
	const ink = paper.map((channel) => Math.round(channel * 0.4));
	for (let y = 0; y < height; y++) {
		// A title bar, then a line of "text" every 8 pixels, every other one shorter, as paragraphs end.
		const title = y >= 6 && y < 12;
		const body = y >= 18 && y < height - 6 && (y - 18) % 8 < 3;
		const end = width - 5 - (body && Math.floor((y - 18) / 8) % 2 === 1 ? 12 : 0);
		for (let x = 0; x < width; x++) {
			const rgb = (title || body) && x >= 5 && x < end ? ink : paper;
			data.set([rgb[0] ?? 0, rgb[1] ?? 0, rgb[2] ?? 0, 255], (y * width + x) * 4);
		}
	}
	return { width, height, data };
}

const DOCUMENT_SAMPLES = drawSamples(SAMPLES, documentSample);

export function whyNotQuestion(question: string): string | null {
	return whyNotQuestionAbout(question, MAX_QUESTION_LENGTH, 'the document');
}

/** This pipeline takes the question as a second argument before its options. */
type DocumentQuestionPipelineCall = (image: unknown, question: string) => Promise<unknown>;

function answerOf(raw: unknown): string {
	const first: unknown = Array.isArray(raw) && raw.length === 1 ? raw[0] : undefined;
	const answer: unknown =
		typeof first === 'object' && first !== null && 'answer' in first ? first.answer : undefined;
	if (typeof answer === 'string') return answer;
	// transformers.js answers null when the model wrote no `<s_answer>…</s_answer>`: that is no answer.
	if (answer === null) return '';
	throw new TypeError('The model did not return an answer.');
}

export const documentQuestionAnswering = {
	id: 'document-question-answering',
	pipeline: 'document-question-answering',
	modality: 'multimodal',
	defaultModels: {
		huggingface: 'Xenova/donut-base-finetuned-docvqa',
		bundled: 'browserve/tiny-docqa'
	},
	params: ['image', 'sample', 'question'],
	examples: [
		// The bundled model reads the page's colour for a colour question, so the warm-up has a known answer.
		{ image: documentSample('red'), url: '', sample: 'red', question: 'What colour is this document?' },
		{ image: documentSample('blue'), url: '', sample: 'blue', question: 'What is the total?' },
		{
			image: null,
			url: 'https://huggingface.co/datasets/Xenova/transformers.js-docs/resolve/main/invoice.png',
			sample: '',
			question: 'What is the invoice number?'
		}
	],
	parseInput(params, issues) {
		const question = readQuestion(params, MAX_QUESTION_LENGTH, issues);
		return { ...readImageSource(params, DOCUMENT_SAMPLES, issues), question };
	},
	serializeInput(input): Record<string, string> {
		return { ...imageSourceParams(input), question: input.question };
	},
	whyNotRunnable(input) {
		return whyNotQuestion(input.question) ?? whyNoImage(input);
	},
	async run(pipe, input, context) {
		const image = toRawImage(context.library, input.image, 'read');
		const ask = pipe as unknown as DocumentQuestionPipelineCall;
		return { question: input.question, answer: answerOf(await ask(image, input.question)) };
	}
} as const satisfies TaskSpec<DocumentQuestionAnsweringInput, DocumentQuestionAnsweringOutput>;

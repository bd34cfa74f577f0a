// Extractive question answering: a question and a context in, the span of the context that answers it out,
// with the model's confidence and where the span sits in the context, best answer first.

import type { PipelineCall, TaskSpec } from './types';
import { readIntParam, readTextParam } from './types';
import { locateWords } from './text-offsets';

export interface QuestionAnsweringInput {
	question: string;
	context: string;
	/** How many candidate answers to return, best first. */
	topK: number;
}

export interface Answer {
	/** The span as written in the context where it was found there, else as the tokenizer decodes it. */
	answer: string;
	score: number;
	/** UTF-16 offsets into the context, or null where the answer could not be found in it. */
	start: number | null;
	end: number | null;
}

export interface QuestionAnsweringOutput {
	/** The context the answers come from, so the page can mark them in it. */
	context: string;
	answers: Answer[];
}

export const TOP_K_RANGE = { min: 1, max: 20, fallback: 1 } as const;

/** Why a number of answers cannot be asked for, in words for the form, or null when it can. */
export function whyNotTopK(value: unknown): string | null {
	const { min, max } = TOP_K_RANGE;
	return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max
		? null
		: `Answers must be a whole number from ${min} to ${max}.`;
}

function readAnswers(value: unknown): { answer: string; score: number }[] {
	// top_k 1 gives one answer object; more give a list.
	const list: unknown[] = Array.isArray(value) ? value : [value];
	return list.map((item) => {
		const { answer, score } = (item ?? {}) as Record<string, unknown>;
		if (typeof answer !== 'string' || typeof score !== 'number') {
			throw new TypeError('The model did not return answers with scores.');
		}
		return { answer, score };
	});
}

/**
 * Each answer with its place in the context. transformers.js 4.3.1 returns only the decoded text, so it is looked
 * up in the context on its own; a word that occurs twice is taken at its first occurrence.
 */
function locate(context: string, answers: readonly { answer: string; score: number }[]): Answer[] {
	return answers.map(({ answer, score }) => {
		const [span] = locateWords(context, [answer]);
		return span
			? { answer: context.slice(span.start, span.end), score, start: span.start, end: span.end }
			: { answer, score, start: null, end: null };
	});
}

async function answer(pipe: PipelineCall, input: QuestionAnsweringInput): Promise<QuestionAnsweringOutput> {
	// The question answering pipeline takes the context as a second argument, not as an option.
	const call = pipe as unknown as (question: string, context: string, options: object) => Promise<unknown>;
	const raw = await call(input.question, input.context, { top_k: input.topK });
	return { context: input.context, answers: locate(input.context, readAnswers(raw)) };
}

export const questionAnswering = {
	id: 'question-answering',
	pipeline: 'question-answering',
	modality: 'nlp',
	defaultModels: {
		huggingface: 'Xenova/distilbert-base-cased-distilled-squad',
		bundled: 'browserve/tiny-qa'
	},
	params: ['question', 'context', 'top_k'],
	examples: [
		{ question: 'Where does Sarah live?', context: 'Sarah lives in London and works at Acme.', topK: 1 },
		{
			question: 'Which name is also used to describe the Amazon rainforest in English?',
			context: 'The Amazon rainforest, also known in English as Amazonia or the Amazon Jungle',
			topK: 1
		}
	],
	parseInput(params, issues) {
		return {
			question: readTextParam(params, 'question', issues),
			context: readTextParam(params, 'context', issues),
			topK: readIntParam(params, 'top_k', TOP_K_RANGE, issues)
		};
	},
	serializeInput(input): Record<string, string> {
		const params: Record<string, string> = { question: input.question, context: input.context };
		if (input.topK !== TOP_K_RANGE.fallback && whyNotTopK(input.topK) === null) {
			params.top_k = String(input.topK);
		}
		return params;
	},
	whyNotRunnable(input) {
		if (input.question.trim() === '') return 'Type a question.';
		if (input.context.trim() === '') return 'Paste a context for the answer to come from.';
		return whyNotTopK(input.topK);
	},
	run: answer
} as const satisfies TaskSpec<QuestionAnsweringInput, QuestionAnsweringOutput>;

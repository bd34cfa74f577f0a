// Question answering: share-link parameters both ways (examples and fast-check inputs), and run() against the
// generated tiny-qa in Node transformers.js, with the answer placed in the context as written there.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { questionAnswering, whyNotTopK, type QuestionAnsweringInput } from './question-answering';
import type { ParamIssue, PipelineCall } from './types';
import { useTinyModels } from './testing/tiny-models';

const CONTEXT = 'Sarah lives in London and works at Acme.';

function parse(query: string): { input: QuestionAnsweringInput; issues: ParamIssue[] } {
	const issues: ParamIssue[] = [];
	return { input: questionAnswering.parseInput(new URLSearchParams(query), issues), issues };
}

function roundTrip(input: QuestionAnsweringInput) {
	return parse(new URLSearchParams(questionAnswering.serializeInput(input)).toString());
}

describe('question-answering share links', () => {
	it('reads question, context and top_k, leaving the default top_k out of links', () => {
		expect(parse('question=Who%3F&context=Me.&top_k=3')).toEqual({
			input: { question: 'Who?', context: 'Me.', topK: 3 },
			issues: []
		});
		expect(parse('').input).toEqual({ question: '', context: '', topK: 1 });
		expect(questionAnswering.serializeInput({ question: 'q', context: 'c', topK: 1 })).toEqual({
			question: 'q',
			context: 'c'
		});
	});

	it('round-trips every example and any question, context and count', () => {
		for (const example of questionAnswering.examples) {
			expect(roundTrip(example)).toEqual({ input: example, issues: [] });
		}
		fc.assert(
			fc.property(
				fc.string({ unit: 'grapheme', maxLength: 100 }),
				fc.string({ unit: 'grapheme', maxLength: 300 }),
				fc.integer({ min: 1, max: 20 }),
				(question, context, topK) => {
					const input = { question, context, topK };
					expect(roundTrip(input)).toEqual({ input, issues: [] });
				}
			)
		);
	});

	it.each(['0', '21', '2.5', 'x', '-1'])('reports top_k=%s by name', (value) => {
		const { input, issues } = parse(`question=q&context=c&top_k=${value}`);
		expect(issues).toEqual([{ param: 'top_k', message: 'top_k must be a whole number from 1 to 20.' }]);
		expect(input.topK).toBe(1);
	});

	it('reports a context that is too long by name', () => {
		expect(parse(`question=q&context=${'a'.repeat(20_001)}`).issues.map((i) => i.param)).toEqual(['context']);
	});

	it('says why an input cannot run, and leaves an unusable count out of links', () => {
		const ok = { question: 'q', context: 'c', topK: 1 };
		expect(questionAnswering.whyNotRunnable(ok)).toBeNull();
		expect(questionAnswering.whyNotRunnable({ ...ok, question: ' ' })).toBe('Type a question.');
		expect(questionAnswering.whyNotRunnable({ ...ok, context: '' })).toBe(
			'Paste a context for the answer to come from.'
		);
		expect(questionAnswering.whyNotRunnable({ ...ok, topK: 0 })).toBe(
			'Answers must be a whole number from 1 to 20.'
		);
		// An emptied number field binds null.
		expect(whyNotTopK(null)).not.toBeNull();
		expect(questionAnswering.serializeInput({ ...ok, topK: 99 })).toEqual({ question: 'q', context: 'c' });
	});
});

describe('question-answering run() on tiny-qa', () => {
	const models = useTinyModels('question-answering-');
	let pipe: PipelineCall;

	beforeAll(async () => {
		pipe = await models.load('question-answering', 'browserve/tiny-qa');
	});

	it('answers the first example with the word as the context writes it, and where it is', async () => {
		const [example] = questionAnswering.examples;
		const output = await questionAnswering.run(pipe, example);
		expect(output.context).toBe(example.context);
		expect(output.answers).toHaveLength(1);
		expect(output.answers[0]).toMatchObject({ answer: 'London', start: 15, end: 21 });
		expect(output.answers[0]?.score).toBeGreaterThan(0.9);
	});

	it('answers a different question about the same context differently', async () => {
		const work = await questionAnswering.run(pipe, {
			question: 'Where does Sarah work?',
			context: CONTEXT,
			topK: 1
		});
		expect(work.answers[0]).toMatchObject({ answer: 'Acme', start: 35, end: 39 });
	});

	it('ranks several candidates when asked, best first', async () => {
		const output = await questionAnswering.run(pipe, {
			question: 'Where does Sarah live?',
			context: CONTEXT,
			topK: 3
		});
		expect(output.answers).toHaveLength(3);
		expect(output.answers[0]?.answer).toBe('London');
		const scores = output.answers.map((a) => a.score);
		expect(scores).toEqual([...scores].sort((a, b) => b - a));
		// Longer spans come back as the context writes them too.
		for (const answer of output.answers) {
			expect(answer.start).not.toBeNull();
			expect(CONTEXT.slice(answer.start ?? 0, answer.end ?? 0)).toBe(answer.answer);
		}
	});

	it('keeps an answer it cannot place as the model decoded it', async () => {
		const fake: PipelineCall = async () => ({ answer: 'nowhere', score: 0.5 });
		const output = await questionAnswering.run(fake, { question: 'q', context: CONTEXT, topK: 1 });
		expect(output.answers).toEqual([{ answer: 'nowhere', score: 0.5, start: null, end: null }]);
	});

	it('rejects output that is not answers', async () => {
		const fake: PipelineCall = async () => [{ label: 'x' }];
		await expect(questionAnswering.run(fake, { question: 'q', context: CONTEXT, topK: 1 })).rejects.toThrow(
			'The model did not return answers with scores.'
		);
	});
});

// Document question answering: share-link parameters both ways (page address or sample, question), bad values
// reported by name, the sample pages, and run() against the generated Donut-style tiny-docqa in Node
// transformers.js.

import fc from 'fast-check';
import * as transformers from '@huggingface/transformers';
import { describe, expect, it } from 'vitest';
import { useTinyModels } from './testing/tiny-models';
import { linkImages, linkParser } from './testing/image-links';
import { SAMPLES, solidImage } from './image-classification';
import {
	documentQuestionAnswering,
	documentSample,
	MAX_QUESTION_LENGTH
} from './document-question-answering';

const task = documentQuestionAnswering;

const parse = linkParser(task);

const linkedImages = linkImages(SAMPLES, documentSample);

describe('document-question-answering share links', () => {
	it('round-trips every example, a sample page by its name', () => {
		for (const example of task.examples)
			expect(parse(task.serializeInput(example))).toEqual({ input: example, issues: [] });
		expect(task.serializeInput(task.examples[0])).toEqual({
			sample: 'red',
			question: 'What colour is this document?'
		});
	});

	it('round-trips any input a link can carry', () => {
		fc.assert(
			fc.property(linkedImages, fc.string({ maxLength: MAX_QUESTION_LENGTH }), (image, question) => {
				const input = { ...image, question };
				expect(parse(task.serializeInput(input))).toEqual({ input, issues: [] });
			})
		);
	});

	it('reports bad values by name', () => {
		for (const [query, param] of [
			[{ image: 'data:image/png;base64,AAAA' }, 'image'],
			[{ sample: 'purple' }, 'sample'],
			[{ question: 'x'.repeat(MAX_QUESTION_LENGTH + 1) }, 'question']
		] as const) {
			const { input, issues } = parse(query);
			expect(issues.map((issue) => issue.param)).toEqual([param]);
			expect(issues[0]?.message).toMatch(new RegExp(`^${param}`));
			expect(input).toEqual({ image: null, url: '', sample: '', question: '' });
		}
	});

	it('says why an input cannot run', () => {
		const base = { image: solidImage([1, 2, 3]), url: '', sample: '' as const, question: 'What?' };
		expect(task.whyNotRunnable(base)).toBeNull();
		expect(task.whyNotRunnable({ ...base, question: '  ' })).toMatch(/question/);
		expect(task.whyNotRunnable({ ...base, image: null })).toMatch(/image/);
		expect(task.whyNotRunnable({ ...base, image: null, url: 'https://example.org/a.png' })).toMatch(
			/Waiting/
		);
	});

	it('draws sample pages in their colour, with darker lines of text', () => {
		const page = documentSample('green');
		expect([page.width, page.height]).toEqual([48, 64]);
		expect([...page.data.subarray(0, 4)]).toEqual([...SAMPLES.green, 255]);
		const title = (8 * page.width + 10) * 4;
		expect([...page.data.subarray(title, title + 3)]).toEqual(SAMPLES.green.map((c) => Math.round(c * 0.4)));
	});
});

describe('document-question-answering run()', () => {
	const models = useTinyModels('browserve-docqa-');
	const context = { signal: new AbortController().signal, emit: () => undefined, library: transformers };

	it('answers from the page colour or from the question with tiny-docqa', async () => {
		const pipe = await models.load('document-question-answering', task.defaultModels.bundled);
		expect(await task.run(pipe, task.examples[0], context)).toEqual({
			question: 'What colour is this document?',
			answer: 'red'
		});
		expect(await task.run(pipe, task.examples[1], context)).toEqual({
			question: 'What is the total?',
			answer: '42'
		});
		const green = { ...task.examples[0], image: documentSample('green'), sample: 'green' as const };
		expect(await task.run(pipe, { ...green, question: 'Which color is the page?' }, context)).toMatchObject({
			answer: 'green'
		});
		expect(await task.run(pipe, { ...green, question: 'Who signed it?' }, context)).toMatchObject({
			answer: ''
		});
	});

	it('refuses to run without pixels', async () => {
		const pipe = await models.load('document-question-answering', task.defaultModels.bundled);
		await expect(task.run(pipe, { ...task.examples[0], image: null }, context)).rejects.toThrow(
			/no decoded image/
		);
	});
});

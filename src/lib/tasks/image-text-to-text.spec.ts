// Image-text-to-text: share-link parameters both ways (an image address or a sample's name, never pixels, and
// the question), bad values reported by name, and run() against the generated tiny-smolvlm in Node
// transformers.js (fp32 and q8) through the image-to-text pipeline: exact answers, streamed and stopped.

import fc from 'fast-check';
import * as transformers from '@huggingface/transformers';
import { describe, expect, it } from 'vitest';
import type { PipelineCall } from './types';
import { useTinyModels } from './testing/tiny-models';
import { linkImages, linkParser } from './testing/image-links';
import { sampleImage, SAMPLES, solidImage } from './image-classification';
import type { TextGenerationPartial } from './text-generation';
import { DEFAULT_MAX_NEW_TOKENS, imageTextToText, MAX_QUESTION_LENGTH } from './image-text-to-text';

const task = imageTextToText;

const parse = linkParser(task);

/** Any image a link can carry: none, a web address, or a sample by name. */
const linkedImages = linkImages(SAMPLES, sampleImage);

describe('image-text-to-text share links', () => {
	it('round-trips every example, a built-in sample by its name', () => {
		for (const example of task.examples)
			expect(parse(task.serializeInput(example))).toEqual({ input: example, issues: [] });
		expect(task.serializeInput(task.examples[0])).toEqual({
			sample: 'red',
			question: 'What colour is this image?'
		});
	});

	it('round-trips any input a link can carry', () => {
		fc.assert(
			fc.property(
				linkedImages,
				fc.string({ maxLength: MAX_QUESTION_LENGTH }),
				fc.integer({ min: 1, max: 1024 }),
				(image, question, maxNewTokens) => {
					const input = { ...image, question, maxNewTokens };
					expect(parse(task.serializeInput(input))).toEqual({ input, issues: [] });
				}
			)
		);
	});

	it('leaves the pixels of a file out of links, and a token limit the form cannot run', () => {
		const local = { image: solidImage([1, 2, 3]), url: '', sample: '' as const, question: 'why?' };
		expect(task.serializeInput({ ...local, maxNewTokens: 5 })).toEqual({
			question: 'why?',
			max_new_tokens: '5'
		});
		expect(task.serializeInput({ ...local, maxNewTokens: 0 })).toEqual({ question: 'why?' });
	});

	it('reports bad values by name and keeps the defaults', () => {
		for (const [query, param] of [
			[{ image: 'javascript:alert(1)' }, 'image'],
			[{ image: 'not a url' }, 'image'],
			[{ sample: 'purple' }, 'sample'],
			[{ question: 'x'.repeat(MAX_QUESTION_LENGTH + 1) }, 'question'],
			[{ max_new_tokens: '0' }, 'max_new_tokens'],
			[{ max_new_tokens: '2000' }, 'max_new_tokens'],
			[{ max_new_tokens: 'x' }, 'max_new_tokens']
		] as const) {
			const { input, issues } = parse(query);
			expect(issues.map((issue) => issue.param)).toEqual([param]);
			expect(issues[0]?.message).toContain(param);
			expect(input).toMatchObject({
				image: null,
				url: '',
				sample: '',
				question: '',
				maxNewTokens: DEFAULT_MAX_NEW_TOKENS
			});
		}
		// An address wins over a sample.
		const both = parse({ sample: 'red', image: 'https://example.org/a.png' });
		expect(both.input).toMatchObject({ image: null, sample: '', url: 'https://example.org/a.png' });
	});

	it('says why an input cannot run', () => {
		const base = { image: null, url: '', sample: '' as const, question: 'What is it?', maxNewTokens: 30 };
		expect(task.whyNotRunnable(base)).toMatch(/image/);
		expect(task.whyNotRunnable({ ...base, url: 'https://example.org/a.png' })).toMatch(/Waiting/);
		const image = solidImage([1, 2, 3]);
		expect(task.whyNotRunnable({ ...base, image })).toBeNull();
		expect(task.whyNotRunnable({ ...base, image, question: '  ' })).toMatch(/question/);
		expect(task.whyNotRunnable({ ...base, image, maxNewTokens: 0 })).toMatch(/Max new tokens/);
	});
});

describe('image-text-to-text run()', () => {
	const models = useTinyModels('browserve-image-text-to-text-');
	const loaded: { dispose(): Promise<unknown> }[] = [];

	/** The bundled model through the image-to-text pipeline, as the worker loads it, in either dtype. */
	async function load(dtype: 'fp32' | 'q8'): Promise<PipelineCall> {
		if (dtype === 'fp32') return models.load('image-to-text', task.defaultModels.bundled);
		const pipe = await transformers.pipeline('image-to-text', task.defaultModels.bundled, { dtype });
		loaded.push(pipe);
		return pipe as unknown as PipelineCall;
	}

	function context(signal = new AbortController().signal) {
		const partials: TextGenerationPartial[] = [];
		return {
			partials,
			context: {
				signal,
				emit: (partial: TextGenerationPartial): void => {
					partials.push(partial);
				},
				library: transformers
			}
		};
	}

	it.each(['fp32', 'q8'] as const)('answers from the image and the question (%s)', async (dtype) => {
		const pipe = await load(dtype);
		try {
			const red = context();
			expect(await task.run(pipe, task.examples[0], red.context)).toEqual({
				question: 'What colour is this image?',
				answer: 'red',
				stopped: false
			});
			// The answer word, then the end of the turn.
			expect(red.partials.at(-1)).toMatchObject({ text: 'red', tokens: 2 });
			expect(await task.run(pipe, task.examples[1], context().context)).toEqual({
				question: 'What shape is it?',
				answer: 'a square',
				stopped: false
			});
			const green = { ...task.examples[0], image: solidImage([30, 200, 40], 37), question: 'Which color?' };
			expect((await task.run(pipe, green, context().context)).answer).toBe('green');
			const unknown = { ...task.examples[0], question: 'Who took this photo?' };
			expect((await task.run(pipe, unknown, context().context)).answer).toBe('i do not know');
			// The warm-up stops after one token.
			expect(await task.run(pipe, task.warmup, context().context)).toMatchObject({
				answer: 'red',
				stopped: false
			});
		} finally {
			await Promise.all(loaded.splice(0).map((p) => p.dispose()));
		}
	});

	it('streams the answer word by word', async () => {
		const pipe = await load('fp32');
		const run = context();
		const input = { ...task.examples[0], question: 'What shape is it?' };
		expect((await task.run(pipe, input, run.context)).answer).toBe('a square');
		expect(run.partials.map((partial) => partial.text)).toContain('a ');
		expect(run.partials.at(-1)).toMatchObject({ text: 'a square', tokens: 3 });
	});

	it('stops at the next token once cancelled, keeping the words so far', async () => {
		const pipe = await load('fp32');
		const controller = new AbortController();
		const run = context(controller.signal);
		const emit = run.context.emit;
		run.context.emit = (partial) => {
			emit(partial);
			if (partial.tokens === 3) controller.abort();
		};
		// This question's answer never ends ("la la la …"), so only the cancel can end it early.
		const input = { ...task.examples[0], question: 'Sing me a song', maxNewTokens: 200 };
		const result = await task.run(pipe, input, run.context);
		expect(result.stopped).toBe(true);
		expect(['la la la', 'la la la la']).toContain(result.answer);
	});

	it('does not start when the signal aborted before the run', async () => {
		const pipe = await load('fp32');
		const controller = new AbortController();
		controller.abort();
		const run = context(controller.signal);
		expect(await task.run(pipe, task.examples[0], run.context)).toEqual({
			question: 'What colour is this image?',
			answer: '',
			stopped: true
		});
		expect(run.partials).toEqual([]);
	});

	it('refuses to run without pixels, or on a pipeline that is not a vision-language model', async () => {
		const pipe = await load('fp32');
		const noImage = { ...task.examples[0], image: null, sample: '' as const };
		await expect(task.run(pipe, noImage, context().context)).rejects.toThrow(/no decoded image/);
		const captioner = await models.load('image-to-text', 'browserve/tiny-captioner');
		await expect(task.run(captioner, task.examples[0], context().context)).rejects.toThrow(
			/not a vision-language model/
		);
	});
});

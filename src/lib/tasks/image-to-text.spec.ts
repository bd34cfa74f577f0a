// Image to text: share-link parameters both ways (an image address or a sample's name, never pixels), bad
// values reported by name, and run() against the generated tiny-captioner in Node transformers.js, streamed
// and stopped.

import fc from 'fast-check';
import * as transformers from '@huggingface/transformers';
import { describe, expect, it } from 'vitest';
import { useTinyModels } from './testing/tiny-models';
import { linkImages, linkParser } from './testing/image-links';
import { sampleImage, SAMPLES, solidImage } from './image-classification';
import type { TextGenerationPartial } from './text-generation';
import { DEFAULT_MAX_NEW_TOKENS, imageToText } from './image-to-text';

const task = imageToText;

const parse = linkParser(task);

/** Any image a link can carry: none, a web address, or a sample by name. */
const linkedImages = linkImages(SAMPLES, sampleImage);

describe('image-to-text share links', () => {
	it('round-trips every example, a built-in sample by its name', () => {
		for (const example of task.examples)
			expect(parse(task.serializeInput(example))).toEqual({ input: example, issues: [] });
		expect(task.serializeInput(task.examples[0])).toEqual({ sample: 'red' });
	});

	it('round-trips any input a link can carry', () => {
		fc.assert(
			fc.property(linkedImages, fc.integer({ min: 1, max: 1024 }), (image, maxNewTokens) => {
				const input = { ...image, maxNewTokens };
				expect(parse(task.serializeInput(input))).toEqual({ input, issues: [] });
			})
		);
	});

	it('leaves the pixels of a file out of links, and a token limit the form cannot run', () => {
		const local = { image: solidImage([1, 2, 3]), url: '', sample: '' as const };
		expect(task.serializeInput({ ...local, maxNewTokens: 5 })).toEqual({ max_new_tokens: '5' });
		expect(task.serializeInput({ ...local, maxNewTokens: 0 })).toEqual({});
	});

	it('reports bad values by name and keeps the defaults', () => {
		for (const [query, param] of [
			[{ image: 'javascript:alert(1)' }, 'image'],
			[{ image: 'not a url' }, 'image'],
			[{ sample: 'purple' }, 'sample'],
			[{ max_new_tokens: '0' }, 'max_new_tokens'],
			[{ max_new_tokens: '2000' }, 'max_new_tokens'],
			[{ max_new_tokens: 'x' }, 'max_new_tokens']
		] as const) {
			const { input, issues } = parse(query);
			expect(issues.map((issue) => issue.param)).toEqual([param]);
			expect(issues[0]?.message).toContain(param);
			expect(input).toMatchObject({ image: null, url: '', sample: '', maxNewTokens: DEFAULT_MAX_NEW_TOKENS });
		}
		// An address wins over a sample.
		const both = parse({ sample: 'red', image: 'https://example.org/a.png' });
		expect(both.input).toMatchObject({ image: null, sample: '', url: 'https://example.org/a.png' });
	});

	it('says why an input cannot run', () => {
		const base = { image: null, url: '', sample: '' as const, maxNewTokens: 30 };
		expect(task.whyNotRunnable(base)).toMatch(/image/);
		expect(task.whyNotRunnable({ ...base, url: 'https://example.org/a.png' })).toMatch(/Waiting/);
		expect(task.whyNotRunnable({ ...base, image: solidImage([1, 2, 3]) })).toBeNull();
		expect(task.whyNotRunnable({ ...base, image: solidImage([1, 2, 3]), maxNewTokens: 0 })).toMatch(
			/Max new tokens/
		);
	});
});

describe('image-to-text run()', () => {
	const models = useTinyModels('browserve-image-to-text-');

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

	it('captions each colour with the tiny captioner, streaming the words as they come', async () => {
		const pipe = await models.load('image-to-text', task.defaultModels.bundled);
		const red = context();
		expect(await task.run(pipe, task.examples[0], red.context)).toEqual({
			text: 'a red square',
			stopped: false
		});
		expect(red.partials.at(-1)).toMatchObject({ text: 'a red square', tokens: 4 });
		expect(red.partials.map((partial) => partial.text)).toContain('a red ');
		const blue = context();
		expect(
			await task.run(pipe, { ...task.examples[1], image: solidImage([10, 20, 240], 33) }, blue.context)
		).toEqual({ text: 'a blue square', stopped: false });
		// The warm-up stops after one token.
		expect(await task.run(pipe, task.warmup, context().context)).toEqual({ text: 'a', stopped: false });
	});

	it('stops at the next token once cancelled, keeping the words so far', async () => {
		const pipe = await models.load('image-to-text', task.defaultModels.bundled);
		const controller = new AbortController();
		const run = context(controller.signal);
		const emit = run.context.emit;
		run.context.emit = (partial) => {
			emit(partial);
			if (partial.tokens === 1) controller.abort();
		};
		const result = await task.run(pipe, task.examples[0], run.context);
		expect(result.stopped).toBe(true);
		expect(['a', 'a red']).toContain(result.text);
	});

	it('does not start when the signal aborted before the run', async () => {
		const pipe = await models.load('image-to-text', task.defaultModels.bundled);
		const controller = new AbortController();
		controller.abort();
		const run = context(controller.signal);
		expect(await task.run(pipe, task.examples[0], run.context)).toEqual({ text: '', stopped: true });
		expect(run.partials).toEqual([]);
	});

	it('refuses to run without pixels', async () => {
		const pipe = await models.load('image-to-text', task.defaultModels.bundled);
		await expect(
			task.run(pipe, { image: null, url: '', sample: '', maxNewTokens: 5 }, context().context)
		).rejects.toThrow(/no decoded image/);
	});
});

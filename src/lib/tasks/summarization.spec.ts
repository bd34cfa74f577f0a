// Summarization: share-link parameters both ways (examples and fast-check inputs), the compression ratio, and
// run() against the generated tiny-summarizer in Node transformers.js.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import * as transformers from '@huggingface/transformers';
import { compressionRatio, countWords, summarization, type SummarizationInput } from './summarization';
import type { TextGenerationPartial } from './text-generation';
import type { ParamIssue, PipelineCall, RunContext } from './types';
import { useTinyModels } from './testing/tiny-models';

const DEFAULTS: SummarizationInput = { text: '', maxNewTokens: 128, minLength: 0 };

function parse(query: string): { input: SummarizationInput; issues: ParamIssue[] } {
	const issues: ParamIssue[] = [];
	return { input: summarization.parseInput(new URLSearchParams(query), issues), issues };
}

function roundTrip(input: SummarizationInput) {
	return parse(new URLSearchParams(summarization.serializeInput(input)).toString());
}

describe('summarization share links', () => {
	it('reads the text and both limits, leaving defaults out of links', () => {
		expect(parse('text=a+long+story&max_new_tokens=60&min_length=20')).toEqual({
			input: { text: 'a long story', maxNewTokens: 60, minLength: 20 },
			issues: []
		});
		expect(parse('').input).toEqual(DEFAULTS);
		expect(summarization.serializeInput({ ...DEFAULTS, text: 'x' })).toEqual({ text: 'x' });
	});

	it('round-trips every example and any text and limits', () => {
		for (const example of summarization.examples) {
			expect(roundTrip(example)).toEqual({ input: example, issues: [] });
		}
		fc.assert(
			fc.property(
				fc.string({ unit: 'grapheme', maxLength: 300 }),
				fc.integer({ min: 1, max: 1024 }),
				fc.integer({ min: 0, max: 1024 }),
				(text, maxNewTokens, minLength) => {
					const input = { text, maxNewTokens, minLength };
					expect(roundTrip(input)).toEqual({ input, issues: [] });
				}
			)
		);
	});

	it.each([
		['max_new_tokens', '0', 'max_new_tokens must be a whole number from 1 to 1024.'],
		['max_new_tokens', 'lots', 'max_new_tokens must be a whole number from 1 to 1024.'],
		['min_length', '-1', 'min_length must be a whole number from 0 to 1024.'],
		['min_length', '1025', 'min_length must be a whole number from 0 to 1024.'],
		['min_length', '3.5', 'min_length must be a whole number from 0 to 1024.']
	])('reports %s=%s by name and falls back to the default', (param, value, message) => {
		const { input, issues } = parse(`text=x&${param}=${value}`);
		expect(issues).toEqual([{ param, message }]);
		expect(input).toEqual({ ...DEFAULTS, text: 'x' });
	});

	it('says why an input cannot run', () => {
		expect(summarization.whyNotRunnable({ ...DEFAULTS, text: 'a text' })).toBeNull();
		expect(summarization.whyNotRunnable(DEFAULTS)).toBe('Type or paste a text to summarise.');
		expect(summarization.whyNotRunnable({ ...DEFAULTS, text: 'x', maxNewTokens: 0 })).toBe(
			'Max new tokens must be a whole number from 1 to 1024.'
		);
		expect(summarization.whyNotRunnable({ ...DEFAULTS, text: 'x', minLength: -2 })).toBe(
			'Min length must be a whole number from 0 to 1024.'
		);
		expect(summarization.serializeInput({ ...DEFAULTS, text: 'x', minLength: -2 })).toEqual({ text: 'x' });
	});

	it('counts words and how many times shorter the summary is', () => {
		expect(countWords('  one two\nthree  ')).toBe(3);
		expect(countWords('')).toBe(0);
		expect(compressionRatio(30, 'cat sat.')).toBe(15);
		expect(compressionRatio(30, '')).toBeNull();
	});
});

describe('summarization run() on tiny-summarizer', () => {
	const models = useTinyModels('summarization-');
	let pipe: PipelineCall;

	beforeAll(async () => {
		pipe = await models.load('summarization', 'browserve/tiny-summarizer');
	});

	function context() {
		const partials: TextGenerationPartial[] = [];
		const ctx: RunContext<TextGenerationPartial> = {
			signal: new AbortController().signal,
			emit: (partial) => partials.push(partial),
			library: transformers
		};
		return { ctx, partials };
	}

	it('summarises the first example, streaming it, with the words it started from', async () => {
		const { ctx, partials } = context();
		const example = summarization.examples[0];
		const output = await summarization.run(pipe, example, ctx);
		expect(output).toEqual({ summary: 'cat sat.', inputWords: countWords(example.text), stopped: false });
		expect(output.inputWords).toBe(29);
		// "cat", "sat", "." and the end of text.
		expect(partials.map((partial) => partial.tokens)).toEqual([1, 2, 3, 4]);
		expect(partials.at(-1)?.text).toBe('cat sat.');
	});

	it('honours max_new_tokens and passes min_length only when set', async () => {
		const calls: unknown[] = [];
		const spy: PipelineCall = Object.assign(
			async (text: unknown, options?: Record<string, unknown>) => {
				calls.push(options && { max: options.max_new_tokens, min: options.min_length });
				return pipe(text, options);
			},
			{ tokenizer: pipe.tokenizer }
		);
		const text = 'The dog ran around the park after the ball.';
		expect(
			(await summarization.run(spy, { text, maxNewTokens: 1, minLength: 0 }, context().ctx)).summary
		).toBe('dog');
		expect(
			(await summarization.run(spy, { text, maxNewTokens: 9, minLength: 2 }, context().ctx)).summary
		).toBe('dog ran.');
		expect(calls).toEqual([
			{ max: 1, min: undefined },
			{ max: 9, min: 2 }
		]);
	});

	it('gives an empty summary for a text the model does not know', async () => {
		const output = await summarization.run(
			pipe,
			{ ...DEFAULTS, text: 'Nothing here is known.' },
			context().ctx
		);
		expect(output).toEqual({ summary: '', inputWords: 4, stopped: false });
	});
});

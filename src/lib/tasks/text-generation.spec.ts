// Text generation: share-link parameters both ways, and run() against the generated tiny-gpt in Node
// transformers.js with a real RunContext (abort signal, collected partials, the library itself).

import { beforeAll, describe, expect, it } from 'vitest';
import * as transformers from '@huggingface/transformers';
import {
	keepNucleus,
	textGeneration,
	type TextGenerationInput,
	type TextGenerationOutput,
	type TextGenerationPartial
} from './text-generation';
import type { ParamIssue, PipelineCall, RunContext } from './types';
import { useTinyModels } from './testing/tiny-models';

const DEFAULTS: TextGenerationInput = {
	prompt: '',
	maxNewTokens: 64,
	temperature: 0,
	topK: 0,
	topP: 1,
	repetitionPenalty: 1
};

function parse(query: string): { input: TextGenerationInput; issues: ParamIssue[] } {
	const issues: ParamIssue[] = [];
	return { input: textGeneration.parseInput(new URLSearchParams(query), issues), issues };
}

describe('text-generation share links', () => {
	it('reads defaults for a bare prompt and writes only the prompt back', () => {
		const { input, issues } = parse('text=once+upon+a');
		expect(issues).toEqual([]);
		expect(input).toEqual({ ...DEFAULTS, prompt: 'once upon a' });
		expect(textGeneration.serializeInput(input)).toEqual({ text: 'once upon a' });
	});

	it('round-trips every setting', () => {
		const input: TextGenerationInput = {
			prompt: 'say it again',
			maxNewTokens: 1000,
			temperature: 0.7,
			topK: 40,
			topP: 0.95,
			repetitionPenalty: 1.3
		};
		const params = textGeneration.serializeInput(input);
		expect(params).toEqual({
			text: 'say it again',
			max_new_tokens: '1000',
			temperature: '0.7',
			top_k: '40',
			top_p: '0.95',
			repetition_penalty: '1.3'
		});
		expect(parse(new URLSearchParams(params).toString())).toEqual({ input, issues: [] });
	});

	it('accepts the edges of each range and the way String() writes small numbers', () => {
		const { input, issues } = parse(
			'text=x&max_new_tokens=1024&temperature=2&top_k=0&top_p=1e-7&repetition_penalty=2'
		);
		expect(issues).toEqual([]);
		expect(input).toMatchObject({
			maxNewTokens: 1024,
			temperature: 2,
			topK: 0,
			topP: 1e-7,
			repetitionPenalty: 2
		});
		expect(parse('temperature=.5').input.temperature).toBe(0.5);
	});

	it.each([
		['max_new_tokens', '0', 'max_new_tokens must be a whole number from 1 to 1024.'],
		['max_new_tokens', '1025', 'max_new_tokens must be a whole number from 1 to 1024.'],
		['max_new_tokens', '2.5', 'max_new_tokens must be a whole number from 1 to 1024.'],
		['temperature', '-1', 'temperature must be a number from 0 to 2.'],
		['temperature', '2.5', 'temperature must be a number from 0 to 2.'],
		['temperature', 'hot', 'temperature must be a number from 0 to 2.'],
		['temperature', 'Infinity', 'temperature must be a number from 0 to 2.'],
		['temperature', '0x1', 'temperature must be a number from 0 to 2.'],
		['top_k', '-3', 'top_k must be a whole number from 0 to 1000.'],
		['top_p', '0', 'top_p must be a number above 0 and at most 1.'],
		['top_p', '1.5', 'top_p must be a number above 0 and at most 1.'],
		['repetition_penalty', '0.9', 'repetition_penalty must be a number from 1 to 2.'],
		['repetition_penalty', ' 1.2', 'repetition_penalty must be a number from 1 to 2.']
	])('reports %s=%s and falls back to the default', (param, value, message) => {
		const { input, issues } = parse(`text=hi&${param}=${encodeURIComponent(value)}`);
		expect(issues).toEqual([{ param, message }]);
		expect(input).toEqual({ ...DEFAULTS, prompt: 'hi' });
	});

	it('reports every bad value of one link', () => {
		const { issues } = parse('max_new_tokens=0&temperature=9&top_k=x&top_p=0&repetition_penalty=3');
		expect(issues.map((issue) => issue.param)).toEqual([
			'max_new_tokens',
			'temperature',
			'top_k',
			'top_p',
			'repetition_penalty'
		]);
	});

	it('says why an input cannot run, and leaves unusable values out of links', () => {
		expect(textGeneration.whyNotRunnable({ ...DEFAULTS, prompt: '  ' })).toBe('Type a prompt to continue.');
		expect(textGeneration.whyNotRunnable({ ...DEFAULTS, prompt: 'hi' })).toBeNull();
		const tooHot = { ...DEFAULTS, prompt: 'hi', temperature: 3 };
		expect(textGeneration.whyNotRunnable(tooHot)).toBe('Temperature must be a number from 0 to 2.');
		// An emptied number field binds null.
		const emptied = { ...DEFAULTS, prompt: 'hi', maxNewTokens: null as unknown as number };
		expect(textGeneration.whyNotRunnable(emptied)).toBe(
			'Max new tokens must be a whole number from 1 to 1024.'
		);
		expect(textGeneration.serializeInput(tooHot)).toEqual({ text: 'hi' });
	});
});

describe('keepNucleus', () => {
	it('keeps the likeliest scores that first reach top_p and drops the rest', () => {
		// Probabilities proportional to 4, 2, 1, 1 (0.5, 0.25, 0.125, 0.125).
		const scores = Float32Array.from([Math.log(2), Math.log(4), Math.log(1), Math.log(1)]);
		keepNucleus(scores, 0.7);
		expect(Array.from(scores, Number.isFinite)).toEqual([true, true, false, false]);
		const one = Float32Array.from([0, 5, 1]);
		keepNucleus(one, 0.01);
		expect(Array.from(one, Number.isFinite)).toEqual([false, true, false]);
	});
});

describe('text-generation run() on tiny-gpt', () => {
	const models = useTinyModels('text-generation-');
	let pipe: PipelineCall;

	beforeAll(async () => {
		pipe = await models.load('text-generation', 'browserve/tiny-gpt');
	});

	function context(onPartial?: (partial: TextGenerationPartial, controller: AbortController) => void) {
		const controller = new AbortController();
		const partials: TextGenerationPartial[] = [];
		const ctx: RunContext<TextGenerationPartial> = {
			signal: controller.signal,
			emit(partial) {
				partials.push(partial);
				onPartial?.(partial, controller);
			},
			library: transformers
		};
		return { ctx, partials, controller };
	}

	function run(input: Partial<TextGenerationInput>, ctx: RunContext<TextGenerationPartial>) {
		return textGeneration.run(pipe, { ...DEFAULTS, ...input }, ctx);
	}

	it('continues the story greedily, one partial per token, the text growing to the result', async () => {
		const { ctx, partials } = context();
		const output = await run({ prompt: 'once upon a' }, ctx);
		expect(output).toMatchObject<Partial<TextGenerationOutput>>({
			prompt: 'once upon a',
			text: ' time there lived three little foxes in the forest.',
			// Ten words and the end of text.
			tokens: 11,
			stopped: false
		});
		expect(output.tokensPerSecond).toBeGreaterThan(0);

		expect(partials.map((partial) => partial.tokens)).toEqual(Array.from({ length: 11 }, (_, i) => i + 1));
		partials.forEach((partial, i) => {
			expect(output.text.trimStart().startsWith(partial.text), partial.text).toBe(true);
			expect(partial.text.length).toBeGreaterThanOrEqual(partials[i - 1]?.text.length ?? 0);
		});
		expect(new Set(partials.map((partial) => partial.text)).size).toBeGreaterThan(5);
		// The word-level fixture tokenizer does not put the first word's space in the stream.
		expect(partials.at(-1)?.text).toBe(output.text.trimStart());
	});

	it('generates exactly max_new_tokens when the text never ends', async () => {
		const { ctx, partials } = context();
		const output = await run({ prompt: 'say it again', maxNewTokens: 9 }, ctx);
		expect(output).toMatchObject({
			text: ' and again and again and again and again and',
			tokens: 9,
			stopped: false
		});
		expect(partials).toHaveLength(9);
	});

	it('stops at the next token once the signal aborts and keeps the text so far', async () => {
		const { ctx, partials } = context((partial, controller) => {
			if (partial.tokens === 5) controller.abort();
		});
		const output = await run({ prompt: 'say it again', maxNewTokens: 1000 }, ctx);
		expect(output.stopped).toBe(true);
		expect(output.tokens).toBeLessThan(1000);
		// The abort lands between tokens 5 and 6 (the emit runs while the next step starts).
		expect(output.tokens).toBeLessThanOrEqual(6);
		expect(output.text.trimStart()).toMatch(/^and again and again/);
		expect(partials.at(-1)?.tokens).toBe(output.tokens);
	});

	it('does not start when the signal aborted before the run', async () => {
		const { ctx, controller, partials } = context();
		controller.abort();
		const output = await run({ prompt: 'once upon a' }, ctx);
		expect(output).toMatchObject({ text: '', tokens: 0, stopped: true });
		expect(partials).toEqual([]);
	});

	it('samples only from the nucleus when top_p is below 1', async () => {
		// At temperature 2 the right next word has about 64% of the probability, so top_p 0.5 keeps only it.
		for (let i = 0; i < 3; i++) {
			const { ctx } = context();
			const output = await run({ prompt: 'once upon a', temperature: 2, topP: 0.5 }, ctx);
			expect(output.text).toBe(' time there lived three little foxes in the forest.');
		}
	});

	it('rejects output that is not generated text', async () => {
		const { ctx } = context();
		const fake: PipelineCall = Object.assign(async () => [{ label: 'x' }], { tokenizer: pipe.tokenizer });
		await expect(textGeneration.run(fake, { ...DEFAULTS, prompt: 'hi' }, ctx)).rejects.toThrow(
			'The model did not return generated text.'
		);
	});
});

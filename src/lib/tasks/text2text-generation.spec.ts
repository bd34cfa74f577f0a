// Text-to-text generation: share-link parameters both ways (examples and fast-check inputs), and run() against
// the generated tiny-t2t in Node transformers.js: prefixes, streamed partials, the token limit, and a stop.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import * as transformers from '@huggingface/transformers';
import type { TextGenerationPartial } from './text-generation';
import { text2textGeneration, type Text2TextInput } from './text2text-generation';
import type { ParamIssue, PipelineCall, RunContext } from './types';
import { useTinyModels } from './testing/tiny-models';

function parse(query: string): { input: Text2TextInput; issues: ParamIssue[] } {
	const issues: ParamIssue[] = [];
	return { input: text2textGeneration.parseInput(new URLSearchParams(query), issues), issues };
}

function roundTrip(input: Text2TextInput) {
	return parse(new URLSearchParams(text2textGeneration.serializeInput(input)).toString());
}

describe('text2text-generation share links', () => {
	it('reads the text and the token limit, leaving the default limit out of links', () => {
		expect(parse('text=summarize%3A+x&max_new_tokens=9')).toEqual({
			input: { text: 'summarize: x', maxNewTokens: 9 },
			issues: []
		});
		expect(parse('').input).toEqual({ text: '', maxNewTokens: 64 });
		expect(text2textGeneration.serializeInput({ text: 'x', maxNewTokens: 64 })).toEqual({ text: 'x' });
	});

	it('round-trips every example and any text and limit', () => {
		for (const example of text2textGeneration.examples) {
			expect(roundTrip(example)).toEqual({ input: example, issues: [] });
		}
		fc.assert(
			fc.property(
				fc.string({ unit: 'grapheme', maxLength: 200 }),
				fc.integer({ min: 1, max: 1024 }),
				(text, maxNewTokens) => {
					const input = { text, maxNewTokens };
					expect(roundTrip(input)).toEqual({ input, issues: [] });
				}
			)
		);
	});

	it.each(['0', '1025', 'ten', '2.5', '-1'])('reports max_new_tokens=%s by name', (value) => {
		const { input, issues } = parse(`text=x&max_new_tokens=${value}`);
		expect(issues).toEqual([
			{ param: 'max_new_tokens', message: 'max_new_tokens must be a whole number from 1 to 1024.' }
		]);
		expect(input.maxNewTokens).toBe(64);
	});

	it('says why an input cannot run, and leaves unusable limits out of links', () => {
		const why = (text: string, maxNewTokens = 64) =>
			text2textGeneration.whyNotRunnable({ text, maxNewTokens });
		expect(why('summarize: x')).toBeNull();
		expect(why(' ')).toBe('Type a text, starting with its task (e.g. "summarize: …").');
		// An emptied number field binds null.
		expect(why('x', null as unknown as number)).toBe('Max new tokens must be a whole number from 1 to 1024.');
		expect(text2textGeneration.serializeInput({ text: 'x', maxNewTokens: 0 })).toEqual({ text: 'x' });
	});
});

describe('text2text-generation run() on tiny-t2t', () => {
	const models = useTinyModels('text2text-');
	let pipe: PipelineCall;

	beforeAll(async () => {
		pipe = await models.load('text2text-generation', 'browserve/tiny-t2t');
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

	it('follows the task prefix, one partial per token, the text growing to the result', async () => {
		const { ctx, partials } = context();
		const output = await text2textGeneration.run(pipe, text2textGeneration.examples[0], ctx);
		expect(output).toEqual({ text: 'bonjour le monde', stopped: false });
		// Three words and the end of text.
		expect(partials.map((partial) => partial.tokens)).toEqual([1, 2, 3, 4]);
		partials.forEach((partial, i) => {
			expect(output.text.startsWith(partial.text), partial.text).toBe(true);
			expect(partial.text.length).toBeGreaterThanOrEqual(partials[i - 1]?.text.length ?? 0);
		});
		expect(partials.at(-1)?.text).toBe(output.text);

		const german = await text2textGeneration.run(
			pipe,
			{ text: 'translate English to German: hello world', maxNewTokens: 64 },
			context().ctx
		);
		expect(german.text).toBe('hallo welt');
		const summary = await text2textGeneration.run(
			pipe,
			{ text: 'summarize: the cat sat on the mat all day long.', maxNewTokens: 64 },
			context().ctx
		);
		expect(summary.text).toBe('cat sat.');
	});

	it('stops at max_new_tokens', async () => {
		const { ctx, partials } = context();
		const output = await text2textGeneration.run(
			pipe,
			{ text: 'translate English to French: hello world', maxNewTokens: 2 },
			ctx
		);
		expect(output).toEqual({ text: 'bonjour le', stopped: false });
		expect(partials).toHaveLength(2);
	});

	it('stops at the next token once the signal aborts and keeps the text so far', async () => {
		const { ctx } = context((partial, controller) => {
			if (partial.tokens === 1) controller.abort();
		});
		const output = await text2textGeneration.run(pipe, text2textGeneration.examples[0], ctx);
		expect(output.stopped).toBe(true);
		expect(['bonjour', 'bonjour le']).toContain(output.text);
	});

	it('does not start when the signal aborted before the run', async () => {
		const { ctx, controller, partials } = context();
		controller.abort();
		expect(await text2textGeneration.run(pipe, text2textGeneration.examples[0], ctx)).toEqual({
			text: '',
			stopped: true
		});
		expect(partials).toEqual([]);
	});

	it('rejects output that is not generated text', async () => {
		const fake: PipelineCall = Object.assign(async () => [{ label: 'x' }], { tokenizer: pipe.tokenizer });
		await expect(
			text2textGeneration.run(fake, text2textGeneration.examples[0], context().ctx)
		).rejects.toThrow('The model did not return generated text.');
	});
});

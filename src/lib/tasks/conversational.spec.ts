// Conversational: the conversation and settings through share links both ways (examples and fast-check
// conversations), strict reports on bad links, and run() against the generated tiny-chat in Node
// transformers.js with a real RunContext (abort signal, collected partials, the library itself).

import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import * as transformers from '@huggingface/transformers';
import { buildCatalog, taskName, taskSummary } from './catalog';
import {
	conversational,
	MAX_MESSAGES,
	type ChatMessage,
	type ConversationalInput,
	type ConversationalPartial
} from './conversational';
import type { ParamIssue, PipelineCall, RunContext } from './types';
import { useTinyModels } from './testing/tiny-models';

const SETTINGS = { maxNewTokens: 64, temperature: 0, topK: 0, topP: 1, repetitionPenalty: 1 };
const HELLO = 'hi there! how can i help?';
const BROWSERVE = 'a way to run models in your browser.';

const user = (content: string): ChatMessage => ({ role: 'user', content });
const assistant = (content: string): ChatMessage => ({ role: 'assistant', content });

function parse(params: Record<string, string> | string): {
	input: ConversationalInput;
	issues: ParamIssue[];
} {
	const issues: ParamIssue[] = [];
	return { input: conversational.parseInput(new URLSearchParams(params), issues), issues };
}

function roundTrip(input: ConversationalInput) {
	return parse(conversational.serializeInput(input));
}

describe('conversational share links', () => {
	it('reads a conversation with default settings and writes only the conversation back', () => {
		const messages = JSON.stringify([{ role: 'user', content: 'hello' }]);
		const { input, issues } = parse({ messages });
		expect(issues).toEqual([]);
		expect(input).toEqual({ messages: [user('hello')], ...SETTINGS });
		expect(conversational.serializeInput(input)).toEqual({ messages });
	});

	it('puts the system prompt first, and back into its own parameter', () => {
		const { input, issues } = parse({ system: 'Be brief.', messages: '[{"role":"user","content":"hi"}]' });
		expect(issues).toEqual([]);
		expect(input.messages).toEqual([{ role: 'system', content: 'Be brief.' }, user('hi')]);
		expect(conversational.serializeInput(input)).toEqual({
			system: 'Be brief.',
			messages: '[{"role":"user","content":"hi"}]'
		});
		// A system prompt alone is a link too (the message comes later).
		expect(parse({ system: 'Be brief.' }).input.messages).toEqual([{ role: 'system', content: 'Be brief.' }]);
	});

	it('round-trips the settings through text generation’s parameters', () => {
		const input: ConversationalInput = {
			messages: [user('count')],
			maxNewTokens: 1000,
			temperature: 0.7,
			topK: 40,
			topP: 0.95,
			repetitionPenalty: 1.3
		};
		expect(conversational.serializeInput(input)).toMatchObject({
			max_new_tokens: '1000',
			temperature: '0.7',
			top_k: '40',
			top_p: '0.95',
			repetition_penalty: '1.3'
		});
		expect(roundTrip(input)).toEqual({ input, issues: [] });
		expect(parse('temperature=9').issues).toEqual([
			{ param: 'temperature', message: 'temperature must be a number from 0 to 2.' }
		]);
	});

	it('round-trips every example', () => {
		for (const example of conversational.examples)
			expect(roundTrip(example)).toEqual({ input: example, issues: [] });
	});

	it('round-trips any conversation', () => {
		const content = fc.string({ unit: 'grapheme', maxLength: 40 });
		const turn = fc.record({ role: fc.constantFrom('user' as const, 'assistant' as const), content });
		const conversation = fc
			.tuple(fc.option(content, { nil: undefined }), fc.array(turn, { maxLength: 12 }))
			.map(([system, turns]): ChatMessage[] =>
				system === undefined ? turns : [{ role: 'system', content: system }, ...turns]
			);
		const settings = fc.record({
			maxNewTokens: fc.integer({ min: 1, max: 1024 }),
			temperature: fc.constantFrom(0, 0.25, 0.7, 2),
			topK: fc.integer({ min: 0, max: 1000 }),
			topP: fc.constantFrom(0.01, 0.5, 0.9, 1),
			repetitionPenalty: fc.constantFrom(1, 1.05, 2)
		});
		fc.assert(
			fc.property(conversation, settings, (messages, rest) => {
				const input: ConversationalInput = { messages, ...rest };
				expect(roundTrip(input)).toEqual({ input, issues: [] });
			}),
			{ numRuns: 200 }
		);
	});

	it.each([
		['not json', 'messages must be a JSON array of messages such as [{"role":"user","content":"hello"}].'],
		[
			'{"role":"user","content":"hi"}',
			'messages must be a JSON array of messages such as [{"role":"user","content":"hello"}].'
		],
		['["hi"]', 'messages[0] must be an object with a role and a content.'],
		['[{"role":"user","content":"hi"},null]', 'messages[1] must be an object with a role and a content.'],
		['[{"role":"robot","content":"hi"}]', 'messages[0].role must be "system", "user" or "assistant".'],
		['[{"content":"hi"}]', 'messages[0].role must be "system", "user" or "assistant".'],
		['[{"role":"user","content":5}]', 'messages[0].content must be text.'],
		['[{"role":"user"}]', 'messages[0].content must be text.'],
		[
			'[{"role":"user","content":"hi","name":"x"}]',
			'messages[0] has a key "name"; a message has only a role and a content.'
		],
		[
			'[{"role":"user","content":"hi"},{"role":"system","content":"late"}]',
			'messages[1] is a system message; only the first message may be one.'
		],
		[
			JSON.stringify([user('x'.repeat(20_001))]),
			'messages[0].content is 20,001 characters long; the limit is 20,000.'
		],
		[
			JSON.stringify(Array.from({ length: MAX_MESSAGES + 1 }, () => user('hi'))),
			'messages holds 101 messages; the limit is 100.'
		]
	])('reports messages=%s by name and keeps no messages', (messages, message) => {
		const { input, issues } = parse({ messages });
		expect(issues).toEqual([{ param: 'messages', message }]);
		expect(input.messages).toEqual([]);
	});

	it('accepts exactly the limits', () => {
		const full = Array.from({ length: MAX_MESSAGES }, (_, i) => (i % 2 ? assistant('ok') : user('hi')));
		expect(parse({ messages: JSON.stringify(full) }).issues).toEqual([]);
		expect(parse({ messages: JSON.stringify([user('x'.repeat(20_000))]) }).issues).toEqual([]);
		const overflowing = parse({ system: 'Be brief.', messages: JSON.stringify(full) });
		expect(overflowing.issues.map((issue) => issue.param)).toEqual(['messages']);
	});

	it('reports a system prompt given twice, or too long, by name', () => {
		const twice = parse({
			system: 'A',
			messages: '[{"role":"system","content":"B"},{"role":"user","content":"hi"}]'
		});
		expect(twice.issues).toEqual([
			{
				param: 'system',
				message: 'This link has two system prompts (system, and the first of its messages); keep one.'
			}
		]);
		expect(twice.input.messages).toEqual([{ role: 'system', content: 'B' }, user('hi')]);
		expect(parse({ system: 'x'.repeat(20_001) }).issues.map((issue) => issue.param)).toEqual(['system']);
	});

	it('leaves text generation’s prompt parameter alone', () => {
		expect(parse({ text: 'x'.repeat(30_000) })).toEqual({ input: { messages: [], ...SETTINGS }, issues: [] });
		expect(conversational.params).not.toContain('text');
	});

	it('says why a conversation cannot run yet', () => {
		const why = (messages: ChatMessage[], settings = {}) =>
			conversational.whyNotRunnable({ messages, ...SETTINGS, ...settings });
		expect(why([])).toBe('Type a message to send.');
		expect(why([user('hello'), assistant(HELLO)])).toBe('Type a message to send.');
		expect(why([user('  ')])).toBe('Type a message to send.');
		expect(why([user('hello')])).toBeNull();
		expect(why([user('hello')], { topP: 0 })).toBe('Top p must be a number above 0 and at most 1.');
		const long = Array.from({ length: MAX_MESSAGES + 1 }, () => user('hi'));
		expect(why(long)).toBe('A conversation holds at most 100 messages; clear it to start again.');
	});

	it('is named and listed in the catalog although @huggingface/tasks has no such tag', () => {
		expect(taskName('conversational')).toBe('Conversational');
		expect(taskSummary('conversational')).toMatch(/^Conversational models .*\.$/);
		const entry = buildCatalog()
			.get('nlp')
			?.find((e) => e.id === 'conversational');
		expect(entry).toMatchObject({ name: 'Conversational', available: true });
	});
});

describe('conversational run() on tiny-chat', () => {
	const models = useTinyModels('conversational-');
	let pipe: PipelineCall;
	let gpt: PipelineCall;

	beforeAll(async () => {
		pipe = await models.load('text-generation', 'browserve/tiny-chat');
		gpt = await models.load('text-generation', 'browserve/tiny-gpt');
	});

	function context(onPartial?: (partial: ConversationalPartial, controller: AbortController) => void) {
		const controller = new AbortController();
		const partials: ConversationalPartial[] = [];
		const ctx: RunContext<ConversationalPartial> = {
			signal: controller.signal,
			emit(partial) {
				partials.push(partial);
				onPartial?.(partial, controller);
			},
			library: transformers
		};
		return { ctx, partials, controller };
	}

	function run(
		messages: ChatMessage[],
		ctx: RunContext<ConversationalPartial>,
		settings: Partial<typeof SETTINGS> = {},
		on: PipelineCall = pipe
	) {
		return conversational.run(on, { messages, ...SETTINGS, ...settings }, ctx);
	}

	it('answers hello, one partial per token, the reply growing to the result', async () => {
		const { ctx, partials } = context();
		const output = await run([user('hello')], ctx);
		// Eight words and the end of text.
		expect(output).toMatchObject({ reply: HELLO, tokens: 9, stopped: false });
		expect(output.tokensPerSecond).toBeGreaterThan(0);
		expect(partials.map((partial) => partial.tokens)).toEqual(Array.from({ length: 9 }, (_, i) => i + 1));
		partials.forEach((partial, i) => {
			expect(HELLO.startsWith(partial.text.trim()), partial.text).toBe(true);
			expect(partial.text.length).toBeGreaterThanOrEqual(partials[i - 1]?.text.length ?? 0);
		});
		expect(partials.at(-1)?.text.trim()).toBe(HELLO);
	});

	it('continues a conversation with a system prompt and an earlier turn', async () => {
		const { ctx } = context();
		const messages: ChatMessage[] = [
			{ role: 'system', content: 'You are a helpful assistant.' },
			user('hello'),
			assistant(HELLO),
			user('What is Browserve')
		];
		expect(await run(messages, ctx)).toMatchObject({ reply: BROWSERVE, tokens: 10, stopped: false });
		expect(messages).toHaveLength(4);
	});

	it('passes the sampling settings on: a narrow nucleus keeps only the likeliest word', async () => {
		for (let i = 0; i < 3; i++) {
			const { ctx } = context();
			const output = await run([user('hello')], ctx, { temperature: 1, topP: 0.5 });
			expect(output.reply).toBe(HELLO);
		}
	});

	it('generates exactly max_new_tokens when the reply never ends', async () => {
		const { ctx, partials } = context();
		const output = await run([user('count')], ctx, { maxNewTokens: 9 });
		expect(output).toMatchObject({ reply: 'one two one two one two one two one', tokens: 9, stopped: false });
		expect(partials).toHaveLength(9);
	});

	it('stops at the next token once the signal aborts and keeps the reply so far', async () => {
		const { ctx, partials } = context((partial, controller) => {
			if (partial.tokens === 5) controller.abort();
		});
		const output = await run([user('count')], ctx, { maxNewTokens: 1000 });
		expect(output.stopped).toBe(true);
		// The abort lands between tokens 5 and 6 (the emit runs while the next step starts).
		expect(output.tokens).toBeLessThanOrEqual(6);
		expect(output.reply).toMatch(/^one two one two/);
		expect(partials.at(-1)?.tokens).toBe(output.tokens);
	});

	it('does not start when the signal aborted before the run', async () => {
		const { ctx, controller, partials } = context();
		controller.abort();
		expect(await run([user('hello')], ctx)).toMatchObject({ reply: '', tokens: 0, stopped: true });
		expect(partials).toEqual([]);
	});

	it('refuses a model without a chat template, and output that is not a chat', async () => {
		await expect(run([user('hello')], context().ctx, {}, gpt)).rejects.toThrow(
			'This model has no chat template, so it cannot hold a conversation; pick a chat (instruct) model.'
		);
		const fake: PipelineCall = Object.assign(async () => [{ generated_text: 'plain text' }], {
			tokenizer: pipe.tokenizer
		});
		await expect(run([user('hello')], context().ctx, {}, fake)).rejects.toThrow(
			'The model did not return a chat reply.'
		);
	});
});

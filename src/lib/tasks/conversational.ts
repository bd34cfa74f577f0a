// Conversational (chat): the messages so far in, the assistant's next message out, streamed token by token.
// The hub has no such pipeline tag any more: chat models are text-generation models whose tokenizer carries
// a chat template, which the pipeline applies when it is given messages. So the run is text generation's own
// (streaming, Stop between tokens, top-p), handed the conversation instead of a prompt.

import {
	GENERATION_SETTINGS,
	textGeneration,
	whyNotSetting,
	type TextGenerationInput,
	type TextGenerationPartial
} from './text-generation';
import type { ParamIssue, PipelineCall, TaskSpec } from './types';
import { MAX_TEXT_PARAM, readTextParam } from './types';

export type ChatRole = 'system' | 'user' | 'assistant';

export interface ChatMessage {
	role: ChatRole;
	content: string;
}

/** The five generation settings, as text generation reads and writes them. */
export type GenerationSettings = Omit<TextGenerationInput, 'prompt'>;

export interface ConversationalInput extends GenerationSettings {
	/** The conversation so far; a system prompt can only come first, and the model answers a last user message. */
	messages: ChatMessage[];
}

export interface ConversationalOutput {
	/** The assistant's message, without the whitespace tokenizers leave around it. */
	reply: string;
	/** Tokens generated, end-of-text included. */
	tokens: number;
	tokensPerSecond: number | null;
	/** True when the run was stopped before the model finished; `reply` is what came before. */
	stopped: boolean;
}

/** The reply so far, as text generation streams it. */
export type ConversationalPartial = TextGenerationPartial;

/** The longest conversation a link (and the page) holds; a longer one is cleared and started again. */
export const MAX_MESSAGES = 100;
const ROLES: readonly ChatRole[] = ['system', 'user', 'assistant'];
const SETTING_KEYS = Object.keys(GENERATION_SETTINGS) as (keyof GenerationSettings)[];

/** Every setting at the value a link without it gets: greedy decoding, at most 64 new tokens. */
const DEFAULT_SETTINGS: GenerationSettings = {
	maxNewTokens: GENERATION_SETTINGS.maxNewTokens.fallback,
	temperature: GENERATION_SETTINGS.temperature.fallback,
	topK: GENERATION_SETTINGS.topK.fallback,
	topP: GENERATION_SETTINGS.topP.fallback,
	repetitionPenalty: GENERATION_SETTINGS.repetitionPenalty.fallback
};

function settingsOf(input: GenerationSettings): GenerationSettings {
	const { maxNewTokens, temperature, topK, topP, repetitionPenalty } = input;
	return { maxNewTokens, temperature, topK, topP, repetitionPenalty };
}

/** Why one element of the `messages` array is not a message, or null when it is one. */
function whyNotMessage(value: unknown, index: number): string | null {
	const at = `messages[${index}]`;
	if (typeof value !== 'object' || value === null || Array.isArray(value)) {
		return `${at} must be an object with a role and a content.`;
	}
	const extra = Object.keys(value).find((key) => key !== 'role' && key !== 'content');
	if (extra !== undefined)
		return `${at} has a key ${JSON.stringify(extra)}; a message has only a role and a content.`;
	const { role, content } = value as { role?: unknown; content?: unknown };
	if (typeof role !== 'string' || !(ROLES as readonly string[]).includes(role)) {
		return `${at}.role must be "system", "user" or "assistant".`;
	}
	if (typeof content !== 'string') return `${at}.content must be text.`;
	if (content.length > MAX_TEXT_PARAM) {
		return `${at}.content is ${content.length.toLocaleString('en')} characters long; the limit is ${MAX_TEXT_PARAM.toLocaleString('en')}.`;
	}
	if (role === 'system' && index > 0) return `${at} is a system message; only the first message may be one.`;
	return null;
}

/** Reads the conversation from its JSON; anything that does not fit is reported once and nothing is kept. */
function readMessages(params: URLSearchParams, issues: ParamIssue[]): ChatMessage[] {
	const raw = params.get('messages');
	if (raw === null || raw === '') return [];
	let value: unknown;
	try {
		value = JSON.parse(raw);
	} catch {
		value = undefined;
	}
	if (!Array.isArray(value)) {
		issues.push({
			param: 'messages',
			message: 'messages must be a JSON array of messages such as [{"role":"user","content":"hello"}].'
		});
		return [];
	}
	if (value.length > MAX_MESSAGES) {
		issues.push({
			param: 'messages',
			message: `messages holds ${value.length} messages; the limit is ${MAX_MESSAGES}.`
		});
		return [];
	}
	for (const [index, item] of value.entries()) {
		const problem = whyNotMessage(item, index);
		if (problem) {
			issues.push({ param: 'messages', message: problem });
			return [];
		}
	}
	return (value as ChatMessage[]).map(({ role, content }) => ({ role, content }));
}

function readSettings(params: URLSearchParams, issues: ParamIssue[]): GenerationSettings {
	// Text generation reads the same five parameters; its prompt (`text`) is not one of this page's.
	const settingsOnly = new URLSearchParams([...params].filter(([name]) => name !== 'text'));
	return settingsOf(textGeneration.parseInput(settingsOnly, issues));
}

/** The assistant's message in the chat the pipeline returns (the conversation with the reply added). */
function replyOf(raw: unknown): string {
	const first: unknown = Array.isArray(raw) && raw.length === 1 ? raw[0] : undefined;
	const chat: unknown =
		typeof first === 'object' && first !== null
			? (first as { generated_text?: unknown }).generated_text
			: null;
	const last: unknown = Array.isArray(chat) ? chat.at(-1) : undefined;
	if (typeof last === 'object' && last !== null) {
		const { role, content } = last as { role?: unknown; content?: unknown };
		if (role === 'assistant' && typeof content === 'string') return content;
	}
	throw new TypeError('The model did not return a chat reply.');
}

/**
 * The pipeline as text generation calls it, answering the conversation rather than the prompt it is handed,
 * and returning the reply the way a prompt's continuation comes back. Tokenizer (for the streamer) and model
 * (for the pacing that lets Stop in between tokens) are the pipeline's own.
 */
function answering(pipe: PipelineCall, messages: readonly ChatMessage[]): PipelineCall {
	const call = async (_prompt: unknown, options?: Record<string, unknown>) => {
		const chat = messages.map(({ role, content }) => ({ role, content }));
		return [{ generated_text: replyOf(await pipe(chat, options)) }];
	};
	return Object.assign(call, {
		tokenizer: pipe.tokenizer,
		model: 'model' in pipe ? pipe.model : undefined
	});
}

/** A template string, or a table of named ones; transformers.js tokenizers are callable, hence functions. */
function hasChatTemplate(tokenizer: unknown): boolean {
	if (typeof tokenizer !== 'function' && (typeof tokenizer !== 'object' || tokenizer === null)) return false;
	const template = (tokenizer as { chat_template?: unknown }).chat_template;
	return typeof template === 'string' || (typeof template === 'object' && template !== null);
}

export const conversational = {
	id: 'conversational',
	pipeline: 'text-generation',
	hubTags: ['text-generation'],
	title: 'Conversational',
	summary:
		'Conversational models hold a chat: given the messages so far, they write the next reply of the assistant.',
	modality: 'nlp',
	defaultModels: { huggingface: 'onnx-community/Qwen2.5-0.5B-Instruct', bundled: 'browserve/tiny-chat' },
	params: ['messages', 'system', ...SETTING_KEYS.map((key) => GENERATION_SETTINGS[key].param)],
	// One token compiles the kernels as well as a whole reply would.
	warmup: { messages: [{ role: 'user', content: 'hello' }], ...DEFAULT_SETTINGS, maxNewTokens: 1 },
	examples: [
		{ messages: [{ role: 'user', content: 'hello' }], ...DEFAULT_SETTINGS },
		{
			messages: [
				{ role: 'system', content: 'You are a friendly assistant. Answer in two or three sentences.' },
				{ role: 'user', content: 'What can a language model do when it runs inside my web browser?' }
			],
			...DEFAULT_SETTINGS,
			maxNewTokens: 256,
			temperature: 0.7,
			topK: 50,
			topP: 0.9,
			repetitionPenalty: 1.1
		}
	],
	parseInput(params, issues) {
		const system = readTextParam(params, 'system', issues);
		const messages = readMessages(params, issues);
		if (system !== '' && messages[0]?.role === 'system') {
			issues.push({
				param: 'system',
				message: 'This link has two system prompts (system, and the first of its messages); keep one.'
			});
		}
		if (system !== '' && messages.length >= MAX_MESSAGES) {
			issues.push({
				param: 'messages',
				message: `With the system prompt this conversation holds more than ${MAX_MESSAGES} messages.`
			});
		}
		// On a clash the messages win, so the conversation keeps its one system prompt first.
		const withSystem: ChatMessage[] =
			system === '' || messages[0]?.role === 'system'
				? messages
				: [{ role: 'system', content: system }, ...messages];
		return { messages: withSystem, ...readSettings(params, issues) };
	},
	serializeInput(input): Record<string, string> {
		const [first, ...rest] = input.messages;
		// A system prompt goes in its own readable parameter; an empty one stays in the JSON so it survives.
		const system = first?.role === 'system' && first.content !== '' ? first.content : null;
		const messages = (system === null ? input.messages : rest).map(({ role, content }) => ({
			role,
			content
		}));
		const params: Record<string, string> = {};
		if (messages.length > 0) params.messages = JSON.stringify(messages);
		if (system !== null) params.system = system;
		// Text generation writes the settings (leaving out defaults and values it could not read back).
		const settings = textGeneration.serializeInput({ prompt: '', ...settingsOf(input) });
		for (const [name, value] of Object.entries(settings)) if (name !== 'text') params[name] = value;
		return params;
	},
	whyNotRunnable(input) {
		const last = input.messages.at(-1);
		if (input.messages.length > MAX_MESSAGES) {
			return `A conversation holds at most ${MAX_MESSAGES} messages; clear it to start again.`;
		}
		if (last?.role !== 'user' || last.content.trim() === '') return 'Type a message to send.';
		for (const key of SETTING_KEYS) {
			const problem = whyNotSetting(key, input[key]);
			if (problem) return problem;
		}
		return null;
	},
	interruptible: true,
	async run(pipe, input, context) {
		if (!hasChatTemplate(pipe.tokenizer)) {
			throw new TypeError(
				'This model has no chat template, so it cannot hold a conversation; pick a chat (instruct) model.'
			);
		}
		const output = await textGeneration.run(
			answering(pipe, input.messages),
			{ prompt: '', ...settingsOf(input) },
			context
		);
		return {
			reply: output.text.trim(),
			tokens: output.tokens,
			tokensPerSecond: output.tokensPerSecond,
			stopped: output.stopped
		};
	}
} as const satisfies TaskSpec<ConversationalInput, ConversationalOutput, ConversationalPartial>;

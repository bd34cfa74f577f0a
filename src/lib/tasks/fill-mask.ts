// Fill-mask: a sentence with one blank in, the words the model would put there out, likeliest first, each with
// the sentence it makes. The page does not know the model's mask token, so both common spellings are accepted and
// the worker rewrites them to the tokenizer's own.

import type { PipelineCall, TaskSpec } from './types';
import { readIntParam, readTextParam } from './types';

export interface FillMaskInput {
	/** The sentence, with one MASK_SPELLINGS entry where the missing word goes. */
	text: string;
	/** How many candidate words to return, likeliest first. */
	topK: number;
}

export interface FillCandidate {
	/** The word as the tokenizer decodes it, without the spacing or "##" it carries inside a sentence. */
	token: string;
	tokenId: number;
	score: number;
	/** The user's text with the blank filled in. */
	sequence: string;
}

export interface FillMaskOutput {
	/** The text as typed, blank included, so the page can show where the word went. */
	text: string;
	candidates: FillCandidate[];
}

/** BERT-family tokenizers write [MASK], RoBERTa-family ones <mask>. */
export const MASK_SPELLINGS = ['[MASK]', '<mask>'] as const;
const MASK_PATTERN = /\[MASK\]|<mask>/g;

export const TOP_K_RANGE = { min: 1, max: 50, fallback: 5 } as const;

/** Why a number of candidates cannot be asked for, in words for the form, or null when it can. */
export function whyNotTopK(value: unknown): string | null {
	const { min, max } = TOP_K_RANGE;
	return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max
		? null
		: `Candidates must be a whole number from ${min} to ${max}.`;
}

/** The text before and after its one blank, or null when it has none or several. */
export function splitAtMask(text: string): { before: string; after: string } | null {
	const found = [...text.matchAll(MASK_PATTERN)];
	const [mask] = found;
	if (found.length !== 1 || !mask) return null;
	return { before: text.slice(0, mask.index), after: text.slice(mask.index + mask[0].length) };
}

/** A decoded word as it goes into the blank: a word-start space (" Paris") or "##" must not double or show. */
function cleanToken(token: string): string {
	return token.trim().replace(/^##/, '');
}

function maskTokenOf(pipe: PipelineCall): string {
	const mask = (pipe.tokenizer as { mask_token?: unknown } | undefined)?.mask_token;
	if (typeof mask !== 'string' || mask === '') throw new TypeError('This model has no mask token to fill.');
	return mask;
}

function readCandidates(value: unknown): { token: number; token_str: string; score: number }[] {
	if (!Array.isArray(value)) throw new TypeError('The model did not return candidate words.');
	return value.map((item: unknown) => {
		const { token, token_str, score } = (item ?? {}) as Record<string, unknown>;
		if (typeof token !== 'number' || typeof token_str !== 'string' || typeof score !== 'number') {
			throw new TypeError('The model did not return candidate words.');
		}
		return { token, token_str, score };
	});
}

function toOutput(text: string, raw: unknown): FillMaskOutput {
	const parts = splitAtMask(text);
	if (!parts) throw new TypeError('The text needs exactly one [MASK].');
	return {
		text,
		candidates: readCandidates(raw).map(({ token, token_str, score }) => {
			const word = cleanToken(token_str);
			return { token: word, tokenId: token, score, sequence: `${parts.before}${word}${parts.after}` };
		})
	};
}

export const fillMask = {
	id: 'fill-mask',
	pipeline: 'fill-mask',
	modality: 'nlp',
	defaultModels: { huggingface: 'Xenova/bert-base-uncased', bundled: 'browserve/tiny-mlm' },
	params: ['text', 'top_k'],
	examples: [
		{ text: 'The capital of France is [MASK].', topK: 5 },
		{ text: 'The [MASK] barked at me', topK: 5 }
	],
	parseInput(params, issues) {
		return {
			text: readTextParam(params, 'text', issues),
			topK: readIntParam(params, 'top_k', TOP_K_RANGE, issues)
		};
	},
	serializeInput(input): Record<string, string> {
		const params: Record<string, string> = { text: input.text };
		if (input.topK !== TOP_K_RANGE.fallback && whyNotTopK(input.topK) === null) {
			params.top_k = String(input.topK);
		}
		return params;
	},
	whyNotRunnable(input) {
		if (input.text.trim() === '') return 'Type a sentence with [MASK] where a word is missing.';
		const masks = input.text.match(MASK_PATTERN)?.length ?? 0;
		if (masks === 0) return 'Put [MASK] (or <mask>) where the missing word goes.';
		// The pipeline fills the first blank only; a second would stay in every sentence it returns.
		if (masks > 1) return 'Use one [MASK]; the model fills one blank at a time.';
		return whyNotTopK(input.topK);
	},
	async run(pipe, input) {
		const text = input.text.replace(MASK_PATTERN, maskTokenOf(pipe));
		return toOutput(input.text, await pipe(text, { top_k: input.topK }));
	},
	batch: {
		key: (input) => String(input.topK),
		async run(pipe, inputs) {
			const mask = maskTokenOf(pipe);
			const raw = await pipe(
				inputs.map((input) => input.text.replace(MASK_PATTERN, mask)),
				{ top_k: inputs[0]?.topK ?? TOP_K_RANGE.fallback }
			);
			if (!Array.isArray(raw) || raw.length !== inputs.length) {
				throw new TypeError('The model did not return one result per text.');
			}
			return inputs.map((input, i) => toOutput(input.text, raw[i]));
		}
	}
} as const satisfies TaskSpec<FillMaskInput, FillMaskOutput>;

// Translation: a text in, the same text in another language out, streamed token by token. Multilingual
// models (M2M100, NLLB, mBART) take source and target language codes; single-pair models (opus-mt-en-fr)
// ignore them.

import type { TextGenerationPartial } from './text-generation';
import { generateStreamed } from './text2text-generation';
import type { ParamIssue, PipelineCall, TaskSpec } from './types';
import { readTextParam } from './types';

export interface TranslationInput {
	text: string;
	/** The text's language code (en, fra, eng_Latn…); empty leaves it to the model. */
	srcLang: string;
	/** The language to translate into; multilingual models need it, single-pair models ignore it. */
	tgtLang: string;
}

export interface TranslationOutput {
	translation: string;
	/** True when the run was stopped before the model finished; `translation` is what came before. */
	stopped: boolean;
}

// M2M100's two-letter codes, ISO 639-3 codes, and NLLB's code with a script (eng_Latn).
const LANGUAGE_CODE = /^[a-z]{2,3}(_[A-Za-z]{4})?$/;

/** Why a language code cannot be used, naming its parameter, or null when it can (empty means not given). */
export function whyNotLanguageCode(param: 'src_lang' | 'tgt_lang', value: string): string | null {
	return value === '' || LANGUAGE_CODE.test(value)
		? null
		: `${param} must be a language code such as en, fra or eng_Latn.`;
}

function readLanguageParam(params: URLSearchParams, param: 'src_lang' | 'tgt_lang', issues: ParamIssue[]) {
	const value = params.get(param) ?? '';
	const problem = whyNotLanguageCode(param, value);
	if (problem) {
		issues.push({ param, message: problem });
		return '';
	}
	return value;
}

/** The language codes a multilingual tokenizer accepts and its default source, or null for a single pair. */
function multilingual(pipe: PipelineCall): { codes: string[]; defaultSource: string | null } | null {
	const tokenizer = pipe.tokenizer as
		{ language_codes?: unknown; config?: { src_lang?: unknown } } | undefined;
	const codes = tokenizer?.language_codes;
	if (!Array.isArray(codes) || !codes.every((code): code is string => typeof code === 'string')) return null;
	const source = tokenizer?.config?.src_lang;
	return { codes, defaultSource: typeof source === 'string' ? source : null };
}

export const translation = {
	id: 'translation',
	pipeline: 'translation',
	modality: 'nlp',
	// A single pair, so the codes are ignored; the multilingual models (m2m100_418M, nllb-200) are gigabytes.
	defaultModels: { huggingface: 'Xenova/opus-mt-en-fr', bundled: 'browserve/tiny-translator' },
	params: ['text', 'src_lang', 'tgt_lang'],
	examples: [
		{ text: 'hello world', srcLang: 'en', tgtLang: 'fr' },
		{ text: 'My name is Omar and I live in Zürich.', srcLang: 'en', tgtLang: 'fr' }
	],
	parseInput(params, issues) {
		return {
			text: readTextParam(params, 'text', issues),
			srcLang: readLanguageParam(params, 'src_lang', issues),
			tgtLang: readLanguageParam(params, 'tgt_lang', issues)
		};
	},
	serializeInput(input): Record<string, string> {
		const params: Record<string, string> = { text: input.text };
		if (input.srcLang && whyNotLanguageCode('src_lang', input.srcLang) === null)
			params.src_lang = input.srcLang;
		if (input.tgtLang && whyNotLanguageCode('tgt_lang', input.tgtLang) === null)
			params.tgt_lang = input.tgtLang;
		return params;
	},
	whyNotRunnable(input) {
		if (input.text.trim() === '') return 'Type a text to translate.';
		return whyNotLanguageCode('src_lang', input.srcLang) ?? whyNotLanguageCode('tgt_lang', input.tgtLang);
	},
	interruptible: true,
	async run(pipe, input, context) {
		const languages = multilingual(pipe);
		if (languages && input.tgtLang === '') {
			throw new Error(
				`This model translates between several languages: choose a target language (one of ${languages.codes.join(', ')}).`
			);
		}
		// transformers.js keeps the last source language in the tokenizer, so a run without one says the default.
		const srcLang = input.srcLang || languages?.defaultSource || '';
		const options = {
			...(srcLang ? { src_lang: srcLang } : {}),
			...(input.tgtLang ? { tgt_lang: input.tgtLang } : {})
		};
		const { text, stopped } = await generateStreamed(pipe, input.text, options, 'translation_text', context);
		return { translation: text, stopped };
	}
} as const satisfies TaskSpec<TranslationInput, TranslationOutput, TextGenerationPartial>;

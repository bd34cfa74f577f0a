// Translation: share-link parameters both ways (examples and fast-check inputs), language codes checked by
// name, and run() against the generated multilingual tiny-translator in Node transformers.js.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import * as transformers from '@huggingface/transformers';
import type { TextGenerationPartial } from './text-generation';
import { translation, whyNotLanguageCode, type TranslationInput } from './translation';
import type { ParamIssue, PipelineCall, RunContext } from './types';
import { useTinyModels } from './testing/tiny-models';

function parse(query: string): { input: TranslationInput; issues: ParamIssue[] } {
	const issues: ParamIssue[] = [];
	return { input: translation.parseInput(new URLSearchParams(query), issues), issues };
}

function roundTrip(input: TranslationInput) {
	return parse(new URLSearchParams(translation.serializeInput(input)).toString());
}

const languageCode = fc.oneof(fc.constant(''), fc.stringMatching(/^[a-z]{2,3}(_[A-Za-z]{4})?$/));

describe('translation share links', () => {
	it('reads the text and both language codes, leaving absent codes out of links', () => {
		expect(parse('text=hello&src_lang=eng_Latn&tgt_lang=fra_Latn')).toEqual({
			input: { text: 'hello', srcLang: 'eng_Latn', tgtLang: 'fra_Latn' },
			issues: []
		});
		expect(parse('text=hello').input).toEqual({ text: 'hello', srcLang: '', tgtLang: '' });
		expect(translation.serializeInput({ text: 'x', srcLang: '', tgtLang: 'de' })).toEqual({
			text: 'x',
			tgt_lang: 'de'
		});
	});

	it('round-trips every example and any text and codes', () => {
		for (const example of translation.examples) {
			expect(roundTrip(example)).toEqual({ input: example, issues: [] });
		}
		fc.assert(
			fc.property(
				fc.string({ unit: 'grapheme', maxLength: 200 }),
				languageCode,
				languageCode,
				(text, srcLang, tgtLang) => {
					const input = { text, srcLang, tgtLang };
					expect(roundTrip(input)).toEqual({ input, issues: [] });
				}
			)
		);
	});

	it.each([
		['src_lang', 'EN'],
		['src_lang', 'english'],
		['tgt_lang', 'f'],
		['tgt_lang', '__fr__'],
		['tgt_lang', 'fr_FR'],
		['tgt_lang', 'fra_Latn_x']
	])('reports %s=%s by name and leaves it empty', (param, value) => {
		const { input, issues } = parse(`text=x&${param}=${value}`);
		expect(issues).toEqual([
			{ param, message: `${param} must be a language code such as en, fra or eng_Latn.` }
		]);
		expect(input).toEqual({ text: 'x', srcLang: '', tgtLang: '' });
	});

	it('says why an input cannot run', () => {
		expect(translation.whyNotRunnable({ text: 'hi', srcLang: '', tgtLang: '' })).toBeNull();
		expect(translation.whyNotRunnable({ text: ' ', srcLang: 'en', tgtLang: 'fr' })).toBe(
			'Type a text to translate.'
		);
		expect(translation.whyNotRunnable({ text: 'hi', srcLang: 'en', tgtLang: 'French' })).toBe(
			'tgt_lang must be a language code such as en, fra or eng_Latn.'
		);
		expect(whyNotLanguageCode('src_lang', 'zho_Hans')).toBeNull();
		expect(translation.serializeInput({ text: 'x', srcLang: 'English', tgtLang: 'fr' })).toEqual({
			text: 'x',
			tgt_lang: 'fr'
		});
	});
});

describe('translation run() on tiny-translator', () => {
	const models = useTinyModels('translation-');
	let pipe: PipelineCall;

	beforeAll(async () => {
		pipe = await models.load('translation', 'browserve/tiny-translator');
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
		return { ctx, partials };
	}

	it('translates the first example, streaming it word by word', async () => {
		const { ctx, partials } = context();
		const output = await translation.run(pipe, translation.examples[0], ctx);
		expect(output).toEqual({ translation: 'bonjour le monde', stopped: false });
		// The target-language token, three words, and the end of text.
		expect(partials.map((partial) => partial.tokens)).toEqual([1, 2, 3, 4, 5]);
		expect(partials.map((partial) => partial.text).filter((text, i, all) => text !== all[i - 1])).toEqual([
			'',
			'bonjour ',
			'bonjour le ',
			'bonjour le monde'
		]);
	});

	it.each([
		['thank you very much', 'en', 'de', 'vielen dank'],
		['merci beaucoup', 'fr', 'en', 'thank you very much'],
		['good morning', '', 'fr', 'bonjour']
	])('translates "%s" from "%s" into %s', async (text, srcLang, tgtLang, expected) => {
		const output = await translation.run(pipe, { text, srcLang, tgtLang }, context().ctx);
		expect(output.translation).toBe(expected);
	});

	it('says which target languages a multilingual model needs when none is given', async () => {
		await expect(
			translation.run(pipe, { text: 'hello world', srcLang: 'en', tgtLang: '' }, context().ctx)
		).rejects.toThrow(
			'This model translates between several languages: choose a target language (one of de, en, fr).'
		);
		await expect(
			translation.run(pipe, { text: 'hello world', srcLang: 'en', tgtLang: 'es' }, context().ctx)
		).rejects.toThrow('Target language code "es" is not valid. Must be one of: {de, en, fr}');
	});

	it('leaves the codes out for a single-pair model and the model ignores them', async () => {
		// tiny-summarizer's BART tokenizer has no language codes, like opus-mt-en-fr's.
		const single = await transformers.pipeline('translation', 'browserve/tiny-summarizer', { dtype: 'fp32' });
		const seen: unknown[] = [];
		const spy: PipelineCall = Object.assign(
			(text: unknown, options?: Record<string, unknown>) => {
				seen.push([options?.src_lang, options?.tgt_lang]);
				return (single as unknown as PipelineCall)(text, options);
			},
			{ tokenizer: single.tokenizer, model: single.model }
		);
		const text = 'the cat sat on the mat all day long';
		expect(await translation.run(spy, { text, srcLang: '', tgtLang: '' }, context().ctx)).toEqual({
			translation: 'cat sat.',
			stopped: false
		});
		expect(
			(await translation.run(spy, { text, srcLang: 'en', tgtLang: 'fr' }, context().ctx)).translation
		).toBe('cat sat.');
		expect(seen).toEqual([
			[undefined, undefined],
			['en', 'fr']
		]);
		await single.dispose();
	});

	it('stops at the next token once the signal aborts', async () => {
		const { ctx } = context((partial, controller) => {
			if (partial.tokens === 2) controller.abort();
		});
		const output = await translation.run(pipe, translation.examples[0], ctx);
		expect(output.stopped).toBe(true);
		expect(['bonjour', 'bonjour le']).toContain(output.translation);
	});
});

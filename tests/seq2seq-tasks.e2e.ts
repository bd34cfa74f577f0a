// Summarization, translation and text-to-text generation end to end: a share link per task runs its generated
// encoder-decoder from the hub on WASM, streams the text, and draws it as a reader takes it in (the summary
// with how much shorter it is, the translation set apart, the generated text), alongside the result JSON.

import type { Page } from '@playwright/test';
import { expect, taskUrl, test } from './fixtures';

async function resultJson<T>(page: Page): Promise<T> {
	const text = await page.getByTestId('result-json').textContent();
	return JSON.parse(text ?? 'null') as T;
}

test('a share link summarises a long text and says how much shorter the summary is', async ({
	page,
	app
}) => {
	const text =
		'It was a quiet Sunday at the old house. The cat sat on the mat all day long, watching the rain run ' +
		'down the window while nobody came home.';
	await page.goto(
		taskUrl(app, 'summarization', {
			model: 'browserve/tiny-summarizer',
			text,
			max_new_tokens: '20',
			run: '1',
			device: 'wasm'
		})
	);

	await expect(page.getByTestId('summary-text')).toHaveText('cat sat.');
	// 29 words down to 2.
	await expect(page.getByTestId('summary-stats')).toContainText('29 words → 2 words');
	await expect(page.getByTestId('compression-ratio')).toHaveText('14.5× shorter');
	await expect(page.getByTestId('generation-stopped')).toHaveCount(0);
	await expect(page.getByTestId('backend')).toHaveText('wasm');
	await expect(page.getByLabel('Text')).toHaveValue(text);
	await expect(page.getByLabel('Max new tokens')).toHaveValue('20');
	expect(await resultJson(page)).toEqual({ summary: 'cat sat.', inputWords: 29, stopped: false });
});

test('a share link translates between the languages it names, and the swap runs the other way', async ({
	page,
	app
}) => {
	await page.goto(
		taskUrl(app, 'translation', {
			model: 'browserve/tiny-translator',
			text: 'hello world',
			src_lang: 'en',
			tgt_lang: 'fr',
			run: '1',
			device: 'wasm'
		})
	);

	await expect(page.getByTestId('translation-text')).toHaveText('bonjour le monde');
	await expect(page.getByLabel('Source language')).toHaveValue('en');
	await expect(page.getByLabel('Target language')).toHaveValue('fr');
	expect(await resultJson(page)).toEqual({ translation: 'bonjour le monde', stopped: false });

	// The other direction, from the form: swap the codes, put in the French, run.
	await page.getByRole('button', { name: 'Swap the languages' }).click();
	await expect(page.getByLabel('Source language')).toHaveValue('fr');
	await page.getByLabel('Text').fill('bonjour le monde');
	await page.getByTestId('run').click();
	await expect(page.getByTestId('translation-text')).toHaveText('hello world');

	// A code that is not a language code is reported by name, and nothing runs.
	await page.getByLabel('Target language').fill('French');
	await expect(
		page.getByText('tgt_lang must be a language code such as en, fra or eng_Latn.').first()
	).toBeVisible();
	await expect(page.getByTestId('run')).toBeDisabled();
});

test('a share link runs a prefixed task and shows the generated text', async ({ page, app }) => {
	await page.goto(
		taskUrl(app, 'text2text-generation', {
			model: 'browserve/tiny-t2t',
			text: 'translate English to German: hello world',
			run: '1',
			device: 'wasm'
		})
	);

	await expect(page.getByTestId('t2t-text')).toHaveText('hallo welt');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Text-to-Text Generation');
	expect(await resultJson(page)).toEqual({ text: 'hallo welt', stopped: false });

	await page.getByLabel('Text').fill('summarize: The cat sat on the mat all day long.');
	await page.getByLabel('Text').press('Control+Enter');
	await expect(page.getByTestId('t2t-text')).toHaveText('cat sat.');
});

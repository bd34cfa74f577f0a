// Token classification, question answering and fill-mask end to end: a share link per task runs its generated
// BERT-style model from the hub on WASM and draws the result as a reader takes it in (marked entities, the
// answer marked in its context, the sentence with each candidate word), alongside the result JSON.

import type { Page } from '@playwright/test';
import { expect, taskUrl, test } from './fixtures';

async function resultJson<T>(page: Page): Promise<T> {
	const text = await page.getByTestId('result-json').textContent();
	return JSON.parse(text ?? 'null') as T;
}

test('a share link tags people and places and marks them in the text', async ({ page, app }) => {
	const text = 'My name is Sarah and I live in London';
	await page.goto(
		taskUrl(app, 'token-classification', { model: 'browserve/tiny-ner', text, run: '1', device: 'wasm' })
	);

	const marked = page.getByTestId('entity-text').locator('mark');
	await expect(marked).toHaveCount(2);
	await expect(marked.nth(0)).toHaveAttribute('data-group', 'PER');
	await expect(marked.nth(0)).toContainText('Sarah');
	await expect(marked.nth(1)).toHaveAttribute('data-group', 'LOC');
	await expect(marked.nth(1)).toContainText('London');
	await expect(page.getByLabel('Entity kinds').locator('li')).toHaveText([/^PER/, /^LOC/]);
	await expect(page.getByTestId('backend')).toHaveText('wasm');
	await expect(page.getByLabel('Text')).toHaveValue(text);

	const json = await resultJson<{ text: string; entities: { group: string; start: number; end: number }[] }>(
		page
	);
	expect(json.text).toBe(text);
	expect(json.entities.map(({ group, start, end }) => ({ group, start, end }))).toEqual([
		{ group: 'PER', start: 11, end: 16 },
		{ group: 'LOC', start: 31, end: 37 }
	]);
});

test('a share link answers a question and marks the answer in its context', async ({ page, app }) => {
	const context = 'Sarah lives in London and works at Acme.';
	await page.goto(
		taskUrl(app, 'question-answering', {
			model: 'browserve/tiny-qa',
			question: 'Where does Sarah work?',
			context,
			top_k: '2',
			run: '1',
			device: 'wasm'
		})
	);

	await expect(page.getByTestId('answer')).toHaveText('Acme');
	await expect(page.getByTestId('answer-score')).toHaveText(/^\d+\.\d%$/);
	await expect(page.getByTestId('answer-context').locator('mark')).toHaveText('Acme');
	await expect(page.getByTestId('answer-context')).toHaveText(context);
	await expect(page.getByTestId('answers').locator('li')).toHaveCount(2);
	await expect(page.getByLabel('Question')).toHaveValue('Where does Sarah work?');
	await expect(page.getByLabel('Answers', { exact: true })).toHaveValue('2');

	const json = await resultJson<{
		context: string;
		answers: { answer: string; score: number; start: number }[];
	}>(page);
	expect(json.context).toBe(context);
	expect(json.answers).toHaveLength(2);
	expect(json.answers[0]).toMatchObject({ answer: 'Acme', start: 35, end: 39 });
	expect(json.answers[0]!.score).toBeGreaterThan(0.9);
});

test('a share link fills a <mask> blank with the model’s own mask token and ranks the words', async ({
	page,
	app
}) => {
	await page.goto(
		taskUrl(app, 'fill-mask', {
			model: 'browserve/tiny-mlm',
			text: 'The capital of France is <mask>.',
			top_k: '3',
			run: '1',
			device: 'wasm'
		})
	);

	const candidates = page.getByTestId('fill-candidates').locator('li');
	await expect(candidates).toHaveCount(3);
	await expect(candidates.first()).toHaveAttribute('data-token', 'paris');
	await expect(candidates.first().locator('.sentence')).toHaveText('The capital of France is paris.');
	await expect(candidates.first().locator('.word')).toHaveText('paris');
	await expect(page.getByTestId('backend')).toHaveText('wasm');

	const json = await resultJson<{
		text: string;
		candidates: { token: string; score: number; sequence: string }[];
	}>(page);
	expect(json.text).toBe('The capital of France is <mask>.');
	expect(json.candidates.map((c) => c.token)[0]).toBe('paris');
	expect(json.candidates[0]!.score).toBeGreaterThan(0.9);
	expect(json.candidates[0]!.sequence).toBe('The capital of France is paris.');
});

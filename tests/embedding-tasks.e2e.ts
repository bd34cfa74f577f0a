// Zero-shot classification, feature extraction and sentence similarity end to end: a share link against the
// hub runs the generated tiny-nli / tiny-embedder in the worker on WASM, and the page renders scores, the
// vector and the ranked sentences, with the raw result as plain JSON. The label chips and sentence rows are
// driven by keyboard.

import type { Page } from '@playwright/test';
import { expect, taskUrl, test } from './fixtures';

async function resultJson<T>(page: Page): Promise<T> {
	const text = await page.getByTestId('result-json').textContent();
	return JSON.parse(text ?? 'null') as T;
}

test('zero-shot classification: a share link puts sports first, and labels are edited as chips', async ({
	page,
	app
}) => {
	await page.goto(
		taskUrl(app, 'zero-shot-classification', {
			model: 'browserve/tiny-nli',
			text: 'I love playing football',
			labels: 'sports,cooking,politics',
			run: '1',
			device: 'wasm'
		})
	);

	const scores = page.getByTestId('label-scores').locator('li');
	await expect(scores.first()).toHaveAttribute('data-label', 'sports');
	await expect(scores).toHaveCount(3);
	await expect(page.getByTestId('backend')).toHaveText('wasm');
	const json = await resultJson<{ label: string; score: number }[]>(page);
	expect(json.map((item) => item.label)).toEqual(['sports', expect.any(String), expect.any(String)]);
	expect(json.reduce((sum, item) => sum + item.score, 0)).toBeCloseTo(1, 5);
	const chips = page.getByTestId('label-chips').locator('li');
	await expect(chips.locator('span')).toHaveText(['sports', 'cooking', 'politics']);

	// Enter and a comma add labels, Backspace in the empty field takes the last one back, × removes one.
	const field = page.getByLabel('Candidate labels');
	await field.fill('music');
	await field.press('Enter');
	await field.pressSequentially('tennis,');
	await expect(chips).toHaveCount(5);
	await expect(field).toHaveValue('');
	await field.press('Backspace');
	await expect(chips.last()).toHaveAttribute('data-label', 'music');
	await page.getByRole('button', { name: 'Remove label music' }).click();
	await field.fill('sports');
	await field.press('Enter');
	await expect(page.getByText('"sports" is already a label.')).toBeVisible();
	await field.fill('');

	// Multi-label scores each label on its own; Ctrl+Enter from the label field runs again.
	await page.getByRole('switch', { name: /Multi-label/ }).check();
	await field.press('Control+Enter');
	await expect(page).toHaveURL(/multi_label=1/);
	await expect(page.getByTestId('result-json')).toContainText('"label": "sports"');
	const multi = await resultJson<{ label: string; score: number }[]>(page);
	expect(multi[0]?.label).toBe('sports');
	expect(multi[0]?.score).toBeGreaterThan(0.9);
	expect(new URL(page.url()).searchParams.get('labels')).toBe('sports,cooking,politics');
});

test('feature extraction: a share link gives the 16-dimensional vector, shown, previewed and copyable', async ({
	page,
	app,
	context
}) => {
	await page.goto(
		taskUrl(app, 'feature-extraction', {
			model: 'browserve/tiny-embedder',
			text: 'the cat sat on the mat',
			run: '1',
			device: 'wasm'
		})
	);

	await expect(page.getByTestId('embedding-dims')).toHaveText('16');
	await expect(page.getByTestId('embedding-length')).toHaveText('1.000');
	await expect(page.getByTestId('embedding-preview')).toHaveText(/^\[-?\d\.\d{4}(, -?\d\.\d{4}){7}, …\]$/);
	await expect(page.getByTestId('embedding-strip')).toBeVisible();
	await expect(page.getByLabel('Pooling')).toHaveValue('mean');
	await expect(page.getByLabel(/Normalize/)).toBeChecked();

	// The raw JSON is a plain array of numbers, not a typed array's index-keyed object.
	const json = await resultJson<{ dims: number[]; data: number[] }>(page);
	expect(json.dims).toEqual([1, 16]);
	expect(Array.isArray(json.data)).toBe(true);
	expect(json.data).toHaveLength(16);
	expect(Math.hypot(...json.data)).toBeCloseTo(1, 4);
	// The pets axis (dimension 0) carries the sentence.
	expect(json.data[0]).toBeGreaterThan(0.9);

	await context.grantPermissions(['clipboard-read', 'clipboard-write']);
	await page.getByRole('button', { name: 'Copy as JSON array' }).click();
	await expect(page.getByRole('button', { name: 'Copied' })).toBeVisible();
	const copied = JSON.parse(await page.evaluate(() => navigator.clipboard.readText())) as number[];
	expect(copied).toEqual(json.data);

	// Per-token vectors: a row per token, [CLS] and [SEP] included.
	await page.getByLabel('Pooling').selectOption('none');
	await page.getByTestId('run').click();
	await expect(page.getByTestId('embedding-shape')).toContainText('8 tokens × 16');
	expect((await resultJson<{ dims: number[] }>(page)).dims).toEqual([1, 8, 16]);
	expect(new URL(page.url()).searchParams.get('pooling')).toBe('none');
});

test('sentence similarity: a share link ranks the kitten on a rug above falling markets', async ({
	page,
	app
}) => {
	await page.goto(
		taskUrl(app, 'sentence-similarity', {
			model: 'browserve/tiny-embedder',
			source: 'the cat sat on the mat',
			sentences: 'stock markets fell today\na kitten on a rug',
			run: '1',
			device: 'wasm'
		})
	);

	const ranked = page.getByTestId('similarity-scores').locator('li');
	await expect(ranked.first()).toHaveAttribute('data-sentence', 'a kitten on a rug');
	await expect(ranked.last()).toHaveAttribute('data-sentence', 'stock markets fell today');
	await expect(page.getByTestId('similarity-source')).toHaveText('the cat sat on the mat');
	const json = await resultJson<{ sentences: string[]; scores: number[] }>(page);
	// Scores stay in the order of the link's sentences; only the bars are sorted.
	expect(json.sentences).toEqual(['stock markets fell today', 'a kitten on a rug']);
	expect(json.scores[1]).toBeGreaterThan(0.8);
	expect(json.scores[0]).toBeLessThan(0.3);
	await expect(page.getByLabel('Sentence 1', { exact: true })).toHaveValue('stock markets fell today');

	// Enter in a row opens the next one; a new sentence joins the ranking.
	await page.getByLabel('Sentence 2', { exact: true }).press('Enter');
	await expect(page.getByLabel('Sentence 3', { exact: true })).toBeFocused();
	await page.keyboard.type('my cats purr on the sofa');
	await page.keyboard.press('Control+Enter');
	await expect(ranked).toHaveCount(3);
	await expect(ranked.first()).not.toHaveAttribute('data-sentence', 'stock markets fell today');
	await expect(ranked.last()).toHaveAttribute('data-sentence', 'stock markets fell today');
	expect(new URL(page.url()).searchParams.get('sentences')).toBe(
		'stock markets fell today\na kitten on a rug\nmy cats purr on the sofa'
	);

	// Removing a row takes it out of the next run.
	await page.getByRole('button', { name: 'Remove sentence 1' }).click();
	await page.getByTestId('run').click();
	await expect(ranked).toHaveCount(2);
});

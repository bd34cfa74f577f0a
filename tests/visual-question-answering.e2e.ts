// Visual question answering (the image-text-to-text page) end to end with the generated tiny-smolvlm: share
// links naming a built-in sample and a question run the SmolVLM-style model through the image-to-text pipeline
// in the worker; the rendered answer and the result JSON must say what the hand-set model is known to answer.
// Stop ends an endless answer with what it wrote, bad parameters are refused by name, the model picker finds
// the bundled model, and the home page lists the task as one that runs here.

import { expect, taskUrl, test } from './fixtures';
import { resultJson } from './images';

const MODEL = 'browserve/tiny-smolvlm';

const ask = (app: Parameters<typeof taskUrl>[0], params: Record<string, string>) =>
	taskUrl(app, 'image-text-to-text', { model: MODEL, run: '1', device: 'wasm', ...params });

test('a link with a sample and a question shows the answer from the image colour', async ({ page, app }) => {
	await page.goto(ask(app, { sample: 'green', question: 'What colour is this image?' }));
	await expect(page.getByTestId('visual-answer')).toHaveText('green');
	await expect(page.getByTestId('visual-question')).toHaveText('What colour is this image?');
	expect(await resultJson<unknown>(page)).toEqual({
		question: 'What colour is this image?',
		answer: 'green',
		stopped: false
	});
	await expect(page.getByTestId('image-preview')).toBeVisible();
	await expect(page.getByLabel('Question')).toHaveValue('What colour is this image?');
	await expect(page.getByTestId('backend')).toHaveText('wasm');

	await page.goto(ask(app, { sample: 'red', question: 'What shape is it?' }));
	await expect(page.getByTestId('visual-answer')).toHaveText('a square');
	expect(await resultJson<unknown>(page)).toEqual({
		question: 'What shape is it?',
		answer: 'a square',
		stopped: false
	});
});

test('Stop ends an endless answer with what it wrote', async ({ page, app }) => {
	await page.goto(ask(app, { sample: 'blue', question: 'Sing me a song', max_new_tokens: '1000' }));
	await expect(page.getByTestId('generation-partial')).toBeVisible();
	await page.getByRole('button', { name: /^(Stop|Cancel)$/ }).click();
	await expect(page.getByTestId('generation-stopped')).toHaveText('(stopped)');
	const result = await resultJson<{ answer: string; stopped: boolean }>(page);
	expect(result.stopped).toBe(true);
	expect(result.answer).toMatch(/^(la)?( la)*$/);
	await expect(page.getByTestId('run-error')).toHaveCount(0);
});

test('bad parameters of a visual question link are refused by name', async ({ page, app }) => {
	await page.goto(
		ask(app, { sample: 'purple', question: 'x'.repeat(1001), max_new_tokens: '0', image: 'ftp://x/y.png' })
	);
	const issues = page.getByTestId('link-issues');
	await expect(issues.locator('[data-param="sample"]')).toContainText(
		'sample must be one of red, green, blue'
	);
	await expect(issues.locator('[data-param="question"]')).toContainText('question can be at most 1000');
	await expect(issues.locator('[data-param="max_new_tokens"]')).toContainText(
		'max_new_tokens must be a whole number from 1 to 1024'
	);
	await expect(issues.locator('[data-param="image"]')).toBeVisible();
	await expect(page.getByTestId('result')).toHaveCount(0);
});

test('the page finds the bundled vision-language model on the hub', async ({ page, app }) => {
	await page.goto(`${app.url}image-text-to-text`);
	await page.getByRole('combobox', { name: 'Model' }).fill('smolvlm');
	await expect(page.getByTestId('model-results').locator(`[data-model="${MODEL}"]`)).toBeVisible();
});

test('the home page lists image-text-to-text as a task that runs here', async ({ page, app }) => {
	await page.goto(app.url);
	const entry = page.locator('li[data-task="image-text-to-text"]');
	await expect(entry.getByRole('link', { name: 'Image-Text-to-Text' })).toBeVisible();
	await expect(entry.getByTestId('not-available-reason')).toHaveCount(0);
});

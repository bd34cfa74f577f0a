// Zero-shot image classification, image captioning and document question answering end to end: share links
// naming a built-in sample run the generated tiny-clip, tiny-captioner and tiny-docqa in the worker, and an
// uploaded PNG (encoded here) with labels typed as chips is classified; the rendered result and the result
// JSON must both say what the hand-set models are known to answer.

import { expect, taskUrl, test } from './fixtures';
import { resultJson, solidPng } from './images';

test('a zero-shot image link ranks the label of the sample colour first', async ({ page, app }) => {
	await page.goto(
		taskUrl(app, 'zero-shot-image-classification', {
			model: 'browserve/tiny-clip',
			sample: 'blue',
			labels: 'red,green,blue',
			run: '1',
			device: 'wasm'
		})
	);
	const rows = page.getByTestId('label-scores').locator('li');
	await expect(rows.first()).toHaveAttribute('data-label', 'blue');
	await expect(rows).toHaveCount(3);
	const scores = await resultJson<{ label: string; score: number }[]>(page);
	expect(scores[0]?.label).toBe('blue');
	expect(scores[0]?.score).toBeGreaterThan(0.99);
	expect(scores.map((item) => item.label).sort()).toEqual(['blue', 'green', 'red']);
	await expect(page.getByTestId('image-preview')).toBeVisible();
	await expect(page.getByTestId('backend')).toHaveText('wasm');
});

test('an uploaded image is scored against labels typed as chips', async ({ page, app }) => {
	await page.goto(`${app.url}zero-shot-image-classification?device=wasm&model=browserve/tiny-clip`);
	await page
		.getByTestId('image-file')
		.setInputFiles({ name: 'yellow.png', mimeType: 'image/png', buffer: solidPng([240, 230, 20], 24) });
	await expect(page.getByTestId('image-preview')).toBeVisible();
	const field = page.locator('#task-labels');
	await field.fill('a white dog, Yellow');
	await field.press('Enter');
	await expect(page.getByTestId('label-chips').locator('li')).toHaveCount(2);
	await page.getByTestId('run').click();
	await expect(page.getByTestId('label-scores').locator('li').first()).toHaveAttribute(
		'data-label',
		'Yellow'
	);
	expect((await resultJson<{ label: string }[]>(page)).map((item) => item.label)).toEqual([
		'Yellow',
		'a white dog'
	]);
});

test('an image-to-text link captions the sample by its colour', async ({ page, app }) => {
	await page.goto(
		taskUrl(app, 'image-to-text', {
			model: 'browserve/tiny-captioner',
			sample: 'green',
			run: '1',
			device: 'wasm'
		})
	);
	await expect(page.getByTestId('caption-text')).toHaveText('a green square');
	expect(await resultJson<unknown>(page)).toEqual({ text: 'a green square', stopped: false });
	await expect(page.getByTestId('backend')).toHaveText('wasm');
});

test('a caption stops at max_new_tokens', async ({ page, app }) => {
	await page.goto(
		taskUrl(app, 'image-to-text', {
			model: 'browserve/tiny-captioner',
			sample: 'red',
			max_new_tokens: '2',
			run: '1',
			device: 'wasm'
		})
	);
	await expect(page.getByTestId('caption-text')).toHaveText('a red');
	expect(await resultJson<unknown>(page)).toEqual({ text: 'a red', stopped: false });
	await expect(page.getByLabel('Max new tokens')).toHaveValue('2');
});

test('a document question link answers from the page colour and from the question', async ({ page, app }) => {
	const ask = (sample: string, question: string) =>
		taskUrl(app, 'document-question-answering', {
			model: 'browserve/tiny-docqa',
			sample,
			question,
			run: '1',
			device: 'wasm'
		});
	await page.goto(ask('green', 'What colour is this document?'));
	await expect(page.getByTestId('document-answer')).toHaveText('green');
	await expect(page.getByTestId('document-question')).toHaveText('What colour is this document?');
	expect(await resultJson<unknown>(page)).toEqual({
		question: 'What colour is this document?',
		answer: 'green'
	});
	await expect(page.getByTestId('image-preview')).toBeVisible();

	await page.goto(ask('blue', 'What is the total?'));
	await expect(page.getByTestId('document-answer')).toHaveText('42');
	expect(await resultJson<unknown>(page)).toEqual({ question: 'What is the total?', answer: '42' });

	await page.goto(ask('red', 'Who signed it?'));
	await expect(page.getByTestId('document-answer')).toHaveAttribute('data-answer', '');
	await expect(page.getByTestId('document-answer')).toContainText('no answer');
	expect(await resultJson<unknown>(page)).toEqual({ question: 'Who signed it?', answer: '' });
});

test('bad parameters of the multimodal links are refused by name', async ({ page, app }) => {
	await page.goto(
		taskUrl(app, 'document-question-answering', { sample: 'purple', question: 'x'.repeat(501), run: '1' })
	);
	const issues = page.getByTestId('link-issues');
	await expect(issues.locator('[data-param="sample"]')).toContainText(
		'sample must be one of red, green, blue'
	);
	await expect(issues.locator('[data-param="question"]')).toContainText('question can be at most 500');
	await page.goto(taskUrl(app, 'zero-shot-image-classification', { template: 'no placeholder', run: '1' }));
	await expect(page.getByTestId('link-issues').locator('[data-param="template"]')).toContainText(
		'template must contain {}'
	);
});

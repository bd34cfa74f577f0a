// The model picker and what the page tells before Run: type-ahead search of the hubs for the page's task,
// keyboard selection, the download size from the tree API; and share links that are long, or that carry
// parameters the page does not know.

import { TASK_IDS } from '../src/lib/tasks/registry.ts';
import { expect, taskUrl, test } from './fixtures';

test('typing searches the hubs for models of this task; arrows and Enter pick one', async ({ page, app }) => {
	await page.goto(`${app.url}text-classification`);
	const model = page.getByRole('combobox', { name: 'Model' });
	await model.fill('tiny');
	const results = page.getByTestId('model-results');
	await expect(results.getByRole('option')).not.toHaveCount(0);
	// Only models whose pipeline tag is this task: the sentiment model, not the generator or the embedder.
	await expect(results.locator('[data-model="browserve/tiny-sentiment"]')).toBeVisible();
	await expect(results.locator('[data-model="browserve/tiny-gpt"]')).toHaveCount(0);
	await expect(results.locator('[data-model="browserve/tiny-sentiment"]')).toContainText('apache-2.0');
	await model.press('ArrowDown');
	await model.press('ArrowUp');
	await model.press('Enter');
	await expect(model).toHaveValue(/^browserve\//);
	await expect(results).toHaveCount(0);
});

test('the download size is shown before Run, and "stored" once it is on the device', async ({
	page,
	app
}) => {
	await page.goto(`${app.url}text-classification?model=browserve/tiny-sentiment&device=wasm`);
	const preview = page.getByTestId('model-preview');
	await expect(preview).toContainText(/Downloads [\d.]+ KB \(5 files\) once/);
	await expect(preview).toContainText('Runs on wasm with q8 weights.');
	await page.getByLabel('Text').fill('I love this');
	await page.getByTestId('run').click();
	await expect(page.getByTestId('result')).toBeVisible();
	await expect(preview).toContainText('Stored on this device');
});

test('an unknown model is reported before Run', async ({ page, app }) => {
	await page.goto(`${app.url}text-classification?model=nobody/nothing`);
	await expect(page.getByTestId('model-preview')).toContainText('nobody/nothing@main was not found');
});

test('a long input travels compressed in the fragment and the link reproduces the run', async ({
	page,
	app,
	context
}) => {
	const text = `${'I love this wonderful day. '.repeat(200)}Ünïcödé ✓`;
	await page.goto(`${app.url}text-classification?model=browserve/tiny-sentiment&device=wasm`);
	await page.getByLabel('Text').fill(text);
	await context.grantPermissions(['clipboard-read', 'clipboard-write']);
	await page.getByTestId('share').click();
	const link = await page.getByTestId('share-url').inputValue();
	const url = new URL(link);
	expect(url.searchParams.has('text')).toBe(false);
	expect(url.hash).toMatch(/^#z=[A-Za-z0-9_-]+$/);
	expect(link.length).toBeLessThan(text.length);

	const second = await context.newPage();
	await second.goto(link);
	await expect(second.getByLabel('Text')).toHaveValue(text);
	await expect(second.getByTestId('label-scores').locator('li').first()).toHaveAttribute(
		'data-label',
		'POSITIVE'
	);
});

test('a damaged fragment is reported, and parameters the page does not know are ignored with a notice', async ({
	page,
	app
}) => {
	await page.goto(`${app.url}text-classification?model=browserve/tiny-sentiment#z=AAAA`);
	await expect(page.getByTestId('link-issues')).toContainText('damaged or cut off');

	await page.goto(
		taskUrl(app, 'text-classification', {
			model: 'browserve/tiny-sentiment',
			text: 'I love this',
			run: '1',
			utm_source: 'mail'
		})
	);
	await expect(page.getByTestId('link-notices')).toContainText(
		'"utm_source" is not a parameter of this page and was ignored.'
	);
	// A notice does not stop the link from running.
	await expect(page.getByTestId('label-scores').locator('li').first()).toHaveAttribute(
		'data-label',
		'POSITIVE'
	);
});

test('every task page finds its bundled model on the hubs', async ({ page, app }) => {
	const tasks = JSON.parse((await (await fetch(`${app.url}browserve.config.json`)).text()) || '{}') as {
		defaultModels: Record<string, string>;
	};
	const entries = Object.entries(tasks.defaultModels);
	// Every registered task has a bundled model, so every page is covered.
	expect(entries.map(([task]) => task).sort()).toEqual([...TASK_IDS].sort());
	for (const [task, model] of entries) {
		// The any-ONNX page names its model in its own input (a repo and a file): it has no picker.
		if (task === 'onnx') continue;
		await page.goto(`${app.url}${task}`);
		const picker = page.getByRole('combobox', { name: 'Model' });
		await picker.fill(model.split('/')[1]!.slice(0, 6));
		await expect(
			page.getByTestId('model-results').locator(`[data-model="${model}"]`),
			`${task} finds ${model}`
		).toBeVisible();
	}
});

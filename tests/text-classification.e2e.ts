// Text classification end to end: a share link against the hub on an ephemeral port runs the generated
// sentiment model in the worker, on WASM and on (software) WebGPU, and renders labels, JSON and backend.

import { expect, taskUrl, test } from './fixtures';

interface LabelScore {
	label: string;
	score: number;
}

async function resultJson(page: import('@playwright/test').Page): Promise<LabelScore[]> {
	const text = await page.getByTestId('result-json').textContent();
	return JSON.parse(text ?? 'null') as LabelScore[];
}

for (const device of ['wasm', 'webgpu'] as const) {
	test(`a share link runs text classification on ${device}`, async ({ page, app }) => {
		await page.goto(
			taskUrl(app, 'text-classification', {
				model: 'browserve/tiny-sentiment',
				text: 'I love this',
				run: '1',
				device
			})
		);

		const scores = page.getByTestId('label-scores');
		await expect(scores.locator('li').first()).toHaveAttribute('data-label', 'POSITIVE');
		await expect(page.getByTestId('backend')).toHaveText(device);
		const json = await resultJson(page);
		expect(json.map((item) => item.label)).toEqual(['POSITIVE', 'NEGATIVE']);
		expect(json[0]!.score).toBeGreaterThan(0.9);
		expect(json[0]!.score + json[1]!.score).toBeCloseTo(1, 5);
		// The model came from the hub given as HUB_URL, not the bundled mirror, and was pinned to a commit.
		await expect(page.getByTestId('result')).toContainText(app.hubUrl);
		await expect(page.getByTestId('dtype')).toHaveText(device === 'wasm' ? 'q8' : 'fp32');
		await expect(page.getByTestId('load-ms')).toHaveText(/\d/);
		await expect(page.getByTestId('inference-ms')).toHaveText(/\d/);
		// The text box was filled from the link.
		await expect(page.getByLabel('Text')).toHaveValue('I love this');
	});
}

test('typing a sentence and pressing Ctrl+Enter classifies it, and the share link reproduces it', async ({
	page,
	app,
	context
}) => {
	await page.goto(`${app.url}text-classification?device=wasm`);
	// The default model is the bundled sentiment model when the bundled mirror is served.
	await expect(page.getByLabel('Model')).toHaveAttribute('placeholder', 'browserve/tiny-sentiment');
	await page.getByLabel('Text').fill('This is terrible and I hate it');
	await page.getByLabel('Text').press('Control+Enter');
	await expect(page.getByTestId('label-scores').locator('li').first()).toHaveAttribute(
		'data-label',
		'NEGATIVE'
	);
	expect(new URL(page.url()).searchParams.get('text')).toBe('This is terrible and I hate it');

	await context.grantPermissions(['clipboard-read', 'clipboard-write']);
	await page.getByTestId('share').click();
	const link = await page.getByTestId('share-url').inputValue();
	expect(new URL(link).searchParams.get('run')).toBe('1');
	expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(link);

	const second = await context.newPage();
	await second.goto(link);
	await expect(second.getByTestId('label-scores').locator('li').first()).toHaveAttribute(
		'data-label',
		'NEGATIVE'
	);
	await expect(second.getByTestId('backend')).toHaveText('wasm');
});

test('a model that no hub has gives a clear message', async ({ page, app }) => {
	await page.goto(
		taskUrl(app, 'text-classification', { model: 'nobody/no-such-model', text: 'hello', run: '1' })
	);
	const error = page.getByTestId('run-error');
	await expect(error).toHaveAttribute('data-error-name', 'ModelNotFoundError');
	await expect(error).toContainText('nobody/no-such-model@main was not found');
	await expect(page.getByTestId('result')).toHaveCount(0);
});

test('a slow download shows per-file progress until the model is ready', async ({ page, app, context }) => {
	// Hold the weights back for a moment so the progress panel is on screen long enough to see.
	await context.route(
		(url) => url.pathname.endsWith('.onnx'),
		async (route) => {
			await new Promise((resolve) => setTimeout(resolve, 1500));
			await route.continue();
		}
	);
	await page.goto(
		taskUrl(app, 'text-classification', {
			model: 'browserve/tiny-sentiment',
			text: 'I love this',
			run: '1',
			device: 'wasm'
		})
	);
	const progress = page.getByTestId('progress');
	await expect(progress).toBeVisible();
	await expect(progress.getByRole('status')).toContainText('browserve/tiny-sentiment');
	await expect(progress).toContainText('onnx/model_quantized.onnx');
	await expect(page.getByTestId('label-scores').locator('li').first()).toHaveAttribute(
		'data-label',
		'POSITIVE'
	);
	await expect(progress).toHaveCount(0);
});

// Bad share links: each unusable value gets its own message on the page, nothing runs, and the page stays usable.

import { expect, taskUrl, test } from './fixtures';

const cases: [name: string, params: Record<string, string>, param: string, message: RegExp][] = [
	['a malformed model id', { model: 'not a/model/id', text: 'hi', run: '1' }, 'model', /is not a model id/],
	[
		'a javascript: model',
		{ model: 'javascript:alert(document.domain)', text: 'hi', run: '1' },
		'model',
		/script or data address/
	],
	[
		'a javascript: revision',
		{ revision: 'javascript:alert(1)', text: 'hi', run: '1' },
		'revision',
		/not a branch, tag or commit/
	],
	['an unknown device', { device: 'tpu', text: 'hi', run: '1' }, 'device', /not a backend here/],
	[
		'an over-long text',
		{ text: 'a'.repeat(20_001), run: '1' },
		'text',
		/20,001 characters long; the limit is 20,000/
	]
];

for (const [name, params, param, message] of cases) {
	test(`${name} is reported and not run`, async ({ page, app }) => {
		await page.goto(taskUrl(app, 'text-classification', params));
		const issues = page.getByTestId('link-issues');
		await expect(issues).toBeVisible();
		await expect(issues.locator(`li[data-param="${param}"]`)).toHaveText(message);
		await expect(page.getByRole('heading', { name: 'Text Classification' })).toBeVisible();
		// Give an erroneous autorun the time it would need to show anything at all.
		await page.waitForTimeout(300);
		await expect(page.getByTestId('progress')).toHaveCount(0);
		await expect(page.getByTestId('result')).toHaveCount(0);
		await expect(page.getByTestId('run-error')).toHaveCount(0);
	});
}

test('an unknown task says so and links back to the catalog', async ({ page, app }) => {
	const response = await page.goto(`${app.url}no-such-task?text=hi&run=1`);
	expect(response?.status()).toBe(404);
	await expect(page.getByTestId('page-error')).toContainText('There is no task called "no-such-task".');
	await page.getByRole('link', { name: 'Back to all tasks' }).click();
	await expect(page.getByRole('heading', { name: 'Tasks', level: 1 })).toBeVisible();
});

test('the home page lists tasks by modality and marks what runs here', async ({ page, app }) => {
	await page.goto(app.url);
	for (const heading of ['Natural Language Processing', 'Computer Vision', 'Audio', 'Multimodal']) {
		await expect(page.getByRole('heading', { name: heading, level: 2 })).toBeVisible();
	}
	await expect(page.locator('li[data-task="text-classification"] a')).toHaveText('Text Classification');
	await expect(page.locator('li[data-task="object-detection"]')).toContainText('runs here');
	// A task that cannot run yet says so, and why.
	const textToImage = page.locator('li[data-task="text-to-image"]');
	await expect(textToImage).toContainText('not available yet');
	await expect(textToImage.getByTestId('not-available-reason')).toContainText('Diffusion models');
	await expect(page.locator('li[data-task="table-question-answering"]')).toContainText('TAPAS');
	await expect(page.locator('li[data-task="text-classification"]')).toContainText('runs here');
	// Served cross-origin isolated, so WASM gets every core.
	await expect(page.getByTestId('device-summary')).toContainText(/WASM with ([2-9]|\d\d+)\s+threads/);
	await page.getByRole('link', { name: 'Text Classification' }).click();
	await expect(page).toHaveURL(/\/text-classification$/);
});

test('requests to the internet are blocked and recorded, from the page and from workers', async ({
	page,
	app,
	external
}) => {
	await page.goto(app.url);
	const fromPage = await page.evaluate(() =>
		fetch('https://huggingface.co/api/models').then(
			() => 'fetched',
			() => 'blocked'
		)
	);
	const fromWorker = await page.evaluate(
		() =>
			new Promise<string>((resolve) => {
				const source = `fetch('https://cdn.jsdelivr.net/npm/x').then(() => postMessage('fetched'), () => postMessage('blocked'))`;
				const worker = new Worker(URL.createObjectURL(new Blob([source], { type: 'text/javascript' })));
				worker.onmessage = (event) => resolve(String(event.data));
			})
	);
	expect([fromPage, fromWorker]).toEqual(['blocked', 'blocked']);
	expect(external.sort()).toEqual(['https://cdn.jsdelivr.net/npm/x', 'https://huggingface.co/api/models']);
	// These two were this test's own doing; the fixture's check after the test must see none from the app.
	external.length = 0;
});

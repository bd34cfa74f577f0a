// Image classification end to end: images from a file, a paste and a web address (served by a small loopback
// server made here, with and without CORS) are decoded on the page and classified by the generated tiny-colors
// model in the worker; files that are not images and hosts that refuse give clear messages and run nothing.

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from '@playwright/test';
import { expect, taskUrl, test } from './fixtures';
import { resultJson, solidPng } from './images';

const MODEL = 'browserve/tiny-colors';

let server: Server;
let imageHost = '';

test.beforeAll(async () => {
	const red = solidPng([220, 20, 20], 32);
	server = createServer((request, response) => {
		const cors = { 'access-control-allow-origin': '*' };
		switch (request.url) {
			case '/red.png':
				response.writeHead(200, { ...cors, 'content-type': 'image/png' }).end(red);
				break;
			case '/no-cors.png':
				response.writeHead(200, { 'content-type': 'image/png' }).end(red);
				break;
			case '/page.png':
				response.writeHead(200, { ...cors, 'content-type': 'text/html' }).end('<p>not an image</p>');
				break;
			default:
				response.writeHead(404, cors).end();
		}
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	imageHost = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

test.afterAll(async () => {
	await new Promise((resolve) => server.close(resolve));
});

async function topLabel(page: Page) {
	return page.getByTestId('label-scores').locator('li').first();
}

async function resultLabels(page: Page): Promise<string[]> {
	return (await resultJson<{ label: string }[]>(page)).map((item) => item.label);
}

test('an uploaded PNG is classified, and the page says its pixels are not in share links', async ({
	page,
	app
}) => {
	await page.goto(`${app.url}image-classification?device=wasm&model=${MODEL}`);
	await page
		.getByTestId('image-file')
		.setInputFiles({ name: 'blue.png', mimeType: 'image/png', buffer: solidPng([10, 30, 230], 32) });
	await expect(page.getByTestId('image-preview')).toBeVisible();
	await expect(page.getByTestId('image-local-note')).toContainText('share links');
	await page.getByTestId('run').click();
	await expect(await topLabel(page)).toHaveAttribute('data-label', 'blue');
	expect((await resultLabels(page))[0]).toBe('blue');
	await expect(page.getByTestId('backend')).toHaveText('wasm');
});

test('a pasted image is classified', async ({ page, app }) => {
	await page.goto(`${app.url}image-classification?device=wasm&model=${MODEL}`);
	const bytes = [...solidPng([20, 220, 30], 32)];
	// Pasting before the page has hydrated does nothing (as for a person), so paste until the preview shows.
	await expect(async () => {
		await page.evaluate((data) => {
			const transfer = new DataTransfer();
			transfer.items.add(new File([new Uint8Array(data)], 'green.png', { type: 'image/png' }));
			document.dispatchEvent(new ClipboardEvent('paste', { clipboardData: transfer, bubbles: true }));
		}, bytes);
		await expect(page.getByTestId('image-preview')).toBeVisible({ timeout: 1000 });
	}).toPass();
	await page.getByTestId('run').click();
	await expect(await topLabel(page)).toHaveAttribute('data-label', 'green');
});

test('a dropped image is classified', async ({ page, app }) => {
	await page.goto(`${app.url}image-classification?device=wasm&model=${MODEL}`);
	const bytes = [...solidPng([240, 10, 10], 32)];
	await expect(async () => {
		await page.getByTestId('image-drop').evaluate((zone, data) => {
			const transfer = new DataTransfer();
			transfer.items.add(new File([new Uint8Array(data)], 'red.png', { type: 'image/png' }));
			zone.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
		}, bytes);
		await expect(page.getByTestId('image-preview')).toBeVisible({ timeout: 1000 });
	}).toPass();
	await page.getByTestId('run').click();
	await expect(await topLabel(page)).toHaveAttribute('data-label', 'red');
});

test('a text file named .png gets a clear message and nothing runs', async ({ page, app }) => {
	await page.goto(`${app.url}image-classification?device=wasm&model=${MODEL}`);
	await page
		.getByTestId('image-file')
		.setInputFiles({ name: 'notes.png', mimeType: 'image/png', buffer: Buffer.from('just some text') });
	await expect(page.getByTestId('image-problem')).toContainText('notes.png is not an image');
	await expect(page.getByTestId('run')).toBeDisabled();
	await page
		.getByTestId('image-file')
		.setInputFiles({ name: 'empty.png', mimeType: 'image/png', buffer: Buffer.alloc(0) });
	await expect(page.getByTestId('image-problem')).toContainText('empty.png is empty');
	await page.getByTestId('image-file').setInputFiles({
		name: 'cut.png',
		mimeType: 'image/png',
		buffer: solidPng([1, 2, 3], 32).subarray(0, 60)
	});
	await expect(page.getByTestId('image-problem')).toContainText('cut.png is not an image');
	await expect(page.getByTestId('run')).toBeDisabled();
	await expect(page.getByTestId('result-json')).toHaveCount(0);
});

test('a share link with an image address fetches it and runs', async ({ page, app }) => {
	await page.goto(
		taskUrl(app, 'image-classification', {
			model: MODEL,
			image: `${imageHost}/red.png`,
			top_k: '2',
			run: '1',
			device: 'wasm'
		})
	);
	await expect(await topLabel(page)).toHaveAttribute('data-label', 'red');
	const labels = await resultLabels(page);
	expect(labels).toHaveLength(2);
	expect(labels[0]).toBe('red');
	await expect(page.getByLabel('Image address')).toHaveValue(`${imageHost}/red.png`);
	await expect(page.getByTestId('image-local-note')).toHaveCount(0);
});

test('a share link naming a built-in sample runs with no network', async ({ page, app }) => {
	await page.goto(
		taskUrl(app, 'image-classification', { model: MODEL, sample: 'blue', run: '1', device: 'wasm' })
	);
	await expect(await topLabel(page)).toHaveAttribute('data-label', 'blue');
	await expect(page.getByTestId('image-preview')).toBeVisible();
	await expect(page.getByTestId('image-local-note')).toHaveCount(0);
});

test('hosts that refuse an image address get a message naming the problem', async ({ page, app }) => {
	const cases = [
		['no-cors.png', /CORS/],
		['page.png', /not an image: the host sent “text\/html”/],
		['missing.png', /HTTP 404/]
	] as const;
	for (const [path, message] of cases) {
		await page.goto(
			taskUrl(app, 'image-classification', { model: MODEL, image: `${imageHost}/${path}`, run: '1' })
		);
		await expect(page.getByTestId('image-problem')).toContainText(message);
		await expect(page.getByTestId('run')).toBeDisabled();
	}
	await expect(page.getByTestId('result-json')).toHaveCount(0);
});

test('a link whose image is not a web address is refused by name', async ({ page, app }) => {
	await page.goto(taskUrl(app, 'image-classification', { image: 'javascript:alert(1)', run: '1' }));
	await expect(page.getByTestId('link-issues').locator('[data-param="image"]')).toContainText(
		'image must be an http:// or https:// address'
	);
});

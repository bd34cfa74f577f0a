// Offline end to end, once the service worker controls the page: the app shell reloads with no network and a
// stored model runs; the home page tells tasks that run offline from those that need a connection; and a
// share link to a model that is not stored says it needs a connection and how big the download is.

import type { Page } from '@playwright/test';
import { expect, taskUrl, test } from './fixtures';

const TEXT_MODEL = 'browserve/tiny-sentiment';

async function controlled(page: Page): Promise<void> {
	await expect
		.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null), { timeout: 60_000 })
		.toBe(true);
}

test('after one run, the app reloads offline from the service worker and the stored model runs', async ({
	page,
	app,
	context
}) => {
	const link = taskUrl(app, 'text-classification', {
		model: TEXT_MODEL,
		text: 'I love this',
		run: '1',
		device: 'wasm'
	});
	await page.goto(link);
	await expect(page.getByTestId('label-scores').locator('li').first()).toHaveAttribute(
		'data-label',
		'POSITIVE'
	);
	await controlled(page);

	await context.setOffline(true);
	await page.reload();
	await expect(page.getByTestId('label-scores').locator('li').first()).toHaveAttribute(
		'data-label',
		'POSITIVE'
	);
	await expect(page.getByTestId('model-preview')).toContainText('Stored on this device');

	// The home page, offline: the task whose model is stored runs; the others need a connection.
	await page.goto(app.url);
	await expect(page.getByTestId('offline-summary')).toContainText('You are offline. 1 task runs');
	await expect(page.locator('li[data-task="text-classification"]')).toHaveAttribute('data-offline', 'ready');
	await expect(page.locator('li[data-task="text-classification"]')).toContainText('works offline');
	await expect(page.locator('li[data-task="summarization"]')).toHaveAttribute(
		'data-offline',
		'needs-network'
	);
	await expect(page.locator('li[data-task="summarization"]')).toContainText('needs a connection');

	await context.setOffline(false);
	await page.reload();
	await expect(page.getByTestId('offline-summary')).toHaveCount(0);
});

test('offline, a link to a model that is not stored says it needs a connection and how big it is', async ({
	page,
	app,
	context
}) => {
	// Seen once online (not run): the page learnt the download size from the hub.
	await page.goto(`${app.url}summarization?device=wasm`);
	const preview = page.getByTestId('model-preview');
	await expect(preview).toContainText('Downloads');
	const size = /Downloads ([\d.]+ [KMG]?B)/.exec((await preview.textContent()) ?? '')?.[1];
	expect(size).toBeTruthy();
	await controlled(page);

	await context.setOffline(true);
	await page.goto(`${app.url}summarization?device=wasm&run=1&text=${encodeURIComponent('Some text.')}`);
	const notice = page.getByTestId('offline-model');
	await expect(notice).toContainText('needs a connection');
	await expect(notice).toContainText(`a download of ${size}`);
	await expect(page.getByTestId('run-error')).toContainText('there is no connection to download it');
	await expect(page.getByTestId('result')).toHaveCount(0);

	// A model this device never asked the hub about: the size is unknown, and the page says so.
	await page.goto(`${app.url}translation?device=wasm&run=1&text=hello`);
	await expect(page.getByTestId('offline-model')).toContainText('size is not known offline');
	await context.setOffline(false);
});

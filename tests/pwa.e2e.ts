// The installable app end to end: Chromium finds the manifest valid and the app installable, a new build at
// the same origin brings the update prompt (and nothing reloads until the user accepts; stored models stay),
// and shares POSTed to the share target open the right task with the shared text or image.

import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { startAppServer } from '../scripts/serve/app-server.ts';
import { BUILD_DIR, HUB_DIR } from '../scripts/serve/build.ts';
import { expect, taskUrl, test } from './fixtures';

const TEXT_MODEL = 'browserve/tiny-sentiment';

/** Waits until the service worker controls the page (the first visit installs it and claims the page). */
async function controlled(page: Page): Promise<void> {
	await expect
		.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null), { timeout: 60_000 })
		.toBe(true);
}

/** The build version the controlling service worker serves (it answers GET_VERSION). */
function workerVersion(page: Page): Promise<string> {
	return page.evaluate(
		() =>
			new Promise<string>((resolve, reject) => {
				const controller = navigator.serviceWorker.controller;
				if (!controller) return reject(new Error('no controlling service worker'));
				const channel = new MessageChannel();
				channel.port1.onmessage = (event) => resolve((event.data as { version: string }).version);
				controller.postMessage({ type: 'GET_VERSION' }, [channel.port2]);
			})
	);
}

/** Submits a multipart form to the share target, as the OS share sheet does for an installed app. */
async function share(page: Page, fields: Record<string, string>, image?: [number, number, number]) {
	await page.evaluate(
		async ({ fields, image }) => {
			const form = document.createElement('form');
			form.method = 'POST';
			form.enctype = 'multipart/form-data';
			form.action = 'share-target';
			for (const [name, value] of Object.entries(fields)) {
				const input = document.createElement('input');
				input.name = name;
				input.value = value;
				form.append(input);
			}
			if (image) {
				const canvas = new OffscreenCanvas(32, 32);
				const context = canvas.getContext('2d')!;
				context.fillStyle = `rgb(${image.join(',')})`;
				context.fillRect(0, 0, 32, 32);
				const blob = await canvas.convertToBlob({ type: 'image/png' });
				const input = document.createElement('input');
				input.type = 'file';
				input.name = 'media';
				const transfer = new DataTransfer();
				transfer.items.add(new File([blob], 'shared.png', { type: 'image/png' }));
				input.files = transfer.files;
				form.append(input);
			}
			document.body.append(form);
			form.submit();
		},
		{ fields, image }
	);
}

test('the manifest is valid and Chromium considers the app installable', async ({ app, playwright }) => {
	// Chromium never offers to install from an incognito profile (Playwright's default contexts are), so this
	// test runs in a profile on disk, with the same launch options as every other test.
	const profile = await mkdtemp(join(tmpdir(), 'browserve-profile-'));
	const context = await playwright.chromium.launchPersistentContext(
		profile,
		test.info().project.use.launchOptions
	);
	const external: string[] = [];
	context.on('request', (request) => {
		if (!/^http:\/\/127\.0\.0\.1[:/]/.test(request.url())) external.push(request.url());
	});
	try {
		const page = context.pages()[0] ?? (await context.newPage());
		await page.goto(app.url);
		await controlled(page);
		const href = await page.locator('link[rel="manifest"]').getAttribute('href');
		const response = await page.request.get(new URL(href ?? '', page.url()).href);
		expect(response.headers()['content-type']).toBe('application/manifest+json');
		const manifest = (await response.json()) as { display: string; icons: { purpose: string }[] };
		expect(manifest.display).toBe('standalone');
		expect(manifest.icons.some((icon) => icon.purpose === 'maskable')).toBe(true);

		const cdp = await context.newCDPSession(page);
		const parsed = await cdp.send('Page.getAppManifest');
		expect(parsed.errors).toEqual([]);
		expect(parsed.url).toBe(`${app.url}manifest.webmanifest`);
		await expect
			.poll(async () => (await cdp.send('Page.getInstallabilityErrors')).installabilityErrors, {
				timeout: 30_000
			})
			.toEqual([]);
		// Every icon the manifest names is served as a PNG.
		for (const path of ['icons/icon-192.png', 'icons/icon-512.png', 'icons/maskable-512.png']) {
			const icon = await page.request.get(`${app.url}${path}`);
			expect(icon.headers()['content-type'], path).toBe('image/png');
		}
		expect(external, 'requests to hosts other than loopback').toEqual([]);
	} finally {
		await context.close();
		await rm(profile, { recursive: true, force: true });
	}
});

test('a new build brings the update prompt; Reload loads it and the stored model is still there', async ({
	page,
	app
}) => {
	// A deployment of its own (a copy of the build on its own origin), so changing it touches no other test.
	const dir = await mkdtemp(join(tmpdir(), 'browserve-deploy-'));
	await cp(BUILD_DIR, dir, { recursive: true });
	const deployment = await startAppServer({ buildDir: dir, hubDir: HUB_DIR, hubUrl: app.hubUrl });
	try {
		const at = { ...app, url: deployment.url };
		await page.goto(
			taskUrl(at, 'text-classification', { model: TEXT_MODEL, text: 'I love this', run: '1', device: 'wasm' })
		);
		await expect(page.getByTestId('label-scores').locator('li').first()).toHaveAttribute(
			'data-label',
			'POSITIVE'
		);
		await controlled(page);
		const before = await workerVersion(page);

		// Deploy "the next version": the same build with another version number in its service worker.
		const { version } = JSON.parse(await readFile(join(dir, '_app/version.json'), 'utf8')) as {
			version: string;
		};
		expect(before).toBe(version);
		const next = `${version}9`;
		const worker = join(dir, 'service-worker.js');
		await writeFile(worker, (await readFile(worker, 'utf8')).replaceAll(version, next));

		await page.evaluate(() => {
			(window as unknown as { beforeUpdate: boolean }).beforeUpdate = true;
		});
		await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.update());
		const prompt = page.getByTestId('update-prompt');
		await expect(prompt).toContainText('A new version is available', { timeout: 60_000 });
		// Nothing reloaded on its own, and the old worker still serves the page.
		expect(await page.evaluate(() => (window as unknown as { beforeUpdate?: boolean }).beforeUpdate)).toBe(
			true
		);
		expect(await workerVersion(page)).toBe(before);

		await Promise.all([page.waitForEvent('load'), page.getByTestId('update-reload').click()]);
		await controlled(page);
		expect(
			await page.evaluate(() => (window as unknown as { beforeUpdate?: boolean }).beforeUpdate)
		).toBeUndefined();
		expect(await workerVersion(page)).toBe(next);
		await expect(prompt).toHaveCount(0);
		// The model store was not touched by the update: the model is stored and runs again.
		await expect(page.getByTestId('model-preview')).toContainText('Stored on this device');
		await expect(page.getByTestId('label-scores').locator('li').first()).toHaveAttribute(
			'data-label',
			'POSITIVE'
		);
	} finally {
		await deployment.close();
		await rm(dir, { recursive: true, force: true });
	}
});

test('shared text opens text classification, or the text task used last', async ({ page, app }) => {
	await page.goto(app.url);
	await controlled(page);
	await share(page, { title: 'A page', text: 'I love this' });
	await page.waitForURL(/\/text-classification\?/);
	await expect(page.getByLabel('Text')).toHaveValue('I love this');
	await expect(page.getByTestId('result')).toHaveCount(0);

	// Running summarization makes it the text task used last.
	await page.goto(
		`${app.url}summarization?device=wasm&text=${encodeURIComponent('A long text to shorten.')}`
	);
	await page.getByTestId('run').click();
	await expect(page.getByTestId('result')).toBeVisible();
	await share(page, { text: 'Shared words', url: 'https://example.com/article' });
	await page.waitForURL(/\/summarization\?/);
	await expect(page.getByLabel('Text')).toHaveValue('Shared words\nhttps://example.com/article');
});

test('a shared image opens image classification with the image, ready to run', async ({ page, app }) => {
	await page.goto(app.url);
	await controlled(page);
	await share(page, { text: 'a caption' }, [230, 30, 20]);
	await page.waitForURL(/\/image-classification\?/);
	await expect(page.getByTestId('image-preview')).toBeVisible();
	const image = new URL(page.url()).searchParams.get('image') ?? '';
	expect(image.startsWith(`${app.url}share-target/files/`)).toBe(true);
	await page.getByLabel('Backend').selectOption('wasm');
	await page.getByTestId('run').click();
	await expect(page.getByTestId('label-scores').locator('li').first()).toHaveAttribute('data-label', 'red');
});

test('a shared file no task can open gets a clear message', async ({ page, app }) => {
	await page.goto(app.url);
	await controlled(page);
	await page.evaluate(() => {
		const form = document.createElement('form');
		form.method = 'POST';
		form.enctype = 'multipart/form-data';
		form.action = 'share-target';
		const input = document.createElement('input');
		input.type = 'file';
		input.name = 'media';
		const transfer = new DataTransfer();
		transfer.items.add(new File(['%PDF-1.4'], 'report.pdf', { type: 'application/pdf' }));
		input.files = transfer.files;
		form.append(input);
		document.body.append(form);
		form.submit();
	});
	await page.waitForURL(/\/share-target\?/);
	await expect(page.getByTestId('share-problem')).toContainText('“report.pdf” (application/pdf) is neither');
});

test('an image file the app is opened with goes to image classification (File Handling API)', async ({
	page,
	app
}) => {
	await page.goto(app.url);
	await controlled(page);
	// Headless Chromium cannot be launched with a file, so the launch queue is stood in for: it hands the
	// page a file handle the way Chromium does for an installed app chosen to open a PNG.
	await page.addInitScript(() => {
		if (!location.pathname.endsWith('/share-target')) return;
		const queue = {
			setConsumer(consumer: (params: { files: unknown[] }) => void) {
				void (async () => {
					const canvas = new OffscreenCanvas(32, 32);
					const context = canvas.getContext('2d')!;
					context.fillStyle = 'rgb(20, 40, 220)';
					context.fillRect(0, 0, 32, 32);
					const blob = await canvas.convertToBlob({ type: 'image/png' });
					const file = new File([blob], 'opened.png', { type: 'image/png' });
					consumer({ files: [{ kind: 'file', name: file.name, getFile: async () => file }] });
				})();
			}
		};
		Object.defineProperty(window, 'launchQueue', { value: queue });
	});
	await page.goto(`${app.url}share-target`);
	await page.waitForURL(/\/image-classification\?/);
	await expect(page.getByTestId('image-preview')).toBeVisible();
	await page.getByLabel('Backend').selectOption('wasm');
	await page.getByTestId('run').click();
	await expect(page.getByTestId('label-scores').locator('li').first()).toHaveAttribute('data-label', 'blue');
});

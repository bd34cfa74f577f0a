// The inference runtime end to end: the same result on WebGPU and WASM, fallback when WebGPU is missing,
// threads under cross-origin isolation, cancel at each stage, recovery from a crashed worker, transferred
// buffers, and a main thread without long tasks while a model loads and runs.

import { chromium, type Page } from '@playwright/test';
import { HubControl } from '../scripts/hub/control-client.ts';
import { CHROMIUM_ARGS } from '../scripts/chromium.ts';
import { startAppServer } from '../scripts/serve/app-server.ts';
import { BUILD_DIR, HUB_DIR } from '../scripts/serve/build.ts';
import { expect, taskUrl, test, type AppUnderTest } from './fixtures';

const MODEL = 'browserve/tiny-sentiment';
const WEIGHTS = 'onnx/model_quantized.onnx';

async function scores(page: Page): Promise<{ label: string; score: number }[]> {
	return JSON.parse((await page.getByTestId('result-json').textContent()) ?? '[]') as {
		label: string;
		score: number;
	}[];
}

function link(app: AppUnderTest, params: Record<string, string>): string {
	return taskUrl(app, 'text-classification', { model: MODEL, text: 'I love this', run: '1', ...params });
}

test('WebGPU and WASM give the same result within tolerance', async ({ page, app }) => {
	const results: Record<string, { label: string; score: number }[]> = {};
	for (const device of ['wasm', 'webgpu']) {
		await page.goto(link(app, { device, dtype: 'fp32' }));
		await expect(page.getByTestId('backend')).toHaveText(device);
		await expect(page.getByTestId('dtype')).toHaveText('fp32');
		results[device] = await scores(page);
	}
	expect(results.webgpu!.map((item) => item.label)).toEqual(results.wasm!.map((item) => item.label));
	results.webgpu!.forEach((item, index) =>
		expect(Math.abs(item.score - results.wasm![index]!.score)).toBeLessThan(1e-4)
	);
});

test('the page is cross-origin isolated and WASM gets every core', async ({ page, app }) => {
	await page.goto(link(app, { device: 'wasm' }));
	expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
	const cores = await page.evaluate(() => navigator.hardwareConcurrency);
	await expect(page.getByTestId('threads')).toHaveText(String(Math.min(cores, 8)));
	expect(cores).toBeGreaterThan(1);
});

test('the load time is split into download, session and warm-up', async ({ page, app }) => {
	await page.goto(link(app, { device: 'wasm' }));
	await expect(page.getByTestId('load-split')).toHaveText(/download \d.*, session \d.*, warm-up\s+\d/);
});

test('without WebGPU the page falls back to WASM and says why', async ({ app }) => {
	// A browser launched without --enable-unsafe-webgpu has navigator.gpu but no adapter here.
	const browser = await chromium.launch({
		executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
		args: [
			...CHROMIUM_ARGS.filter((arg) => arg !== '--enable-unsafe-webgpu'),
			'--proxy-server=http://127.0.0.1:9',
			'--proxy-bypass-list=<local>'
		]
	});
	try {
		const page = await browser.newPage();
		await page.goto(link(app, { device: 'webgpu' }));
		await expect(page.getByTestId('backend')).toHaveText('wasm');
		await expect(page.getByTestId('backend-notes')).toContainText('no WebGPU adapter');
		expect((await scores(page))[0]?.label).toBe('POSITIVE');
		await page.goto(`${app.url}status`);
		await expect(page.getByTestId('status-webgpu')).toHaveText(/not available/);
	} finally {
		await browser.close();
	}
});

test.describe('cancel and recovery', () => {
	let hub: HubControl;
	test.beforeEach(async ({ app }) => {
		hub = new HubControl(app.hubUrl);
		await hub.reset();
	});
	test.afterEach(async () => hub.reset());

	test('cancel during the download stops it; running again resumes and works', async ({ page, app }) => {
		await hub.setFaults([{ kind: 'delay', path: WEIGHTS, ms: 4000, times: 1 }]);
		await page.goto(link(app, { device: 'wasm' }));
		await expect(page.getByTestId('progress')).toContainText('Downloading');
		await page.getByRole('button', { name: 'Cancel' }).click();
		await expect(page.getByTestId('run-error')).toContainText('Cancelled');
		await expect(page.getByTestId('progress')).toHaveCount(0);
		await page.goto(`${app.url}status`);
		await expect(page.getByRole('heading', { name: 'Models in memory (0 of' })).toBeVisible();
		await expect(page.getByTestId('status-models')).toHaveCount(0);
		await page.goBack();
		await expect(page).toHaveURL(/\/text-classification\?/);
		await page.getByTestId('run').click();
		await expect(page.getByTestId('label-scores').locator('li').first()).toHaveAttribute(
			'data-label',
			'POSITIVE'
		);
	});

	test('cancel while the session is being created ends the load and the next run loads cleanly', async ({
		page,
		app,
		context
	}) => {
		// Hold back ONNX Runtime's wasm once, so the load phase lasts long enough to cancel in. Only once: the
		// held request belongs to the worker the cancel terminates, and Playwright does not finish a route
		// whose requester is gone, which stalled the next worker's request behind it (3 runs in 10).
		await context.route(
			(url) => url.pathname.endsWith('.wasm'),
			async (route) => {
				await new Promise((resolve) => setTimeout(resolve, 2500));
				await route.continue().catch(() => undefined);
			},
			{ times: 1 }
		);
		await page.goto(link(app, { device: 'wasm' }));
		await expect(page.getByTestId('progress')).toContainText('Loading');
		await page.getByRole('button', { name: 'Cancel' }).click();
		await expect(page.getByTestId('run-error')).toContainText('Cancelled');
		await page.getByRole('link', { name: 'Status' }).click();
		// Wait for the status page itself: asserting an absent table straight after the click passed on the task
		// page before the navigation happened, and the goBack below then left the app for about:blank.
		await expect(page.getByRole('heading', { name: 'Models in memory (0 of' })).toBeVisible();
		await expect(page.getByTestId('status-models')).toHaveCount(0);
		await page.goBack();
		await expect(page).toHaveURL(/\/text-classification\?/);
		await page.getByTestId('run').click();
		await expect(page.getByTestId('label-scores').locator('li').first()).toHaveAttribute(
			'data-label',
			'POSITIVE'
		);
	});

	test('a worker that crashes mid-request is reported, and the next run starts a fresh one', async ({
		page,
		app
	}) => {
		await hub.setFaults([{ kind: 'delay', path: WEIGHTS, ms: 3000, times: 1 }]);
		const modelWorker = page.waitForEvent('worker', {
			predicate: (worker) => worker.url().includes('inference.worker')
		});
		await page.goto(link(app, { device: 'wasm' }));
		await expect(page.getByTestId('progress')).toContainText('Downloading');
		// The second inference worker is the model's own (the first plans and minds the store).
		const workers = page.workers().filter((worker) => worker.url().includes('inference.worker'));
		await modelWorker;
		const target = workers.at(-1)!;
		await target.evaluate(() =>
			setTimeout(() => {
				throw new Error('injected crash');
			})
		);
		await expect(page.getByTestId('run-error')).toHaveAttribute('data-error-name', 'WorkerCrashedError');
		await expect(page.getByTestId('run-error')).toContainText('injected crash');
		await page.getByTestId('run').click();
		await expect(page.getByTestId('label-scores').locator('li').first()).toHaveAttribute(
			'data-label',
			'POSITIVE'
		);
	});
});

test('the status page shows loaded models with metrics, and buffers cross to the worker transferred', async ({
	page,
	app
}) => {
	await page.goto(link(app, { device: 'wasm' }));
	await expect(page.getByTestId('result')).toBeVisible();
	await page.getByLabel('Text').fill('I hate this');
	await page.getByTestId('run').click();
	await expect(page.getByTestId('label-scores').locator('li').first()).toHaveAttribute(
		'data-label',
		'NEGATIVE'
	);
	await page.getByRole('link', { name: 'Status' }).click();
	await page.getByRole('button', { name: 'Measure' }).click();
	await expect(page.getByTestId('status-channel')).toContainText('moved, not copied, bytes intact');
	const report = JSON.parse((await page.getByTestId('status-json').textContent()) ?? '{}') as {
		page: { crossOriginIsolated: boolean };
		models: { model: string; state: string; backend: string; runs: number; p50Ms: number; errors: number }[];
		channel: { senderDetached: boolean; bytesIntact: boolean; transferBytes: number };
	};
	expect(report.page.crossOriginIsolated).toBe(true);
	expect(report.models).toEqual([
		expect.objectContaining({ model: MODEL, state: 'ready', backend: 'wasm', runs: 2, errors: 0 })
	]);
	expect(report.models[0]!.p50Ms).toBeGreaterThan(0);
	expect(report.channel).toMatchObject({
		senderDetached: true,
		bytesIntact: true,
		transferBytes: 64 * 1024 * 1024
	});
});

test('no long task on the main thread while a model loads and runs', async ({ page, app }) => {
	await page.goto(`${app.url}text-classification?device=wasm&model=${MODEL}`);
	await page.getByLabel('Text').fill('I love this');
	await page.evaluate(() => {
		const found: number[] = [];
		(window as unknown as { longTasks: number[] }).longTasks = found;
		new PerformanceObserver((list) => {
			for (const entry of list.getEntries()) found.push(entry.duration);
		}).observe({ type: 'longtask' });
	});
	await page.getByTestId('run').click();
	await expect(page.getByTestId('result')).toBeVisible();
	// Let the observer deliver what it saw.
	await page.waitForTimeout(200);
	expect(await page.evaluate(() => (window as unknown as { longTasks: number[] }).longTasks)).toEqual([]);
});

test('on a static host that sends no COOP/COEP, the service worker isolates the page and threads work', async ({
	page,
	app
}) => {
	const plain = await startAppServer({
		buildDir: BUILD_DIR,
		hubDir: HUB_DIR,
		hubUrl: app.hubUrl,
		isolation: false
	});
	try {
		const first = await page.request.get(`${plain.url}text-classification`);
		expect(first.headers()['cross-origin-embedder-policy']).toBeUndefined();
		await page.goto(`${plain.url}text-classification?model=${MODEL}&text=I+love+this&device=wasm`);
		// The service worker takes over and the page reloads itself once, now served with the headers. That
		// reload can land in the middle of a check, which then has no page to run in: it counts as not yet.
		await expect
			.poll(() => page.evaluate(() => crossOriginIsolated).catch(() => false), { timeout: 30_000 })
			.toBe(true);
		await page.getByTestId('run').click();
		const cores = await page.evaluate(() => navigator.hardwareConcurrency);
		await expect(page.getByTestId('threads')).toHaveText(String(Math.min(cores, 8)));
		expect(await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL)).toContain(
			'/service-worker.js'
		);
	} finally {
		await plain.close();
	}
});

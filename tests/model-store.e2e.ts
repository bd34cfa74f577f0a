// The model store end to end, against the hub over HTTP with its request log and fault switch: each file is
// downloaded once, a stored model loads with no request and runs offline, dropped connections resume with
// Range, corrupted bytes are refused, a download that cannot fit stops before it starts, and two pages
// share one download.

import type { Page } from '@playwright/test';
import { HubControl } from '../scripts/hub/control-client.ts';
import type { RequestLogEntry } from '../scripts/hub/faults.ts';
import { expect, taskUrl, test, type AppUnderTest } from './fixtures';

const MODEL = 'browserve/tiny-sentiment';
const WEIGHTS = 'onnx/model_quantized.onnx';

/** File downloads in the log (resolve on the hub that is not a redirect, and the CDN), by path. */
function downloads(log: RequestLogEntry[]): Map<string, RequestLogEntry[]> {
	const byPath = new Map<string, RequestLogEntry[]>();
	for (const entry of log) {
		const match =
			/\/resolve\/[^/]+\/(.+?)(?:\?|$)/.exec(entry.path) ??
			/^\/repos\/[^/]+\/[^/]+\/[0-9a-f]{64}\/(.+?)(?:\?|$)/.exec(entry.path);
		// Redirects and CORS preflights carry no file bytes.
		if (!match?.[1] || entry.method !== 'GET' || entry.status === 302) continue;
		const path = decodeURIComponent(match[1]);
		byPath.set(path, [...(byPath.get(path) ?? []), entry]);
	}
	return byPath;
}

async function classify(page: Page, app: AppUnderTest, text: string, device = 'wasm'): Promise<void> {
	await page.goto(taskUrl(app, 'text-classification', { model: MODEL, text, run: '1', device }));
}

async function topLabel(page: Page): Promise<string | null> {
	return page.getByTestId('label-scores').locator('li').first().getAttribute('data-label');
}

test.describe('model store', () => {
	let hub: HubControl;
	test.beforeEach(async ({ app }) => {
		hub = new HubControl(app.hubUrl);
		await hub.reset();
	});
	test.afterEach(async () => {
		await hub.reset();
	});

	test('the first load downloads each file exactly once; a reload makes no hub request at all', async ({
		page,
		app
	}) => {
		await classify(page, app, 'I love this');
		await expect(page.getByTestId('label-scores').locator('li').first()).toHaveAttribute(
			'data-label',
			'POSITIVE'
		);
		const first = downloads(await hub.log());
		expect([...first.keys()].sort()).toEqual(
			['config.json', 'special_tokens_map.json', 'tokenizer.json', 'tokenizer_config.json', WEIGHTS].sort()
		);
		for (const [path, entries] of first) expect(entries.length, path).toBe(1);

		await hub.clearLog();
		await page.reload();
		await expect(page.getByTestId('label-scores').locator('li').first()).toHaveAttribute(
			'data-label',
			'POSITIVE'
		);
		expect(await hub.log()).toEqual([]);
	});

	test('offline, a stored model still loads and runs', async ({ page, app, context }) => {
		await classify(page, app, 'I love this');
		await expect(page.getByTestId('backend')).toHaveText('wasm');
		await hub.clearLog();
		await context.setOffline(true);
		// A different backend makes the worker build a new session, from the stored bytes only.
		await page.getByLabel('Backend').selectOption('webgpu');
		await page.getByLabel('Text').fill('I hate this, it is awful');
		await page.getByTestId('run').click();
		await expect(page.getByTestId('backend')).toHaveText('webgpu');
		expect(await topLabel(page)).toBe('NEGATIVE');
		await context.setOffline(false);
		expect(await hub.log()).toEqual([]);
	});

	test('a connection dropped in the middle of the weights resumes from the stored offset', async ({
		page,
		app
	}) => {
		const size = await weightsSize(app);
		const half = Math.floor(size / 2);
		await hub.setFaults([{ kind: 'drop', path: WEIGHTS, afterBytes: half, stallMs: 300, times: 1 }]);
		await classify(page, app, 'I love this');
		await expect(page.getByTestId('label-scores').locator('li').first()).toHaveAttribute(
			'data-label',
			'POSITIVE'
		);
		const weights = downloads(await hub.log()).get(WEIGHTS) ?? [];
		expect(weights.map((entry) => [entry.range, entry.status, entry.bytes])).toEqual([
			[null, 200, half],
			[`bytes=${half}-`, 206, size - half]
		]);
	});

	test('a download that keeps failing stops with a message and later resumes where it stopped', async ({
		page,
		app
	}) => {
		// Every response for the weights breaks after 100 bytes, retries included.
		await hub.setFaults([{ kind: 'drop', path: WEIGHTS, afterBytes: 100, stallMs: 300, times: -1 }]);
		await classify(page, app, 'I love this');
		await expect(page.getByTestId('run-error')).toHaveAttribute('data-error-name', 'DownloadError');
		await expect(page.getByTestId('run-error')).toContainText(WEIGHTS);
		const attempts = downloads(await hub.log()).get(WEIGHTS) ?? [];
		expect(attempts.length).toBeGreaterThan(1);
		// Each retry asked only for what was not stored yet.
		let offset = 0;
		for (const attempt of attempts) {
			expect(attempt.range).toBe(offset === 0 ? null : `bytes=${offset}-`);
			offset += attempt.bytes;
		}

		await hub.setFaults([]);
		await hub.clearLog();
		await page.getByTestId('run').click();
		await expect(page.getByTestId('label-scores').locator('li').first()).toHaveAttribute(
			'data-label',
			'POSITIVE'
		);
		const resumed = downloads(await hub.log());
		// Only the rest of the weights was fetched; the other files were complete.
		expect([...resumed.keys()]).toEqual([WEIGHTS]);
		expect(resumed.get(WEIGHTS)?.map((entry) => [entry.range, entry.status])).toEqual([
			[`bytes=${offset}-`, 206]
		]);
	});

	test('a corrupted byte is refused and downloaded again; corrupted twice, the load stops and says why', async ({
		page,
		app
	}) => {
		await hub.setFaults([{ kind: 'corrupt', path: WEIGHTS, offset: 100, times: 1 }]);
		await classify(page, app, 'I love this');
		await expect(page.getByTestId('label-scores').locator('li').first()).toHaveAttribute(
			'data-label',
			'POSITIVE'
		);
		expect(downloads(await hub.log()).get(WEIGHTS)?.length).toBe(2);

		const second = await page.context().browser()!.newContext();
		const fresh = await second.newPage();
		await hub.reset();
		await hub.setFaults([{ kind: 'corrupt', path: WEIGHTS, offset: 100, times: -1 }]);
		await classify(fresh, app, 'I love this');
		const error = fresh.getByTestId('run-error');
		await expect(error).toHaveAttribute('data-error-name', 'IntegrityError');
		await expect(error).toContainText(WEIGHTS);
		await expect(fresh.getByTestId('result')).toHaveCount(0);
		await second.close();
	});

	test('a download larger than the free storage stops before it starts and says how much is needed', async ({
		page,
		app
	}) => {
		await page.addInitScript(() => {
			Object.defineProperty(navigator.storage, 'estimate', {
				value: async () => ({ usage: 900, quota: 1000 })
			});
		});
		await classify(page, app, 'I love this');
		const error = page.getByTestId('run-error');
		await expect(error).toHaveAttribute('data-error-name', 'StorageFullError');
		await expect(error).toContainText('only 100 B is free');
		expect(downloads(await hub.log()).size).toBe(0);
	});

	test('two pages asking for the same model download it once', async ({ app, context }) => {
		await hub.setFaults([{ kind: 'delay', path: WEIGHTS, ms: 800, times: 1 }]);
		const [one, two] = [await context.newPage(), await context.newPage()];
		await Promise.all([classify(one, app, 'I love this'), classify(two, app, 'I hate this')]);
		await expect(one.getByTestId('label-scores').locator('li').first()).toHaveAttribute(
			'data-label',
			'POSITIVE'
		);
		await expect(two.getByTestId('label-scores').locator('li').first()).toHaveAttribute(
			'data-label',
			'NEGATIVE'
		);
		for (const [path, entries] of downloads(await hub.log())) expect(entries.length, path).toBe(1);
	});
});

async function weightsSize(app: AppUnderTest): Promise<number> {
	const tree = (await (await fetch(`${app.hubUrl}api/models/${MODEL}/tree/main?recursive=true`)).json()) as {
		path: string;
		size: number;
	}[];
	const entry = tree.find((item) => item.path === WEIGHTS);
	if (!entry) throw new Error(`${WEIGHTS} is not in the tree`);
	return entry.size;
}

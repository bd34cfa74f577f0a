// /bench end to end: the quick standard set runs in the app's workers against the test hub, renders a row, a
// bar and a figure per measurement plus what they mean, and its share link reopens exactly that result,
// read-only. Cancel stops a run; a damaged link is said plainly. No assertion is about speed.

import { expect, test } from './fixtures';

const QUICK_ROWS = [
	'text-wasm-1',
	'text-wasm-all',
	'text-webgpu',
	'vad-wasm-1',
	'vad-wasm-all',
	'store-write',
	'store-read'
];

interface ReportJson {
	quick: boolean;
	models: { text: string; vad: string };
	device: { webgpu: { software: boolean } | null; cores: number };
	measurements: { id: string; median: number; p90: number; runs: number; unit: string; note?: string }[];
}

test('the quick set runs in the app’s workers, and its share link reopens the same result', async ({
	page,
	app,
	context
}) => {
	test.setTimeout(240_000);
	await page.goto(`${app.url}bench`);
	await page.getByTestId('bench-quick').click();
	// Progress is shown while it runs (the set takes a few seconds at least).
	await expect(page.getByTestId('bench-progress')).toContainText(/Step \d of \d|Probing/);
	await expect(page.getByTestId('bench-results')).toBeVisible({ timeout: 200_000 });
	await expect(page.getByTestId('bench-error')).toHaveCount(0);

	const rows = page.locator('[data-testid=bench-table] tbody tr');
	// The test browser has a software WebGPU adapter (--enable-unsafe-webgpu), so the WebGPU row is there too.
	expect(await rows.evaluateAll((trs) => trs.map((tr) => (tr as HTMLElement).dataset.id))).toEqual(
		QUICK_ROWS
	);
	const report = JSON.parse((await page.getByTestId('bench-json').textContent()) ?? '') as ReportJson;
	expect(report.quick).toBe(true);
	// The configured hub's bundled models: the tiny text classifier and the real Silero VAD.
	expect(report.models.text).toMatch(/^browserve\/tiny-sentiment@[0-9a-f]{12}$/);
	expect(report.models.vad).toMatch(/^snakers4\/silero-vad@[0-9a-f]{12}$/);
	expect(report.measurements.map((m) => m.id)).toEqual(QUICK_ROWS);
	for (const m of report.measurements) {
		expect(Number.isFinite(m.median) && m.median > 0, m.id).toBe(true);
		// p90 is the slow end: a longer time, or a lower rate.
		if (m.unit === 'ms') expect(m.p90, m.id).toBeGreaterThanOrEqual(m.median);
		else expect(m.p90, m.id).toBeLessThanOrEqual(m.median);
		expect(m.runs, m.id).toBe(m.id.startsWith('text') ? 5 : 2);
	}
	expect(report.device.webgpu?.software).toBe(true);
	expect(report.measurements.find((m) => m.id === 'text-webgpu')?.note).toBe(
		'software adapter, not a speed figure'
	);
	// One bar per measurement, and the meanings, the transcription figure marked as an estimate.
	await expect(page.locator('[data-testid=bench-chart] g[data-id]')).toHaveCount(QUICK_ROWS.length);
	await expect(page.locator('[data-testid=bench-meanings] li[data-id=transcription]')).toContainText(
		/Estimate:.*10 s transcription.*about [\d.]+ s/
	);
	await expect(page.locator('[data-testid=bench-meanings] li[data-id=webgpu]')).toContainText(
		'software adapter'
	);
	const shown = await page.getByTestId('bench-share-url').inputValue();
	expect(shown).toMatch(/\/bench#r=[A-Za-z0-9_-]+$/);
	const table = await page.getByTestId('bench-table').innerText();
	const json = await page.getByTestId('bench-json').textContent();

	const opened = await context.newPage();
	await opened.goto(shown);
	await expect(opened.getByTestId('bench-shared')).toBeVisible();
	await expect(opened.getByTestId('bench-table')).toBeVisible();
	expect(await opened.getByTestId('bench-table').innerText()).toBe(table);
	expect(await opened.getByTestId('bench-json').textContent()).toBe(json);
	// Read-only: no run buttons until the reader chooses to benchmark their own device.
	await expect(opened.getByTestId('bench-quick')).toHaveCount(0);
	await opened.getByRole('button', { name: 'Benchmark this device instead' }).click();
	await expect(opened.getByTestId('bench-quick')).toBeVisible();
	await expect(opened.getByTestId('bench-results')).toHaveCount(0);
	await opened.close();

	// Nothing the bench loaded stays loaded in the app's pool (the same page: the pool lives in it).
	await page.getByRole('link', { name: 'Status' }).click();
	await expect(page.getByText('No model is loaded.')).toBeVisible();
});

test('cancel stops a run and unloads what it loaded', async ({ page, app }) => {
	await page.goto(`${app.url}bench`);
	await page.getByRole('button', { name: 'Run the benchmark' }).click();
	await expect(page.getByTestId('bench-progress')).toContainText(/Step \d of \d/);
	await page.getByTestId('bench-cancel').click();
	await expect(page.getByTestId('bench-cancelled')).toBeVisible();
	await expect(page.getByTestId('bench-results')).toHaveCount(0);
	await page.getByRole('link', { name: 'Status' }).click();
	await expect(page.getByText('No model is loaded.')).toBeVisible();
});

test('a damaged share link says so instead of showing nothing', async ({ page, app }) => {
	await page.goto(`${app.url}bench#r=not-a-result`);
	await expect(page.getByTestId('bench-error')).toContainText('This benchmark link is damaged');
	await expect(page.getByTestId('bench-results')).toHaveCount(0);
});

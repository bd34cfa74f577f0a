// Depth estimation end to end: a built-in sample named in a share link and an uploaded PNG (encoded here) run
// through the generated tiny-depth model in the worker, whose depth is brightness; the drawn map and the
// result JSON must both be deeper on the image's bright side. Unknown samples are refused by name.

import type { Page } from '@playwright/test';
import { expect, taskUrl, test } from './fixtures';
import { canvasPixels, resultJson, rgbPng, type Rgb } from './images';

const MODEL = 'browserve/tiny-depth';

/** A PNG whose left half is one colour and right half another. */
function halvesPng(left: Rgb, right: Rgb, width = 48, height = 32): Buffer {
	return rgbPng(width, height, (x) => (x < width / 2 ? left : right));
}

interface Halves {
	left: number;
	right: number;
}

/** Means of the outer quarters of a map (the middle is blurred by resizing), `at(i)` its value at i. */
function halves(length: number, width: number, at: (i: number) => number): Halves {
	const side = (keep: (x: number) => boolean) => {
		let sum = 0;
		let count = 0;
		for (let i = 0; i < length; i++) {
			if (!keep((i % width) / width)) continue;
			sum += at(i);
			count++;
		}
		return sum / count;
	};
	return { left: side((x) => x < 0.25), right: side((x) => x >= 0.75) };
}

/** Mean depth of the outer quarters of the result JSON's map. */
async function jsonHalves(page: Page): Promise<Halves> {
	const out = await resultJson<{ mapWidth: number; depth: number[] }>(page);
	return halves(out.depth.length, out.mapWidth, (i) => out.depth[i] ?? 0);
}

/** Mean brightness (R + G + B) of the outer quarters of the drawn depth map. */
async function canvasHalves(page: Page): Promise<Halves> {
	const { width, height, data } = await canvasPixels(page, 'depth-map');
	return halves(
		width * height,
		width,
		(i) => (data[4 * i] ?? 0) + (data[4 * i + 1] ?? 0) + (data[4 * i + 2] ?? 0)
	);
}

test('a share link naming the ramp sample draws a map dark on the left, bright on the right', async ({
	page,
	app
}) => {
	await page.goto(
		taskUrl(app, 'depth-estimation', { model: MODEL, sample: 'left-right', run: '1', device: 'wasm' })
	);
	await expect(page.getByTestId('depth-map')).toBeVisible();
	await expect(page.getByTestId('image-preview')).toBeVisible();
	await expect(page.getByTestId('image-local-note')).toHaveCount(0);
	const json = await jsonHalves(page);
	expect(json.right).toBeGreaterThan(json.left + 100);
	const drawn = await canvasHalves(page);
	expect(drawn.right).toBeGreaterThan(drawn.left + 200);
	await expect(page.getByTestId('backend')).toHaveText('wasm');
});

test('an uploaded PNG is deeper on its bright half, whichever side that is', async ({ page, app }) => {
	await page.goto(`${app.url}depth-estimation?device=wasm&model=${MODEL}`);
	await page.getByTestId('image-file').setInputFiles({
		name: 'left-dark.png',
		mimeType: 'image/png',
		buffer: halvesPng([10, 10, 10], [240, 240, 240])
	});
	await expect(page.getByTestId('image-preview')).toBeVisible();
	await page.getByTestId('run').click();
	await expect(page.getByTestId('depth-map')).toBeVisible();
	const dark = await jsonHalves(page);
	expect(dark.right).toBeGreaterThan(dark.left + 100);
	expect(JSON.parse((await page.getByTestId('result-json').textContent()) ?? '{}')).toMatchObject({
		width: 48,
		height: 32,
		mapWidth: 48,
		mapHeight: 32
	});

	await page.getByTestId('image-file').setInputFiles({
		name: 'left-bright.png',
		mimeType: 'image/png',
		buffer: halvesPng([250, 200, 150], [20, 30, 60])
	});
	await page.getByTestId('run').click();
	await expect(async () => {
		const bright = await jsonHalves(page);
		expect(bright.left).toBeGreaterThan(bright.right + 100);
	}).toPass();
	const drawn = await canvasHalves(page);
	expect(drawn.left).toBeGreaterThan(drawn.right + 200);
});

test('a link naming an unknown sample is refused by name', async ({ page, app }) => {
	await page.goto(taskUrl(app, 'depth-estimation', { model: MODEL, sample: 'purple', run: '1' }));
	await expect(page.getByTestId('link-issues').locator('[data-param="sample"]')).toContainText(
		'sample must be one of left-right, top-bottom, spot'
	);
	await expect(page.getByTestId('result-json')).toHaveCount(0);
});

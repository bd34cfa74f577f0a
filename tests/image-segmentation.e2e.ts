// Image segmentation, background removal and image-to-image end to end: share links naming the built-in shapes
// sample (and one uploaded PNG, encoded here) run through the generated tiny-segformer, tiny-matting and
// tiny-upscaler in the worker. Each result is checked where a person sees it (canvas pixels, legend, toggles
// and the comparison slider used from the keyboard), in the downloaded PNG, and in the result JSON, which lists
// labels, scores and sizes but never the pixels themselves.

import { readFile } from 'node:fs/promises';
import type { Page } from '@playwright/test';
import { expect, taskUrl, test } from './fixtures';
import { canvasPixels, pixelAt, resultJson, rgbPng, type Pixels, type Rgb } from './images';

const RED: Rgb = [220, 40, 40];
const BLUE: Rgb = [40, 70, 220];
const WHITE: Rgb = [255, 255, 255];
// Where the shapes sample (48×32) is red, blue and white.
const IN_RED = { x: 10, y: 15 };
const IN_BLUE = { x: 34, y: 16 };
const IN_WHITE = { x: 1, y: 1 };

/** Clicks the result's Download PNG, checks the file is an RGBA PNG, and decodes it in the page. */
async function downloadedPng(page: Page, filename: string): Promise<Pixels> {
	const [download] = await Promise.all([
		page.waitForEvent('download'),
		page.getByTestId('result').getByTestId('download-png').click()
	]);
	expect(download.suggestedFilename()).toBe(filename);
	const bytes = await readFile(await download.path());
	expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
	expect(bytes[25], 'PNG colour type 6: RGBA').toBe(6);
	return page.evaluate(async (base64) => {
		const binary = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
		const bitmap = await createImageBitmap(new Blob([binary], { type: 'image/png' }), {
			premultiplyAlpha: 'none',
			colorSpaceConversion: 'none'
		});
		const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
		const context = canvas.getContext('2d')!;
		context.drawImage(bitmap, 0, 0);
		const { data } = context.getImageData(0, 0, bitmap.width, bitmap.height);
		return { width: bitmap.width, height: bitmap.height, data: Array.from(data) };
	}, bytes.toString('base64'));
}

test('segmentation colours each segment over the image, with a legend whose toggles work from the keyboard', async ({
	page,
	app
}) => {
	await page.goto(
		taskUrl(app, 'image-segmentation', {
			model: 'browserve/tiny-segformer',
			sample: 'shapes',
			run: '1',
			device: 'wasm'
		})
	);
	const legend = page.getByTestId('segment-legend');
	await expect(legend.getByTestId('segment')).toHaveCount(3);
	await expect(legend.getByTestId('segment')).toHaveText([
		/background\s+62\.7% \(963 px\)/,
		/red\s+20\.8% \(320 px\)/,
		/blue\s+16\.5% \(253 px\)/
	]);
	await expect(page.getByTestId('backend')).toHaveText('wasm');

	// The JSON names the segments and their sizes; the masks and image are binary, summarised by kind and size.
	expect(await resultJson(page)).toEqual({
		width: 48,
		height: 32,
		segments: [
			{ label: 'background', score: null, pixels: 963 },
			{ label: 'red', score: null, pixels: 320 },
			{ label: 'blue', score: null, pixels: 253 }
		],
		image: `ArrayBuffer (${48 * 32 * 4} bytes)`,
		masks: `ArrayBuffer (${48 * 32 * 3} bytes)`
	});

	const overlay = 'segmentation-overlay';
	const shown = await canvasPixels(page, overlay);
	expect([shown.width, shown.height]).toEqual([48, 32]);
	const tintedRed = pixelAt(shown, IN_RED.x, IN_RED.y);
	const tintedBlue = pixelAt(shown, IN_BLUE.x, IN_BLUE.y);
	expect(tintedRed).not.toEqual([...RED, 255]);
	expect(tintedBlue).not.toEqual([...BLUE, 255]);
	expect(pixelAt(shown, IN_WHITE.x, IN_WHITE.y)).not.toEqual([...WHITE, 255]);

	// Space on the focused checkbox hides the red segment: its pixels show the image again, the others stay.
	const red = legend.getByRole('checkbox', { name: /red/ });
	await red.focus();
	await page.keyboard.press('Space');
	await expect(red).not.toBeChecked();
	await expect(page.getByTestId(overlay)).toHaveAttribute('aria-label', /with 2 of 3 segments/);
	const hidden = await canvasPixels(page, overlay);
	expect(pixelAt(hidden, IN_RED.x, IN_RED.y)).toEqual([...RED, 255]);
	expect(pixelAt(hidden, IN_BLUE.x, IN_BLUE.y)).toEqual(tintedBlue);

	// Tab moves on to the next segment's toggle, and Space there hides blue too.
	await page.keyboard.press('Tab');
	const blue = legend.getByRole('checkbox', { name: /blue/ });
	await expect(blue).toBeFocused();
	await page.keyboard.press('Space');
	await expect(blue).not.toBeChecked();
	await expect(async () => {
		const both = await canvasPixels(page, overlay);
		expect(pixelAt(both, IN_BLUE.x, IN_BLUE.y)).toEqual([...BLUE, 255]);
	}).toPass();

	await page.getByRole('button', { name: 'Show all' }).click();
	await expect(legend.getByRole('checkbox', { checked: true })).toHaveCount(3);
	await expect(async () => {
		expect(pixelAt(await canvasPixels(page, overlay), IN_RED.x, IN_RED.y)).toEqual(tintedRed);
	}).toPass();

	const png = await downloadedPng(page, 'segmentation.png');
	expect([png.width, png.height]).toEqual([48, 32]);
	expect(pixelAt(png, IN_RED.x, IN_RED.y)).toEqual(tintedRed);
});

test('background removal shows the shapes on a checkerboard and downloads a PNG with transparency', async ({
	page,
	app
}) => {
	await page.goto(
		taskUrl(app, 'background-removal', {
			model: 'browserve/tiny-matting',
			sample: 'shapes',
			run: '1',
			device: 'wasm'
		})
	);
	await expect(page.getByTestId('cutout')).toBeVisible();
	await expect(page.getByTestId('cutout-summary')).toContainText('Kept 37.3% of the image, removed 62.7%');
	expect(await resultJson(page)).toEqual({
		width: 48,
		height: 32,
		opaque: 573,
		transparent: 963,
		rgba: `ArrayBuffer (${48 * 32 * 4} bytes)`
	});
	await expect(page.getByTestId('cutout')).toHaveCSS('background-image', /conic-gradient/);

	const drawn = await canvasPixels(page, 'cutout');
	expect([drawn.width, drawn.height]).toEqual([48, 32]);
	expect(pixelAt(drawn, IN_RED.x, IN_RED.y)).toEqual([...RED, 255]);
	expect(pixelAt(drawn, IN_BLUE.x, IN_BLUE.y)).toEqual([...BLUE, 255]);
	expect(pixelAt(drawn, IN_WHITE.x, IN_WHITE.y)[3]).toBe(0);

	const png = await downloadedPng(page, 'background-removed.png');
	expect([png.width, png.height]).toEqual([48, 32]);
	const alpha = png.data.filter((_, i) => i % 4 === 3);
	expect(alpha.filter((a) => a === 255)).toHaveLength(573);
	expect(alpha.filter((a) => a === 0)).toHaveLength(963);
	expect(pixelAt(png, IN_RED.x, IN_RED.y)).toEqual([...RED, 255]);
});

test('background removal of an uploaded red square on white keeps exactly the square', async ({
	page,
	app
}) => {
	await page.goto(`${app.url}background-removal?device=wasm&model=browserve/tiny-matting`);
	const square = (x: number, y: number): Rgb =>
		x >= 10 && x < 30 && y >= 5 && y < 25 ? [230, 20, 20] : WHITE;
	await page.getByTestId('image-file').setInputFiles({
		name: 'square.png',
		mimeType: 'image/png',
		buffer: rgbPng(40, 30, square)
	});
	await expect(page.getByTestId('image-preview')).toBeVisible();
	await page.getByTestId('run').click();
	await expect(page.getByTestId('cutout')).toBeVisible();
	expect(await resultJson(page)).toEqual({
		width: 40,
		height: 30,
		opaque: 400,
		transparent: 800,
		rgba: `ArrayBuffer (${40 * 30 * 4} bytes)`
	});
	const drawn = await canvasPixels(page, 'cutout');
	for (let y = 0; y < 30; y++) {
		for (let x = 0; x < 40; x++) {
			const inside = square(x, y) !== WHITE;
			expect(pixelAt(drawn, x, y), `(${x}, ${y})`).toEqual(inside ? [230, 20, 20, 255] : [0, 0, 0, 0]);
		}
	}
});

test('image-to-image upscales 2× with a keyboard-operable before/after slider and a PNG download', async ({
	page,
	app
}) => {
	await page.goto(
		taskUrl(app, 'image-to-image', {
			model: 'browserve/tiny-upscaler',
			sample: 'shapes',
			run: '1',
			device: 'wasm'
		})
	);
	await expect(page.getByTestId('compare-sizes')).toHaveText('48×32 → 96×64 (2×)');
	expect(await resultJson(page)).toEqual({
		width: 48,
		height: 32,
		outputWidth: 96,
		outputHeight: 64,
		input: `ArrayBuffer (${48 * 32 * 4} bytes)`,
		rgba: `ArrayBuffer (${96 * 64 * 4} bytes)`
	});

	const before = await canvasPixels(page, 'before-image');
	const after = await canvasPixels(page, 'after-image');
	expect([before.width, before.height, after.width, after.height]).toEqual([48, 32, 96, 64]);
	for (let y = 0; y < 64; y++) {
		for (let x = 0; x < 96; x++) {
			expect(pixelAt(after, x, y), `(${x}, ${y})`).toEqual(pixelAt(before, x >> 1, y >> 1));
		}
	}

	// The slider moves the divider with the keyboard: End shows only the input, Home only the output.
	const slider = page.getByTestId('compare-slider');
	await expect(slider).toHaveValue('50');
	await slider.focus();
	await page.keyboard.press('End');
	await expect(slider).toHaveValue('100');
	await expect(page.getByTestId('after-image')).toHaveCSS('clip-path', 'inset(0px 0px 0px 100%)');
	await page.keyboard.press('Home');
	await page.keyboard.press('ArrowRight');
	await expect(slider).toHaveValue('1');
	await expect(slider).toHaveAttribute('aria-valuetext', '1% input, 99% output');
	await expect(page.getByTestId('after-image')).toHaveCSS('clip-path', 'inset(0px 0px 0px 1%)');

	const png = await downloadedPng(page, 'image-to-image.png');
	expect([png.width, png.height]).toEqual([96, 64]);
	expect(png.data).toEqual(after.data);
});

test('a link naming an unknown sample is refused by name', async ({ page, app }) => {
	await page.goto(
		taskUrl(app, 'image-to-image', { model: 'browserve/tiny-upscaler', sample: 'purple', run: '1' })
	);
	await expect(page.getByTestId('link-issues').locator('[data-param="sample"]')).toContainText(
		'sample must be one of shapes, stripes.'
	);
	await expect(page.getByTestId('result-json')).toHaveCount(0);
});

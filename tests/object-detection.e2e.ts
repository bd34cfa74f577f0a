// Object detection and zero-shot object detection end to end: share links naming a built-in sample, and an
// uploaded PNG (encoded here), run through the generated tiny-detr and tiny-owlvit in the worker, which box
// solid red, green and blue rectangles. The drawn boxes, the table and the result JSON must agree with the
// rectangles, and the result's slider must hide low-scoring boxes without running again.

import type { Page } from '@playwright/test';
import { expect, taskUrl, test } from './fixtures';
import { resultJson as readResultJson, rgbPng, type Rgb } from './images';

const DETR = 'browserve/tiny-detr';
const OWLVIT = 'browserve/tiny-owlvit';

interface Box {
	xmin: number;
	ymin: number;
	xmax: number;
	ymax: number;
}
interface ResultJson {
	width: number;
	height: number;
	threshold: number;
	detections: { label: string; score: number; box: Box }[];
	rgba: unknown;
}

// The built-in `shapes` sample's rectangles (96×64).
const RED_BOX: Box = { xmin: 8, ymin: 8, xmax: 40, ymax: 40 };
const GREEN_BOX: Box = { xmin: 56, ymin: 8, xmax: 88, ymax: 32 };
const BLUE_BOX: Box = { xmin: 52, ymin: 40, xmax: 84, ymax: 56 };

/** A PNG of one rectangle on white. */
function rectanglePng(width: number, height: number, rgb: Rgb, box: Box): Buffer {
	const inside = (x: number, y: number) => x >= box.xmin && x < box.xmax && y >= box.ymin && y < box.ymax;
	return rgbPng(width, height, (x, y) => (inside(x, y) ? rgb : [255, 255, 255]));
}

const resultJson = (page: Page) => readResultJson<ResultJson>(page);

const boxes = (page: Page) => page.getByTestId('detection-box');
const rows = (page: Page) => page.getByTestId('detection-row');

test('a share link boxes the three rectangles, and the slider hides the weaker ones', async ({
	page,
	app
}) => {
	await page.goto(
		taskUrl(app, 'object-detection', {
			model: DETR,
			sample: 'shapes',
			threshold: '0.5',
			run: '1',
			device: 'wasm'
		})
	);
	await expect(boxes(page)).toHaveCount(3);
	await expect(rows(page)).toHaveText([/^red\s*95\.2%\s*\(8, 8\) to \(40, 40\), 32×32$/, /^green/, /^blue/]);
	await expect(page.getByTestId('backend')).toHaveText('wasm');

	const json = await resultJson(page);
	expect([json.width, json.height, json.threshold]).toEqual([96, 64, 0.5]);
	expect(json.rgba).toBe(`ArrayBuffer (${96 * 64 * 4} bytes)`);
	expect(json.detections.map((d) => [d.label, d.box])).toEqual([
		['red', RED_BOX],
		['green', GREEN_BOX],
		['blue', BLUE_BOX]
	]);
	expect(json.detections.map((d) => Number(d.score.toFixed(2)))).toEqual([0.95, 0.82, 0.62]);

	// The red box sits over the red rectangle: 8/96 of the image from the left, a third of it wide.
	const stage = await page.getByTestId('detection-overlay').boundingBox();
	const red = await boxes(page).and(page.locator('[data-label="red"]')).boundingBox();
	if (!stage || !red) throw new Error('the overlay or the red box is not laid out');
	expect((red.x - stage.x) / stage.width).toBeCloseTo(8 / 96, 2);
	expect(red.width / stage.width).toBeCloseTo(32 / 96, 2);

	// Moving the slider filters what is drawn and listed, runs nothing, and is what Share would carry.
	await page.getByTestId('detection-threshold').fill('0.7');
	await expect(boxes(page)).toHaveCount(2);
	await page.getByTestId('detection-threshold').fill('0.9');
	await expect(boxes(page)).toHaveCount(1);
	await expect(rows(page)).toHaveText([/^red/]);
	await expect(page.getByTestId('detection-summary')).toContainText('1 of 3 boxes score at least 90.0%');
	await expect(page.locator('#setting-threshold')).toHaveValue('0.9');
	expect((await resultJson(page)).detections).toHaveLength(3);

	// The keyboard moves it too.
	await page.getByTestId('detection-threshold').focus();
	for (let i = 0; i < 40; i++) await page.keyboard.press('ArrowLeft');
	await expect(boxes(page)).toHaveCount(3);
});

test('an uploaded PNG with a red square on the right gets one red box around it', async ({ page, app }) => {
	const square: Box = { xmin: 70, ymin: 20, xmax: 110, ymax: 60 };
	await page.goto(`${app.url}object-detection?device=wasm&model=${DETR}`);
	await page.getByTestId('image-file').setInputFiles({
		name: 'red-right.png',
		mimeType: 'image/png',
		buffer: rectanglePng(120, 80, [220, 20, 30], square)
	});
	await expect(page.getByTestId('image-preview')).toBeVisible();
	await page.getByTestId('run').click();
	await expect(boxes(page)).toHaveCount(1);
	await expect(boxes(page)).toHaveAttribute('data-label', 'red');
	const json = await resultJson(page);
	expect([json.width, json.height, json.threshold]).toEqual([120, 80, 0.9]);
	expect(json.detections.map((d) => [d.label, d.box])).toEqual([['red', square]]);
});

test('zero-shot: the typed labels decide which rectangles are boxed', async ({ page, app }) => {
	await page.goto(
		taskUrl(app, 'zero-shot-object-detection', {
			model: OWLVIT,
			sample: 'shapes',
			labels: 'red square,bluish thing,cat',
			run: '1',
			device: 'wasm'
		})
	);
	await expect(boxes(page)).toHaveCount(2);
	await expect(rows(page)).toHaveText([/^red square\s*98\.2%/, /^bluish thing\s*(49|50)\.\d%/]);
	const json = await resultJson(page);
	expect(json.threshold).toBe(0.1);
	expect(json.detections.map((d) => [d.label, d.box])).toEqual([
		['red square', RED_BOX],
		['bluish thing', BLUE_BOX]
	]);
	// Within 0.01: the automatic backend may pick the 8-bit weights.
	expect(json.detections[0]!.score).toBeCloseTo(0.982, 2);
	expect(json.detections[1]!.score).toBeCloseTo(0.5, 1);

	await page.getByTestId('detection-threshold').fill('0.6');
	await expect(boxes(page)).toHaveCount(1);
	await expect(boxes(page)).toHaveAttribute('data-label', 'red square');

	// Another label, typed as a chip, finds the green rectangle instead.
	await page.getByRole('button', { name: 'Remove label red square' }).click();
	await page.locator('#task-labels').fill('emerald');
	await page.locator('#task-labels').press('Enter');
	await page.getByTestId('run').click();
	await expect(rows(page).first()).toHaveText(/^emerald/);
	expect((await resultJson(page)).detections.find((d) => d.label === 'emerald')?.box).toEqual(GREEN_BOX);
});

test('a link with a threshold outside 0 to 1 is refused by name', async ({ page, app }) => {
	await page.goto(
		taskUrl(app, 'object-detection', { model: DETR, sample: 'shapes', threshold: '2', run: '1' })
	);
	await expect(page.getByTestId('link-issues').locator('[data-param="threshold"]')).toContainText(
		'threshold must be a number from 0 to 1'
	);
	await expect(page.getByTestId('result-json')).toHaveCount(0);
});

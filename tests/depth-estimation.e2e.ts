// Depth estimation end to end: a built-in sample named in a share link and an uploaded PNG (encoded here) run
// through the generated tiny-depth model in the worker, whose depth is brightness; the drawn map and the
// result JSON must both be deeper on the image's bright side. Unknown samples are refused by name.

import { deflateSync } from 'node:zlib';
import type { Page } from '@playwright/test';
import { expect, taskUrl, test } from './fixtures';

const MODEL = 'browserve/tiny-depth';

type Rgb = [number, number, number];

function crc32(bytes: Buffer): number {
	let crc = ~0;
	for (const byte of bytes) {
		crc ^= byte;
		for (let bit = 0; bit < 8; bit++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
	}
	return ~crc >>> 0;
}

function pngChunk(type: string, data: Buffer): Buffer {
	const length = Buffer.alloc(4);
	length.writeUInt32BE(data.length);
	const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
	const crc = Buffer.alloc(4);
	crc.writeUInt32BE(crc32(body));
	return Buffer.concat([length, body, crc]);
}

/** An RGB PNG whose left half is one colour and right half another, encoded here so no image files are needed. */
function halvesPng(left: Rgb, right: Rgb, width = 48, height = 32): Buffer {
	const header = Buffer.alloc(13);
	header.writeUInt32BE(width, 0);
	header.writeUInt32BE(height, 4);
	header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, no interlace
	const row = Buffer.from([
		0,
		...Array.from({ length: width }, (_, x) => (x < width / 2 ? left : right)).flat()
	]);
	return Buffer.concat([
		Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
		pngChunk('IHDR', header),
		pngChunk('IDAT', deflateSync(Buffer.concat(Array.from({ length: height }, () => row)))),
		pngChunk('IEND', Buffer.alloc(0))
	]);
}

interface Halves {
	left: number;
	right: number;
}

/** Mean depth of the outer quarters of the result JSON's map (the middle is blurred by resizing). */
async function jsonHalves(page: Page): Promise<Halves> {
	const text = await page.getByTestId('result-json').textContent();
	const out = JSON.parse(text ?? '{}') as { mapWidth: number; depth: number[] };
	const side = (keep: (x: number) => boolean) => {
		const values = out.depth.filter((_, i) => keep((i % out.mapWidth) / out.mapWidth));
		return values.reduce((a, b) => a + b, 0) / values.length;
	};
	return { left: side((x) => x < 0.25), right: side((x) => x >= 0.75) };
}

/** Mean brightness of the outer quarters of the drawn depth map. */
async function canvasHalves(page: Page): Promise<Halves> {
	return page.getByTestId('depth-map').evaluate((element) => {
		const canvas = element as HTMLCanvasElement;
		const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
		const sums = { left: 0, right: 0, nLeft: 0, nRight: 0 };
		for (let i = 0; i < data.length; i += 4) {
			const x = ((i / 4) % canvas.width) / canvas.width;
			const grey = data[i]! + data[i + 1]! + data[i + 2]!;
			if (x < 0.25) {
				sums.left += grey;
				sums.nLeft++;
			} else if (x >= 0.75) {
				sums.right += grey;
				sums.nRight++;
			}
		}
		return { left: sums.left / sums.nLeft, right: sums.right / sums.nRight };
	});
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

// Images for the end-to-end specs of the image tasks, made in code so no image files are needed: PNGs to upload
// or serve (encoded here), and what the page shows back (a canvas's pixels, the result JSON).

import { deflateSync } from 'node:zlib';
import type { Page } from '@playwright/test';

export type Rgb = readonly [number, number, number];

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

/** A PNG of `rows` (each starting with its filter byte), after a header of the size and pixel format. */
function png(
	width: number,
	height: number,
	format: [depth: number, colourType: number],
	rows: Buffer[],
	palette?: Rgb
) {
	const header = Buffer.alloc(13);
	header.writeUInt32BE(width, 0);
	header.writeUInt32BE(height, 4);
	header.set([...format, 0, 0, 0], 8); // no interlace
	return Buffer.concat([
		Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
		pngChunk('IHDR', header),
		...(palette ? [pngChunk('PLTE', Buffer.from(palette))] : []),
		pngChunk('IDAT', deflateSync(Buffer.concat(rows))),
		pngChunk('IEND', Buffer.alloc(0))
	]);
}

/** An 8-bit RGB PNG whose pixel (x, y) is paint(x, y). */
export function rgbPng(width: number, height: number, paint: (x: number, y: number) => Rgb): Buffer {
	const rows = Array.from({ length: height }, (_, y) =>
		Buffer.from([0, ...Array.from({ length: width }, (_, x) => paint(x, y)).flat()])
	);
	return png(width, height, [8, 2], rows);
}

/** A square of one colour. */
export function solidPng(rgb: Rgb, size: number): Buffer {
	return rgbPng(size, size, () => rgb);
}

/**
 * A solid-colour PNG of any size: one palette entry and one bit per pixel, so even 8000×6400 is 6 MB before
 * compression and a few kB after, and the browser would decode it in full if nothing stopped it.
 */
export function largeSolidPng(width: number, height: number, rgb: Rgb): Buffer {
	const row = Buffer.alloc(1 + Math.ceil(width / 8)); // filter byte 0, then every pixel is entry 0
	return png(
		width,
		height,
		[1, 3],
		Array.from({ length: height }, () => row),
		rgb
	);
}

export interface Pixels {
	width: number;
	height: number;
	/** RGBA, row by row. */
	data: number[];
}

export function pixelAt(pixels: Pixels, x: number, y: number): number[] {
	const i = (y * pixels.width + x) * 4;
	return pixels.data.slice(i, i + 4);
}

/** What a canvas on the page holds, unscaled. */
export async function canvasPixels(page: Page, testId: string): Promise<Pixels> {
	return page.getByTestId(testId).evaluate((element) => {
		const canvas = element as HTMLCanvasElement;
		const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
		return { width: canvas.width, height: canvas.height, data: Array.from(data) };
	});
}

/** The result JSON the task page shows under the result. */
export async function resultJson<T = unknown>(page: Page): Promise<T> {
	return JSON.parse((await page.getByTestId('result-json').textContent()) ?? 'null') as T;
}

// The parts of image intake that need no browser: which sizes are refused, how big images are scaled, the sizes
// read from image headers before decoding, and the camera's messages.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cameraProblem, fitWithin, headerSize, MAX_SIDE, whyNotImageSize } from './image';

describe('image sizes', () => {
	it('refuses empty and over-50-megapixel images with the numbers', () => {
		expect(whyNotImageSize(0, 10)).toMatch(/no pixels/);
		expect(whyNotImageSize(10_000, 5_001)).toMatch(/10000×5001 .*limit is 50 megapixels/);
		expect(whyNotImageSize(10_000, 5_000)).toBeNull();
		expect(whyNotImageSize(1, 1)).toBeNull();
	});

	it('scales the longest side down to the limit, keeping the shape, and never up', () => {
		expect(fitWithin(4000, 3000)).toEqual({ width: MAX_SIDE, height: 768 });
		expect(fitWithin(16, 16)).toEqual({ width: 16, height: 16 });
		fc.assert(
			fc.property(fc.integer({ min: 1, max: 20_000 }), fc.integer({ min: 1, max: 20_000 }), (w, h) => {
				const fitted = fitWithin(w, h);
				expect(Math.max(fitted.width, fitted.height)).toBeLessThanOrEqual(MAX_SIDE);
				expect(fitted.width).toBeLessThanOrEqual(w);
				expect(fitted.height).toBeLessThanOrEqual(h);
				expect(Math.min(fitted.width, fitted.height)).toBeGreaterThanOrEqual(1);
			})
		);
	});
});

/** Bytes from a list of strings (latin1) and numbers (single bytes). */
function bytes(...parts: (string | number[])[]): Uint8Array {
	return Uint8Array.from(
		parts.flatMap((part) => (typeof part === 'string' ? [...part].map((c) => c.charCodeAt(0)) : part))
	);
}
const be16 = (n: number) => [n >> 8, n & 255];
const be32 = (n: number) => [n >>> 24, (n >> 16) & 255, (n >> 8) & 255, n & 255];
const le16 = (n: number) => [n & 255, n >> 8];
const le24 = (n: number) => [n & 255, (n >> 8) & 255, (n >> 16) & 255];
const le32 = (n: number) => [n & 255, (n >> 8) & 255, (n >> 16) & 255, n >>> 24];

describe('sizes read from image headers', () => {
	it('reads PNG, GIF, BMP and every WebP flavour', () => {
		const png = bytes([0x89], 'PNG\r\n\x1a\n', be32(13), 'IHDR', be32(8000), be32(6400), [8, 2, 0, 0, 0]);
		expect(headerSize(png)).toEqual({ width: 8000, height: 6400 });
		expect(headerSize(bytes('GIF89a', le16(300), le16(200)))).toEqual({ width: 300, height: 200 });
		const bmp = bytes('BM', le32(0), le32(0), le32(54), le32(40), le32(640), le32(-480 >>> 0));
		expect(headerSize(bmp)).toEqual({ width: 640, height: 480 });
		const webp = (chunk: string, data: number[]) => bytes('RIFF', le32(100), 'WEBP', chunk, le32(20), data);
		expect(headerSize(webp('VP8X', [0, 0, 0, 0, ...le24(3999), ...le24(2999)]))).toEqual({
			width: 4000,
			height: 3000
		});
		// Lossless: a 0x2f signature, then 14 bits of width − 1 and 14 of height − 1.
		expect(headerSize(webp('VP8L', [0x2f, ...le32(1023 | (767 << 14)), 0]))).toEqual({
			width: 1024,
			height: 768
		});
		expect(headerSize(webp('VP8 ', [0, 0, 0, 0x9d, 0x01, 0x2a, ...le16(320), ...le16(240)]))).toEqual({
			width: 320,
			height: 240
		});
	});

	it('walks a JPEG past its EXIF and comment segments to the frame header', () => {
		const app1 = [0xff, 0xe1, ...be16(2 + 300), ...new Array<number>(300).fill(0)];
		const comment = [0xff, 0xfe, ...be16(2 + 5), ...bytes('hello')];
		const frame = [0xff, 0xc2, ...be16(17), 8, ...be16(6400), ...be16(8000), 3];
		expect(headerSize(bytes([0xff, 0xd8], app1, comment, frame))).toEqual({ width: 8000, height: 6400 });
		// Huffman tables (C4) sit in the frame marker range but are not frames.
		const tables = [0xff, 0xc4, ...be16(4), 0, 0];
		expect(headerSize(bytes([0xff, 0xd8], tables, frame))).toEqual({ width: 8000, height: 6400 });
		expect(headerSize(bytes([0xff, 0xd8, 0xff, 0xda], be16(8), [0, 0, 0, 0, 0, 0]))).toBeNull();
	});

	it('says nothing (and never throws) for other or cut-off bytes', () => {
		expect(headerSize(bytes('just some text'))).toBeNull();
		expect(headerSize(new Uint8Array(0))).toBeNull();
		const magic = fc.constantFrom(
			bytes([0x89], 'PNG\r\n\x1a\n'),
			bytes('GIF89a'),
			bytes('BM'),
			bytes('RIFF', le32(0), 'WEBPVP8X'),
			bytes('RIFF', le32(0), 'WEBPVP8L'),
			bytes([0xff, 0xd8, 0xff]),
			new Uint8Array(0)
		);
		fc.assert(
			fc.property(magic, fc.uint8Array({ maxLength: 64 }), (start, rest) => {
				const size = headerSize(Uint8Array.from([...start, ...rest]));
				if (size !== null) {
					expect(Number.isInteger(size.width) && size.width >= 0).toBe(true);
					expect(Number.isInteger(size.height) && size.height >= 0).toBe(true);
				}
			})
		);
	});
});

describe('camera messages', () => {
	it('names why the camera could not open', () => {
		expect(cameraProblem(new DOMException('denied', 'NotAllowedError'))).toMatch(/camera was not allowed/);
		expect(cameraProblem(new DOMException('none', 'NotFoundError'))).toMatch(/No camera was found/);
		expect(cameraProblem(new DOMException('busy', 'NotReadableError'))).toMatch(/in use/);
		expect(cameraProblem(new Error('odd'))).toMatch(/could not be opened: odd/);
	});
});

// OCR's pixel work, pure so the worker and the specs share it: bilinear resizing of RGBA pixels straight into the
// normalised planar float tensors PaddleOCR's graphs take (in PaddleOCR's BGR channel order), cropping a box out
// of the image, and turning a crop upright.

import type { RgbaImage } from './image-classification';

/** A rectangle in image pixels. */
export interface Box {
	x: number;
	y: number;
	width: number;
	height: number;
}

export interface Normalisation {
	/** Per channel in B, G, R order (PaddleOCR reads images with OpenCV, which gives BGR). */
	mean: readonly [number, number, number];
	std: readonly [number, number, number];
}

/** ImageNet's statistics, which the text detector was trained with. */
export const DETECTION_NORMALISATION: Normalisation = {
	mean: [0.485, 0.456, 0.406],
	std: [0.229, 0.224, 0.225]
};
/** (x / 255 - 0.5) / 0.5: what the recogniser and the direction classifier take. */
export const SYMMETRIC_NORMALISATION: Normalisation = { mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5] };

/**
 * The image resized to width×height (bilinear, pixel centres aligned) and normalised into [3, height, canvas]
 * planes; columns from `width` to `canvasWidth` are padding (0 after normalisation, as PaddleOCR pads).
 */
export function toPlanes(
	image: RgbaImage,
	width: number,
	height: number,
	normalisation: Normalisation,
	canvasWidth = width
): Float32Array {
	const planes = new Float32Array(3 * height * canvasWidth);
	const plane = height * canvasWidth;
	const scaleX = image.width / width;
	const scaleY = image.height / height;
	for (let y = 0; y < height; y++) {
		const sy = Math.min(image.height - 1, Math.max(0, (y + 0.5) * scaleY - 0.5));
		const y0 = Math.floor(sy);
		const y1 = Math.min(y0 + 1, image.height - 1);
		const fy = sy - y0;
		for (let x = 0; x < width; x++) {
			const sx = Math.min(image.width - 1, Math.max(0, (x + 0.5) * scaleX - 0.5));
			const x0 = Math.floor(sx);
			const x1 = Math.min(x0 + 1, image.width - 1);
			const fx = sx - x0;
			for (let c = 0; c < 3; c++) {
				// Plane c holds B, G, R in turn: RGBA channel 2 - c.
				const channel = 2 - c;
				const at = (px: number, py: number) => image.data[(py * image.width + px) * 4 + channel] ?? 0;
				const top = at(x0, y0) * (1 - fx) + at(x1, y0) * fx;
				const bottom = at(x0, y1) * (1 - fx) + at(x1, y1) * fx;
				const value = (top * (1 - fy) + bottom * fy) / 255;
				planes[c * plane + y * canvasWidth + x] = (value - normalisation.mean[c]!) / normalisation.std[c]!;
			}
		}
	}
	return planes;
}

/**
 * The detector's input size: the longer side at most `limit` (never enlarged), each side rounded to a multiple
 * of 32 (the network halves it five times), at least 32.
 */
export function detectionSize(width: number, height: number, limit = 960): { width: number; height: number } {
	const ratio = Math.max(width, height) > limit ? limit / Math.max(width, height) : 1;
	const round32 = (side: number) => Math.max(32, Math.round((side * ratio) / 32) * 32);
	return { width: round32(width), height: round32(height) };
}

/** The pixels inside a box (clamped to the image; at least one pixel). */
export function cropImage(image: RgbaImage, box: Box): RgbaImage {
	const x0 = Math.min(image.width - 1, Math.max(0, Math.floor(box.x)));
	const y0 = Math.min(image.height - 1, Math.max(0, Math.floor(box.y)));
	const x1 = Math.max(x0 + 1, Math.min(image.width, Math.ceil(box.x + box.width)));
	const y1 = Math.max(y0 + 1, Math.min(image.height, Math.ceil(box.y + box.height)));
	const width = x1 - x0;
	const height = y1 - y0;
	const data = new Uint8ClampedArray(width * height * 4);
	for (let y = 0; y < height; y++) {
		const from = ((y0 + y) * image.width + x0) * 4;
		data.set(image.data.subarray(from, from + width * 4), y * width * 4);
	}
	return { width, height, data };
}

/** The image turned half a turn. */
export function rotateHalf(image: RgbaImage): RgbaImage {
	const data = new Uint8ClampedArray(image.data.length);
	const pixels = image.width * image.height;
	for (let i = 0; i < pixels; i++) data.set(image.data.subarray(i * 4, i * 4 + 4), (pixels - 1 - i) * 4);
	return { width: image.width, height: image.height, data };
}

/** The image turned a quarter turn anticlockwise (vertical text read top to bottom becomes a line). */
export function rotateQuarter(image: RgbaImage): RgbaImage {
	const { width, height } = image;
	const data = new Uint8ClampedArray(image.data.length);
	for (let y = 0; y < height; y++) {
		for (let x = 0; x < width; x++) {
			// (x, y) goes to (y, width - 1 - x) in the height-wide result.
			const to = ((width - 1 - x) * height + y) * 4;
			data.set(image.data.subarray((y * width + x) * 4, (y * width + x) * 4 + 4), to);
		}
	}
	return { width: height, height: width, data };
}

/** Brightness (0–255) of each pixel, row by row (Rec. 601 weights, as OpenCV's grey conversion). */
export function luminance(image: RgbaImage): Float32Array {
	const out = new Float32Array(image.width * image.height);
	for (let i = 0; i < out.length; i++) {
		const d = image.data;
		out[i] = 0.299 * (d[i * 4] ?? 0) + 0.587 * (d[i * 4 + 1] ?? 0) + 0.114 * (d[i * 4 + 2] ?? 0);
	}
	return out;
}

// Page-side image intake for vision tasks: fetches an image by URL (saying which way the host refused), decodes
// a file or blob to find out what it really is, refuses empty, unreadable and huge images with a message, and
// downscales on an OffscreenCanvas so that only a modest RGBA buffer crosses to the worker.

import type { RgbaImage } from '$lib/tasks/image-classification';

/** Bigger images are refused: decoding them alone can take hundreds of MiB. */
export const MAX_MEGAPIXELS = 50;
/** Longest side sent to the worker; vision models resize to a few hundred pixels anyway. */
export const MAX_SIDE = 1024;

/** An image the page could not use, with a message for the person who gave it. */
export class ImageInputError extends Error {
	override name = 'ImageInputError';
}

/** Why an image of this size is refused, or null when it is fine. */
export function whyNotImageSize(width: number, height: number): string | null {
	if (width <= 0 || height <= 0) return 'The image has no pixels.';
	const megapixels = (width * height) / 1_000_000;
	if (megapixels > MAX_MEGAPIXELS) {
		return `The image is ${width}×${height} (${megapixels.toFixed(0)} megapixels); the limit is ${MAX_MEGAPIXELS} megapixels.`;
	}
	return null;
}

/** The size an image is drawn at so its longest side is at most maxSide (never upscaled). */
export function fitWithin(
	width: number,
	height: number,
	maxSide = MAX_SIDE
): { width: number; height: number } {
	const scale = Math.min(1, maxSide / Math.max(width, height));
	return {
		width: Math.max(1, Math.round(width * scale)),
		height: Math.max(1, Math.round(height * scale))
	};
}

/** Decodes a file, pasted or fetched blob into RGBA pixels, downscaled to MAX_SIDE. */
export async function decodeImage(blob: Blob, name: string): Promise<RgbaImage> {
	if (blob.size === 0) throw new ImageInputError(`${name} is empty (0 bytes).`);
	let bitmap: ImageBitmap;
	try {
		// Decoding, not the file name or its claimed type, says whether this is an image.
		bitmap = await createImageBitmap(blob);
	} catch {
		throw new ImageInputError(
			`${name} is not an image this browser can read (it may be corrupt or another kind of file).`
		);
	}
	try {
		const problem = whyNotImageSize(bitmap.width, bitmap.height);
		if (problem !== null) throw new ImageInputError(`${name}: ${problem}`);
		const { width, height } = fitWithin(bitmap.width, bitmap.height);
		const canvas = new OffscreenCanvas(width, height);
		const context = canvas.getContext('2d');
		if (!context) throw new ImageInputError('This browser cannot draw images off screen.');
		context.imageSmoothingQuality = 'high';
		context.drawImage(bitmap, 0, 0, width, height);
		return { width, height, data: context.getImageData(0, 0, width, height).data };
	} finally {
		bitmap.close();
	}
}

/** Fetches an image from the web, with a message naming what went wrong when the host refuses. */
export async function fetchImage(url: string): Promise<Blob> {
	let response: Response;
	try {
		response = await fetch(url, { mode: 'cors', credentials: 'omit' });
	} catch {
		// The browser hides the reason: a missing CORS header, a refused connection and DNS failures look alike.
		throw new ImageInputError(
			`Could not fetch ${url}: the host did not allow this page to read it (no CORS headers) or could not be reached. Download the image and choose the file instead.`
		);
	}
	if (!response.ok) {
		throw new ImageInputError(`Could not fetch ${url}: the host answered HTTP ${response.status}.`);
	}
	const type = response.headers.get('content-type') ?? '';
	if (!type.toLowerCase().startsWith('image/')) {
		throw new ImageInputError(
			`${url} is not an image: the host sent ${type ? `“${type.split(';')[0]}”` : 'no content type'}.`
		);
	}
	return response.blob();
}

/** Draws RGBA pixels into a blob URL for a preview (the caller revokes it). */
export async function previewUrl(image: RgbaImage): Promise<string> {
	const canvas = new OffscreenCanvas(image.width, image.height);
	const context = canvas.getContext('2d');
	if (!context) return '';
	context.putImageData(new ImageData(new Uint8ClampedArray(image.data), image.width, image.height), 0, 0);
	return URL.createObjectURL(await canvas.convertToBlob({ type: 'image/png' }));
}

// Page-side image intake for vision tasks: fetches an image by URL (saying which way the host refused), decodes
// a file or blob to find out what it really is, refuses empty, unreadable and huge images with a message (huge
// ones from their header, before decoding), takes photos from the camera, and downscales on an OffscreenCanvas
// so that only a modest RGBA buffer crosses to the worker.

import type { RgbaImage } from '$lib/tasks/image-classification';

/** Bigger images are refused: decoding them alone can take hundreds of MiB. */
export const MAX_MEGAPIXELS = 50;
/** Longest side sent to the worker; vision models resize to a few hundred pixels anyway. */
export const MAX_SIDE = 1024;
/** How much of a file is read for its header: JPEG puts EXIF and colour profiles before its size. */
const HEADER_BYTES = 256 * 1024;

/** An image the page could not use, with a message for the person who gave it. */
export class ImageInputError extends Error {
	override name = 'ImageInputError';
}

/** Decoded, downscaled pixels and the size the picture had before downscaling. */
export interface IntakeImage {
	image: RgbaImage;
	sourceWidth: number;
	sourceHeight: number;
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

/**
 * The pixel size a PNG, JPEG, GIF, WebP or BMP header declares, or null when the bytes are none of those (or
 * the header lies beyond them). Reading it first lets a 100-megapixel file be refused without decoding it.
 */
export function headerSize(bytes: Uint8Array): { width: number; height: number } | null {
	const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	const ascii = (offset: number, length: number) =>
		offset + length <= bytes.length ? String.fromCharCode(...bytes.subarray(offset, offset + length)) : '';
	const size = (width: number, height: number) => ({ width, height });
	if (ascii(1, 3) === 'PNG' && ascii(12, 4) === 'IHDR' && bytes.length >= 24) {
		return size(view.getUint32(16), view.getUint32(20));
	}
	if ((ascii(0, 6) === 'GIF87a' || ascii(0, 6) === 'GIF89a') && bytes.length >= 10) {
		return size(view.getUint16(6, true), view.getUint16(8, true));
	}
	if (ascii(0, 2) === 'BM' && bytes.length >= 26) {
		// OS/2 bitmaps have a 12-byte header with 16-bit sizes; a negative height means rows run top down.
		if (view.getUint32(14, true) === 12) return size(view.getUint16(18, true), view.getUint16(20, true));
		return size(Math.abs(view.getInt32(18, true)), Math.abs(view.getInt32(22, true)));
	}
	if (ascii(0, 4) === 'RIFF' && ascii(8, 4) === 'WEBP') {
		const chunk = ascii(12, 4);
		if (chunk === 'VP8L' && bytes.length >= 25) {
			const bits = view.getUint32(21, true);
			return size((bits & 0x3fff) + 1, ((bits >>> 14) & 0x3fff) + 1);
		}
		if (bytes.length < 30) return null;
		if (chunk === 'VP8X') {
			const uint24 = (offset: number) => view.getUint16(offset, true) | (view.getUint8(offset + 2) << 16);
			return size(uint24(24) + 1, uint24(27) + 1);
		}
		if (chunk === 'VP8 ') return size(view.getUint16(26, true) & 0x3fff, view.getUint16(28, true) & 0x3fff);
		return null;
	}
	if (bytes[0] === 0xff && bytes[1] === 0xd8) return jpegSize(view);
	return null;
}

/** Walks a JPEG's segments to its start-of-frame, which holds the size. */
function jpegSize(view: DataView): { width: number; height: number } | null {
	let offset = 2;
	while (offset + 9 <= view.byteLength) {
		if (view.getUint8(offset) !== 0xff) return null;
		const marker = view.getUint8(offset + 1);
		if (marker === 0xff) {
			offset += 1; // fill byte
			continue;
		}
		// SOF0–SOF15, except DHT (C4), JPG (C8) and DAC (CC), which share the range.
		if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
			return { width: view.getUint16(offset + 7), height: view.getUint16(offset + 5) };
		}
		// The scan starts without a frame having been seen: not a JPEG we can read the size of.
		if (marker === 0xda || marker === 0xd9) return null;
		const standalone = marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7);
		offset += standalone ? 2 : 2 + view.getUint16(offset + 2);
	}
	return null;
}

/** Checks the size, then draws a decoded picture at most MAX_SIDE on its longest side as RGBA. */
function rasterize(bitmap: ImageBitmap, name: string): IntakeImage {
	const problem = whyNotImageSize(bitmap.width, bitmap.height);
	if (problem !== null) throw new ImageInputError(`${name}: ${problem}`);
	const { width, height } = fitWithin(bitmap.width, bitmap.height);
	const canvas = new OffscreenCanvas(width, height);
	const context = canvas.getContext('2d');
	if (!context) throw new ImageInputError('This browser cannot draw images off screen.');
	context.imageSmoothingQuality = 'high';
	context.drawImage(bitmap, 0, 0, width, height);
	const image = { width, height, data: context.getImageData(0, 0, width, height).data };
	return { image, sourceWidth: bitmap.width, sourceHeight: bitmap.height };
}

/** Decodes a file, pasted or fetched blob into RGBA pixels downscaled to MAX_SIDE, with its original size. */
export async function readImage(blob: Blob, name: string): Promise<IntakeImage> {
	if (blob.size === 0) throw new ImageInputError(`${name} is empty (0 bytes).`);
	const declared = headerSize(new Uint8Array(await blob.slice(0, HEADER_BYTES).arrayBuffer()));
	if (declared !== null) {
		const problem = whyNotImageSize(declared.width, declared.height);
		if (problem !== null) throw new ImageInputError(`${name}: ${problem}`);
	}
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
		// Formats without a header read above (AVIF, SVG, …) are checked once decoded.
		return rasterize(bitmap, name);
	} finally {
		bitmap.close();
	}
}

/** Decodes a file, pasted or fetched blob into RGBA pixels, downscaled to MAX_SIDE. */
export async function decodeImage(blob: Blob, name: string): Promise<RgbaImage> {
	return (await readImage(blob, name)).image;
}

/** Why the camera could not be opened, in words. */
export function cameraProblem(error: unknown): string {
	const name = error instanceof Error || error instanceof DOMException ? error.name : '';
	if (name === 'NotAllowedError' || name === 'SecurityError') {
		return 'The camera was not allowed: allow it for this site in the browser’s address bar, or choose a file.';
	}
	if (name === 'NotFoundError' || name === 'OverconstrainedError') {
		return 'No camera was found: plug one in, or choose a file.';
	}
	if (name === 'NotReadableError' || name === 'AbortError') {
		return 'The camera is in use by another program or could not be started.';
	}
	return `The camera could not be opened: ${error instanceof Error ? error.message : String(error)}`;
}

/** Whether this page can ask for a camera at all (browsers offer media devices on secure pages only). */
export function cameraSupported(): boolean {
	return typeof navigator !== 'undefined' && typeof navigator.mediaDevices?.getUserMedia === 'function';
}

/** How long a capture waits for the camera's first frame before giving up. */
const FIRST_FRAME_MS = 10_000;

/** An open camera: its stream feeds a live preview; a capture takes one frame; close stops the camera. */
export class CameraStream {
	readonly stream: MediaStream;

	private constructor(stream: MediaStream) {
		this.stream = stream;
	}

	/** Asks for a camera (the rear one on phones); throws ImageInputError with a message when it cannot. */
	static async open(): Promise<CameraStream> {
		if (!cameraSupported()) {
			throw new ImageInputError('This browser cannot use a camera here (it needs a secure https page).');
		}
		try {
			const stream = await navigator.mediaDevices.getUserMedia({
				video: { facingMode: { ideal: 'environment' } },
				audio: false
			});
			return new CameraStream(stream);
		} catch (error) {
			throw new ImageInputError(cameraProblem(error));
		}
	}

	/** The frame the preview shows now, size-checked and downscaled exactly like a file. */
	async capture(video: HTMLVideoElement): Promise<IntakeImage> {
		await firstFrame(video);
		let bitmap: ImageBitmap;
		try {
			bitmap = await createImageBitmap(video);
		} catch {
			throw new ImageInputError('The camera’s picture could not be read.');
		}
		try {
			return rasterize(bitmap, 'The photo');
		} finally {
			bitmap.close();
		}
	}

	/** Stops every track, which turns the camera (and its light) off. */
	close(): void {
		for (const track of this.stream.getTracks()) track.stop();
	}
}

/** Resolves once the video has a frame to take (a capture pressed right after opening waits for it). */
function firstFrame(video: HTMLVideoElement): Promise<void> {
	if (video.readyState >= HTMLMediaElement.HAVE_CURRENT_DATA && video.videoWidth > 0)
		return Promise.resolve();
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => {
			video.removeEventListener('loadeddata', ready);
			reject(new ImageInputError('The camera sent no picture.'));
		}, FIRST_FRAME_MS);
		function ready(): void {
			clearTimeout(timer);
			resolve();
		}
		video.addEventListener('loadeddata', ready, { once: true });
	});
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

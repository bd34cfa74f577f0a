// The shared image and audio pickers end to end, for the inputs people expect: a photo from Chromium's fake
// camera is captured, downscaled and classified (with the camera turned off after capture and after Escape),
// a refused or missing camera gets a message; an empty file, a 50-megapixel image (refused from its header,
// before any decoding), a corrupt and a cut-short WAV get clear messages and run nothing; a 3000×2000 image
// crosses to the worker at 1024×683; and a recording stops by itself at its time limit with a note.

import { chromium, type Browser, type Page } from '@playwright/test';
import { CHROMIUM_ARGS } from '../scripts/chromium.ts';
import { expect, test } from './fixtures';
import { largeSolidPng, resultJson } from './images';

const IMAGE_MODEL = 'browserve/tiny-colors';
const SOUND_MODEL = 'browserve/tiny-sound';

/** A 16-bit PCM mono WAV header promising `dataBytes` of samples at 16 kHz. */
function wavHeader(dataBytes: number): Buffer {
	const header = Buffer.alloc(44);
	header.write('RIFF', 0, 'latin1');
	header.writeUInt32LE(36 + dataBytes, 4);
	header.write('WAVEfmt ', 8, 'latin1');
	header.writeUInt32LE(16, 16);
	header.writeUInt16LE(1, 20);
	header.writeUInt16LE(1, 22);
	header.writeUInt32LE(16_000, 24);
	header.writeUInt32LE(32_000, 28);
	header.writeUInt16LE(2, 32);
	header.writeUInt16LE(16, 34);
	header.write('data', 36, 'latin1');
	header.writeUInt32LE(dataBytes, 40);
	return header;
}

/** A whole WAV of a 440 Hz tone. */
function toneWav(seconds: number): Buffer {
	const count = seconds * 16_000;
	const samples = Buffer.alloc(count * 2);
	for (let i = 0; i < count; i++) {
		samples.writeInt16LE(Math.round(16_000 * Math.sin((2 * Math.PI * 440 * i) / 16_000)), i * 2);
	}
	return Buffer.concat([wavHeader(samples.length), samples]);
}

/** Records every stream the page opens, so a test can see whether any camera track is still live. */
function recordStreams(): void {
	const open = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
	const streams: MediaStream[] = [];
	Object.assign(window, { openedStreams: streams });
	navigator.mediaDevices.getUserMedia = async (constraints) => {
		const stream = await open(constraints);
		streams.push(stream);
		return stream;
	};
}

/** Video tracks the page opened: how many, and how many are still live. */
function videoTracks(page: Page): Promise<{ opened: number; live: number }> {
	return page.evaluate(() => {
		const streams = (window as unknown as { openedStreams: MediaStream[] }).openedStreams;
		const tracks = streams.flatMap((stream) => stream.getVideoTracks());
		return { opened: tracks.length, live: tracks.filter((track) => track.readyState === 'live').length };
	});
}

/** Records the size of every image posted to a worker, and counts full decodes on the page. */
function watchImages(): void {
	const posted: { width: number; height: number; bytes: number }[] = [];
	const decodes = { count: 0 };
	Object.assign(window, { postedImages: posted, imageDecodes: decodes });
	const find = (value: unknown, depth: number): void => {
		if (depth > 6 || typeof value !== 'object' || value === null) return;
		const { width, height, data } = value as { width?: unknown; height?: unknown; data?: unknown };
		if (typeof width === 'number' && typeof height === 'number' && data instanceof Uint8ClampedArray) {
			posted.push({ width, height, bytes: data.length });
			return;
		}
		for (const item of Object.values(value)) find(item, depth + 1);
	};
	type Post = (
		this: Worker,
		message: unknown,
		transfer?: Transferable[] | StructuredSerializeOptions
	) => void;
	const post = Worker.prototype.postMessage as Post;
	Worker.prototype.postMessage = function (this: Worker, message, transfer) {
		find(message, 0);
		post.call(this, message, transfer);
	} as Post as Worker['postMessage'];
	const decode = window.createImageBitmap;
	window.createImageBitmap = ((...args: Parameters<typeof createImageBitmap>) => {
		decodes.count++;
		return decode(...args);
	}) as typeof createImageBitmap;
}

async function resultLabels(page: Page): Promise<string[]> {
	return (await resultJson<{ label: string }[]>(page)).map((item) => item.label);
}

/** A Chromium of its own with flags the shared one has not; page errors fail the test as they do there. */
async function withBrowser(flags: string[], body: (page: Page) => Promise<void>): Promise<void> {
	const browser: Browser = await chromium.launch({
		executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
		args: [...CHROMIUM_ARGS, ...flags]
	});
	try {
		const page = await browser.newPage();
		const errors: string[] = [];
		page.on('pageerror', (error) => errors.push(error.message));
		await body(page);
		expect(errors, 'uncaught errors on the page').toEqual([]);
	} finally {
		await browser.close();
	}
}

const FAKE_CAMERA = ['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream'];

/** Presses "Take a photo" until the camera dialog opens (a click before hydration does nothing). */
async function openCamera(page: Page): Promise<void> {
	await expect(async () => {
		await page.getByTestId('camera-open').click();
		await expect(page.getByTestId('camera')).toBeVisible({ timeout: 1000 });
	}).toPass();
}

test('a photo from the camera is captured with the keyboard, downscaled and classified', async ({ app }) => {
	await withBrowser(FAKE_CAMERA, async (page) => {
		await page.addInitScript(recordStreams);
		await page.addInitScript(watchImages);
		await page.goto(`${app.url}image-classification?device=wasm&model=${IMAGE_MODEL}`);

		// Escape cancels: the dialog closes, the camera is off, and focus is back on the button.
		await openCamera(page);
		await expect(page.getByTestId('camera-capture')).toBeFocused();
		expect(await videoTracks(page)).toEqual({ opened: 1, live: 1 });
		await page.keyboard.press('Escape');
		await expect(page.getByTestId('camera')).toBeHidden();
		await expect(page.getByTestId('camera-open')).toBeFocused();
		await expect.poll(() => videoTracks(page)).toEqual({ opened: 1, live: 0 });
		await expect(page.getByTestId('image-preview')).toHaveCount(0);

		// Enter on the focused button opens it again; Enter on Capture (focused for us) takes the photo.
		await page.keyboard.press('Enter');
		await expect(page.getByTestId('camera')).toBeVisible();
		await expect(page.getByTestId('camera-capture')).toBeFocused();
		await expect
			.poll(() => page.getByTestId('camera-preview').evaluate((video: HTMLVideoElement) => video.videoWidth))
			.toBeGreaterThan(0);
		await page.keyboard.press('Enter');
		await expect(page.getByTestId('camera')).toBeHidden();
		await expect(page.getByTestId('image-preview')).toBeVisible();
		await expect(page.getByTestId('image-local-note')).toContainText('share links');
		await expect.poll(() => videoTracks(page)).toEqual({ opened: 2, live: 0 });
		await expect(page.getByTestId('camera-open')).toBeFocused();
		const preview = page.getByTestId('image-preview');
		const width = Number(await preview.getAttribute('data-width'));
		const height = Number(await preview.getAttribute('data-height'));
		expect(width).toBeGreaterThan(0);
		expect(Math.max(width, height)).toBeLessThanOrEqual(1024);

		await page.getByTestId('run').click();
		await expect(page.getByTestId('label-scores').locator('li').first()).toBeVisible();
		expect((await resultLabels(page)).length).toBeGreaterThan(0);
		// The frame crossed to the worker at the size the preview shows.
		const posted = await page.evaluate(
			() => (window as unknown as { postedImages: { width: number; height: number }[] }).postedImages
		);
		expect(posted).toContainEqual(expect.objectContaining({ width, height }));
	});
});

test('a refused camera gets a message saying how to allow it, and nothing runs', async ({ app }) => {
	// A camera exists but nobody answers the permission prompt: headless Chromium refuses it.
	await withBrowser(['--use-fake-device-for-media-stream'], async (page) => {
		await page.goto(`${app.url}image-classification?device=wasm&model=${IMAGE_MODEL}`);
		await expect(async () => {
			await page.getByTestId('camera-open').click();
			await expect(page.getByTestId('image-problem')).toContainText('camera was not allowed', {
				timeout: 1000
			});
		}).toPass();
		await expect(page.getByTestId('camera')).toBeHidden();
		await expect(page.getByTestId('run')).toBeDisabled();
	});
});

test('a machine with no camera says so', async ({ page, app }) => {
	await page.goto(`${app.url}depth-estimation?device=wasm&model=browserve/tiny-depth`);
	await expect(async () => {
		await page.getByTestId('camera-open').click();
		await expect(page.getByTestId('image-problem')).toContainText('No camera was found', { timeout: 1000 });
	}).toPass();
	await expect(page.getByTestId('camera')).toBeHidden();
});

test('an empty file after a good image and a 50-megapixel image get messages and nothing runs', async ({
	page,
	app
}) => {
	await page.addInitScript(watchImages);
	await page.goto(`${app.url}image-classification?device=wasm&model=${IMAGE_MODEL}`);
	const file = page.getByTestId('image-file');
	await file.setInputFiles({
		name: 'blue.png',
		mimeType: 'image/png',
		buffer: largeSolidPng(32, 32, [10, 30, 230])
	});
	await expect(page.getByTestId('image-preview')).toBeVisible();
	await expect(page.getByTestId('run')).toBeEnabled();

	// The good image before must not stay behind to run.
	await file.setInputFiles({ name: 'empty.png', mimeType: 'image/png', buffer: Buffer.alloc(0) });
	await expect(page.getByTestId('image-problem')).toHaveText('empty.png is empty (0 bytes).');
	await expect(page.getByTestId('image-preview')).toHaveCount(0);
	await expect(page.getByTestId('run')).toBeDisabled();

	const decodesBefore = await page.evaluate(
		() => (window as unknown as { imageDecodes: { count: number } }).imageDecodes.count
	);
	// The watch counts decodes: the good image above was one.
	expect(decodesBefore).toBeGreaterThan(0);
	await file.setInputFiles({
		name: 'huge.png',
		mimeType: 'image/png',
		buffer: largeSolidPng(8000, 6400, [1, 2, 3])
	});
	await expect(page.getByTestId('image-problem')).toHaveText(
		'huge.png: The image is 8000×6400 (51 megapixels); the limit is 50 megapixels.'
	);
	await expect(page.getByTestId('run')).toBeDisabled();
	// Refused from its header: the browser never decoded its 51 million pixels.
	expect(
		await page.evaluate(() => (window as unknown as { imageDecodes: { count: number } }).imageDecodes.count)
	).toBe(decodesBefore);
	await expect(page.getByTestId('result-json')).toHaveCount(0);
	expect(await page.evaluate(() => (window as unknown as { postedImages: unknown[] }).postedImages)).toEqual(
		[]
	);
});

test('a 3000×2000 image crosses to the worker downscaled to 1024×683', async ({ page, app }) => {
	await page.addInitScript(watchImages);
	await page.goto(`${app.url}image-classification?device=wasm&model=${IMAGE_MODEL}`);
	await page.getByTestId('image-file').setInputFiles({
		name: 'wide.png',
		mimeType: 'image/png',
		buffer: largeSolidPng(3000, 2000, [10, 30, 230])
	});
	const preview = page.getByTestId('image-preview');
	await expect(preview).toHaveAttribute('data-width', '1024');
	await expect(preview).toHaveAttribute('data-height', '683');
	await expect(page.getByTestId('image-size')).toHaveText(
		'Scaled down from 3000×2000 to 1024×683 pixels before it goes to the model.'
	);
	await page.getByTestId('run').click();
	await expect(page.getByTestId('label-scores').locator('li').first()).toHaveAttribute('data-label', 'blue');
	const posted = await page.evaluate(
		() =>
			(window as unknown as { postedImages: { width: number; height: number; bytes: number }[] }).postedImages
	);
	expect(posted).toContainEqual({ width: 1024, height: 683, bytes: 1024 * 683 * 4 });
	expect(posted.every((image) => image.width <= 1024 && image.height <= 1024)).toBe(true);
});

test('a corrupt WAV and a cut-short WAV get clear messages and nothing runs', async ({ page, app }) => {
	await page.goto(`${app.url}audio-classification?device=wasm&model=${SOUND_MODEL}`);
	const file = page.getByTestId('audio-file');
	await file.setInputFiles({ name: 'tone.wav', mimeType: 'audio/wav', buffer: toneWav(1) });
	await expect(page.getByTestId('audio-player')).toBeVisible();

	// A RIFF/WAVE header and then noise where the format and samples should be.
	const garbage = Buffer.from(Array.from({ length: 400 }, (_, i) => (i * 73 + 11) & 255));
	const corrupt = Buffer.concat([
		Buffer.from('RIFF'),
		Buffer.from([0x9c, 1, 0, 0]),
		Buffer.from('WAVE'),
		garbage
	]);
	await file.setInputFiles({ name: 'corrupt.wav', mimeType: 'audio/wav', buffer: corrupt });
	await expect(page.getByTestId('audio-problem')).toContainText(
		'corrupt.wav is not audio this browser can read'
	);
	await expect(page.getByTestId('audio-player')).toHaveCount(0);
	await expect(page.getByTestId('run')).toBeDisabled();

	// A whole header promising a second, and ten bytes of it: browsers would decode the ten bytes.
	const cut = Buffer.concat([wavHeader(32_000), Buffer.alloc(10, 7)]);
	await file.setInputFiles({ name: 'cut.wav', mimeType: 'audio/wav', buffer: cut });
	await expect(page.getByTestId('audio-problem')).toHaveText(
		'cut.wav: the file is cut short: its header promises 1.0 s of audio but holds only 0.0 s.'
	);
	await expect(page.getByTestId('run')).toBeDisabled();
	await expect(page.getByTestId('result-json')).toHaveCount(0);
});

test('a recording shows its level and time, and stops by itself at the limit with a note', async ({
	app
}) => {
	await withBrowser(FAKE_CAMERA, async (page) => {
		// The page's clock is Playwright's, so the 30 s limit can pass without waiting 30 s.
		await page.clock.install();
		await page.goto(`${app.url}audio-classification?device=wasm&model=${SOUND_MODEL}`);
		await expect(async () => {
			await page.getByTestId('audio-record').click();
			await expect(page.getByTestId('audio-level')).toBeVisible({ timeout: 1000 });
		}).toPass();
		await expect(page.getByTestId('audio-elapsed')).toContainText('of 30.0 s');
		await page.clock.runFor(1000);
		await page.clock.fastForward(29_500);
		await page.clock.runFor(1000);
		await expect(page.getByTestId('audio-level')).toHaveCount(0);
		await expect(page.getByTestId('audio-record')).toHaveText('Record from the microphone');
		await expect(page.getByTestId('audio-limit-note')).toHaveText(
			'The recording stopped by itself at the 30.0 s limit.'
		);
		await expect(page.getByTestId('audio-player')).toBeVisible();
		await page.getByTestId('run').click();
		expect((await resultLabels(page)).sort()).toEqual(['silence', 'sound']);
	});
});

// Voice activity detection and OCR end to end, with the real Silero VAD v5 and PP-OCRv4 models from the hub run
// by the tasks' own ONNX Runtime pipelines in the worker. VAD: speech spoken by espeak-ng (made here, between
// two seconds of silence) is found where it is, pure silence has none, and a share link naming the built-in
// voice-like sample runs with no network. OCR: a line of text drawn on a canvas in the page and uploaded as a
// PNG is read exactly, and so is the built-in sample a share link names.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, taskUrl, test } from './fixtures';

const VAD = 'snakers4/silero-vad';
const OCR = 'PaddlePaddle/PP-OCRv4-mobile';

/** A 16-bit PCM mono WAV of the samples. */
function wav(samples: Int16Array, rate: number): Buffer {
	const out = Buffer.alloc(44 + samples.length * 2);
	out.write('RIFF', 0, 'latin1');
	out.writeUInt32LE(out.length - 8, 4);
	out.write('WAVEfmt ', 8, 'latin1');
	out.writeUInt32LE(16, 16);
	out.writeUInt16LE(1, 20);
	out.writeUInt16LE(1, 22);
	out.writeUInt32LE(rate, 24);
	out.writeUInt32LE(rate * 2, 28);
	out.writeUInt16LE(2, 32);
	out.writeUInt16LE(16, 34);
	out.write('data', 36, 'latin1');
	out.writeUInt32LE(samples.length * 2, 40);
	samples.forEach((sample, i) => out.writeInt16LE(sample, 44 + i * 2));
	return out;
}

/**
 * Speech from espeak-ng (Debian's espeak-ng package) with `silence` seconds of silence before and after, and
 * how long the speech itself is.
 */
function spokenWav(text: string, silence: number): { wav: Buffer; speechSeconds: number } {
	const dir = mkdtempSync(join(tmpdir(), 'browserve-espeak-'));
	try {
		const file = join(dir, 'speech.wav');
		try {
			execFileSync('espeak-ng', ['-w', file, text]);
		} catch (error) {
			throw new Error('espeak-ng is needed to speak the test clip (apt-get install espeak-ng).', {
				cause: error
			});
		}
		const spoken = readFileSync(file);
		// espeak-ng writes a plain 44-byte header: mono 16-bit PCM at the rate in bytes 24–27.
		const rate = spoken.readUInt32LE(24);
		const speech = new Int16Array(
			spoken.buffer.slice(spoken.byteOffset + 44, spoken.byteOffset + spoken.length)
		);
		const pad = Math.round(silence * rate);
		const samples = new Int16Array(pad + speech.length + pad);
		samples.set(speech, pad);
		return { wav: wav(samples, rate), speechSeconds: speech.length / rate };
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}

async function resultJson<T>(page: Page): Promise<T> {
	return JSON.parse((await page.getByTestId('result-json').textContent()) ?? 'null') as T;
}

interface VadResult {
	duration: number;
	segments: { start: number; end: number }[];
}

test('VAD finds espeak-ng speech between silences, and none in silence', async ({ page, app }) => {
	const { wav: speech, speechSeconds } = spokenWav(
		'Hello there, this is a test of voice activity detection.',
		2
	);
	await page.goto(`${app.url}voice-activity-detection?device=wasm&model=${VAD}`);
	const file = page.getByTestId('audio-file');
	await file.setInputFiles({ name: 'speech.wav', mimeType: 'audio/wav', buffer: speech });
	await expect(page.getByTestId('audio-player')).toBeVisible();
	await page.getByTestId('run').click();
	await expect(page.getByTestId('vad-waveform')).toBeVisible();
	const found = await resultJson<VadResult>(page);
	expect(found.duration).toBeCloseTo(4 + speechSeconds, 1);
	expect(found.segments.length).toBeGreaterThan(0);
	// Speech starts after the 2 s of silence and ends before the last 2 s (give or take a window and padding).
	expect(found.segments[0]!.start).toBeGreaterThan(1.8);
	expect(found.segments[0]!.start).toBeLessThan(2.4);
	expect(found.segments.at(-1)!.end).toBeGreaterThan(2 + speechSeconds - 0.5);
	expect(found.segments.at(-1)!.end).toBeLessThan(2 + speechSeconds + 0.3);
	await expect(page.getByTestId('vad-segment')).toHaveCount(found.segments.length);
	await expect(page.getByTestId('vad-summary')).toContainText(/speech segments?:/);
	await expect(page.getByTestId('backend')).toHaveText('wasm');

	const silence = wav(new Int16Array(3 * 16_000), 16_000);
	await file.setInputFiles({ name: 'silence.wav', mimeType: 'audio/wav', buffer: silence });
	await expect(page.getByTestId('audio-duration')).toHaveText('3.0 s');
	await page.getByTestId('run').click();
	await expect(page.getByTestId('vad-summary')).toHaveText('No speech in 3.0 s.');
	expect((await resultJson<VadResult>(page)).segments).toEqual([]);
	await expect(page.getByTestId('vad-segment')).toHaveCount(0);
});

test('a VAD share link naming the built-in voice runs with no network', async ({ page, app }) => {
	await page.goto(
		taskUrl(app, 'voice-activity-detection', { model: VAD, sample: 'voice', run: '1', device: 'wasm' })
	);
	await expect(page.getByTestId('vad-segment')).toHaveCount(1);
	const found = await resultJson<VadResult>(page);
	expect(found.duration).toBe(4);
	expect(found.segments[0]!.start).toBeGreaterThan(0.85);
	expect(found.segments[0]!.end).toBeLessThan(3.2);
});

test('a VAD link with a bad threshold is refused by name', async ({ page, app }) => {
	await page.goto(taskUrl(app, 'voice-activity-detection', { sample: 'voice', threshold: '2' }));
	await expect(page.getByTestId('link-issues').locator('[data-param="threshold"]')).toContainText(
		'threshold must be a number between 0 and 1'
	);
});

/** A PNG of dark text on a white line, drawn by the page's own canvas (so with a real font). */
async function renderedText(page: Page, text: string): Promise<Buffer> {
	const bytes = await page.evaluate(async (line) => {
		const canvas = new OffscreenCanvas(640, 120);
		const context = canvas.getContext('2d')!;
		context.fillStyle = '#fff';
		context.fillRect(0, 0, canvas.width, canvas.height);
		context.fillStyle = '#111';
		context.font = '48px sans-serif';
		context.textBaseline = 'middle';
		context.fillText(line, 24, 60);
		const blob = await canvas.convertToBlob({ type: 'image/png' });
		return Array.from(new Uint8Array(await blob.arrayBuffer()));
	}, text);
	return Buffer.from(bytes);
}

interface OcrResult {
	text: string;
	regions: { text: string; box: { x: number; y: number; width: number; height: number } }[];
	rgba: unknown;
}

test('OCR reads a line of text drawn in the page exactly', async ({ page, app }) => {
	await page.goto(`${app.url}ocr?device=wasm&model=${OCR}`);
	const png = await renderedText(page, 'HELLO WORLD 2024');
	await page
		.getByTestId('image-file')
		.setInputFiles({ name: 'line.png', mimeType: 'image/png', buffer: png });
	await expect(page.getByTestId('image-preview')).toBeVisible();
	await page.getByTestId('run').click();
	await expect(page.getByTestId('ocr-text')).toHaveValue('HELLO WORLD 2024');
	const read = await resultJson<OcrResult>(page);
	expect(read.text).toBe('HELLO WORLD 2024');
	// The image's bytes stay out of the JSON (a short note at most, never 300 000 numbers).
	expect(JSON.stringify(read.rgba).length).toBeLessThan(100);
	const box = read.regions[0]!.box;
	// The text was drawn from x = 24 around y = 60.
	expect(box.x).toBeGreaterThan(5);
	expect(box.x).toBeLessThan(30);
	expect(box.y).toBeLessThan(60);
	expect(box.y + box.height).toBeGreaterThan(60);
	await expect(page.getByTestId('ocr-canvas')).toBeVisible();
	await expect(page.getByTestId('ocr-region').first()).toContainText('HELLO WORLD 2024');
});

test('an OCR share link naming a built-in sample runs with no network', async ({ page, app }) => {
	await page.goto(taskUrl(app, 'ocr', { model: OCR, sample: 'door', run: '1', device: 'wasm' }));
	await expect(page.getByTestId('ocr-text')).toHaveValue('OLD RED DOOR 42');
	expect((await resultJson<OcrResult>(page)).text).toBe('OLD RED DOOR 42');
	await expect(page.getByTestId('ocr-regions')).toBeVisible();
});

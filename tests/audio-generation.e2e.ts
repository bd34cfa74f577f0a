// Audio generation end to end: share links to text-to-speech and text-to-audio run the generated tiny-voice
// (each character a tenth of a second of a known tone) in the worker, and the page must play a clip of the right
// length, draw its waveform with the pause where the space is, save it as a WAV with the right header, and show
// a short result JSON. Zero-shot audio classification runs tiny-clap on a built-in tone named in a link and on
// an uploaded WAV made here, and must put the right pitch label first.

import { readFile } from 'node:fs/promises';
import type { Page } from '@playwright/test';
import { expect, taskUrl, test } from './fixtures';
import { toneWav } from './audio-clips';

const VOICE = 'browserve/tiny-voice';
const CLAP = 'browserve/tiny-clap';
/** tiny-voice: 16 kHz, 1,600 samples (0.1 s) a character, letters at amplitude 0.5. */
const RATE = 16_000;
const PER_CHARACTER = 1_600;

async function resultJson<T>(page: Page): Promise<T> {
	return JSON.parse((await page.getByTestId('result-json').textContent()) ?? 'null') as T;
}

/** The player's duration once the browser has read the clip's header. */
async function playerSeconds(page: Page): Promise<number> {
	return page.getByTestId('speech-player').evaluate(
		(element) =>
			new Promise<number>((resolve, reject) => {
				const audio = element as HTMLAudioElement;
				if (audio.readyState >= 1) resolve(audio.duration);
				audio.addEventListener('loadedmetadata', () => resolve(audio.duration), { once: true });
				audio.addEventListener('error', () => reject(new Error('the player could not read the clip')), {
					once: true
				});
			})
	);
}

/** For each fifth of the waveform canvas, whether anything is drawn well above the centre line. */
async function loudFifths(page: Page): Promise<boolean[]> {
	return page.getByTestId('speech-waveform').evaluate((element) => {
		const canvas = element as HTMLCanvasElement;
		const context = canvas.getContext('2d');
		if (!context) throw new Error('no 2d context');
		// A sample of amplitude 0.5 reaches a quarter of the height above the centre; probe a little below that.
		const row = Math.round(canvas.height * 0.3);
		const pixels = context.getImageData(0, row, canvas.width, 1).data;
		const fifth = canvas.width / 5;
		return [0, 1, 2, 3, 4].map((part) => {
			for (let x = Math.floor(part * fifth + 4); x < Math.floor((part + 1) * fifth - 4); x++)
				if ((pixels[x * 4 + 3] ?? 0) > 0) return true;
			return false;
		});
	});
}

interface SpeechJson {
	samplingRate: number;
	samples: number;
	seconds: number;
	peak: number;
	audio: unknown;
}

test('a text-to-speech link speaks, plays, draws and saves the clip', async ({ page, app }) => {
	await page.goto(taskUrl(app, 'text-to-speech', { model: VOICE, text: 'Hi zz', run: '1', device: 'wasm' }));
	await expect(page.getByTestId('speech-waveform')).toHaveAttribute('data-drawn', String(5 * PER_CHARACTER));
	await expect(page.getByTestId('backend')).toHaveText('wasm');

	// The JSON is a summary: the rate and length, never the samples themselves.
	const json = await resultJson<SpeechJson>(page);
	expect(json).toMatchObject({
		samplingRate: RATE,
		samples: 5 * PER_CHARACTER,
		seconds: 0.5,
		audio: `ArrayBuffer (${5 * PER_CHARACTER * 4} bytes)`
	});
	expect(json.peak).toBeCloseTo(0.5, 2);
	expect((await page.getByTestId('result-json').textContent())!.length).toBeLessThan(200);

	await expect(page.getByTestId('speech-rate')).toHaveText('16 kHz');
	await expect(page.getByTestId('speech-duration')).toHaveText('0.5 s');
	expect(await playerSeconds(page)).toBeCloseTo(0.5, 2);
	// "Hi zz": h, i, the space, z, z — only the middle fifth is a pause.
	expect(await loudFifths(page)).toEqual([true, true, false, true, true]);

	const [download] = await Promise.all([
		page.waitForEvent('download'),
		page.getByTestId('speech-download').click()
	]);
	expect(download.suggestedFilename()).toBe('speech.wav');
	const wav = await readFile(await download.path());
	expect(wav.toString('latin1', 0, 4)).toBe('RIFF');
	expect(wav.toString('latin1', 8, 16)).toBe('WAVEfmt ');
	expect(wav.readUInt16LE(22)).toBe(1);
	expect(wav.readUInt32LE(24)).toBe(RATE);
	expect(wav.readUInt32LE(40)).toBe(5 * PER_CHARACTER * 2);
	expect(wav.length).toBe(44 + 5 * PER_CHARACTER * 2);
	// Sample 33 of "h" (372 Hz) is 0.5·sin(2π·372·33/16000) of full scale.
	expect(wav.readInt16LE(44 + 33 * 2) / 0x7fff).toBeCloseTo(
		0.5 * Math.sin((2 * Math.PI * 372 * 33) / RATE),
		3
	);
});

test('text-to-audio runs the same model and form on its own page', async ({ page, app }) => {
	await page.goto(taskUrl(app, 'text-to-audio', { model: VOICE, text: 'ab.', run: '1', device: 'wasm' }));
	await expect(page.getByTestId('speech-waveform')).toHaveAttribute('data-drawn', String(3 * PER_CHARACTER));
	expect(await resultJson<SpeechJson>(page)).toMatchObject({
		samplingRate: RATE,
		samples: 3 * PER_CHARACTER
	});
	expect(await playerSeconds(page)).toBeCloseTo(0.3, 2);
	await expect(page.getByLabel('Text', { exact: true })).toHaveValue('ab.');
});

test('a speech link with a bad speaker embeddings address is refused by name', async ({ page, app }) => {
	await page.goto(
		taskUrl(app, 'text-to-speech', {
			model: VOICE,
			text: 'hello',
			speaker_embeddings: 'javascript:alert(1)',
			run: '1'
		})
	);
	await expect(page.getByTestId('link-issues').locator('[data-param="speaker_embeddings"]')).toContainText(
		'speaker_embeddings must be an http:// or https:// address'
	);
	await expect(page.getByTestId('result-json')).toHaveCount(0);
});

const topLabel = (page: Page) => page.getByTestId('label-scores').locator('li').first();

test('a zero-shot audio link naming the low tone puts "low" first', async ({ page, app }) => {
	await page.goto(
		taskUrl(app, 'zero-shot-audio-classification', {
			model: CLAP,
			sample: 'low',
			labels: 'high,low,dog',
			run: '1',
			device: 'wasm'
		})
	);
	await expect(topLabel(page)).toHaveAttribute('data-label', 'low');
	const scores = await resultJson<{ label: string; score: number }[]>(page);
	expect(scores.map((item) => item.label)).toEqual(['low', 'dog', 'high']);
	expect(scores[0]!.score).toBeGreaterThan(0.9);
	await expect(page.getByTestId('audio-player')).toBeVisible();
	await expect(page.getByTestId('label-chips').locator('li')).toHaveCount(3);
});

test('an uploaded high tone is heard as high among labels typed as chips', async ({ page, app }) => {
	await page.goto(`${app.url}zero-shot-audio-classification?device=wasm&model=${CLAP}`);
	await page
		.getByTestId('audio-file')
		.setInputFiles({ name: 'whistle.wav', mimeType: 'audio/wav', buffer: toneWav(3_000, 0.5) });
	await expect(page.getByTestId('audio-duration')).toHaveText('1.0 s');
	const field = page.locator('#task-labels');
	await field.fill('bass');
	await field.press('Enter');
	await field.fill('treble');
	await field.press('Enter');
	await expect(page.getByTestId('label-chips').locator('li')).toHaveCount(2);
	await page.getByTestId('run').click();
	await expect(topLabel(page)).toHaveAttribute('data-label', 'treble');
	expect((await resultJson<{ label: string }[]>(page)).map((item) => item.label)).toEqual(['treble', 'bass']);
});

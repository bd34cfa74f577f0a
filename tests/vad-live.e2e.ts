// Live voice activity detection end to end, with the real Silero VAD v5 from the hub: Chromium's fake
// microphone plays a WAV of espeak-ng speech between silences (made here); while the page listens, the speech
// shows as going on and then as a segment in the live results; Stop ends the run with the full list, which
// holds the speech. A refused microphone gets the message saying how to allow it.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS } from '../scripts/chromium.ts';
import { expect, test } from './fixtures';

const VAD = 'snakers4/silero-vad';
const SILENCE_BEFORE = 1.5;
const SILENCE_AFTER = 4;
const MIN_SILENCE_MS = 700;

/**
 * A 16-bit mono WAV: espeak-ng's speech of `text` with silence before and after, and how long the speech is.
 * espeak-ng (Debian's espeak-ng package) writes a plain 44-byte header with its rate in bytes 24–27.
 */
function speechBetweenSilences(dir: string, text: string): { path: string; speechSeconds: number } {
	const spokenPath = join(dir, 'spoken.wav');
	try {
		execFileSync('espeak-ng', ['-w', spokenPath, text]);
	} catch (error) {
		throw new Error('espeak-ng is needed to speak the test clip (apt-get install espeak-ng).', {
			cause: error
		});
	}
	const spoken = readFileSync(spokenPath);
	const rate = spoken.readUInt32LE(24);
	const speech = spoken.subarray(44);
	const before = Buffer.alloc(Math.round(SILENCE_BEFORE * rate) * 2);
	const after = Buffer.alloc(Math.round(SILENCE_AFTER * rate) * 2);
	const data = Buffer.concat([before, speech, after]);
	const header = Buffer.from(spoken.subarray(0, 44));
	header.writeUInt32LE(36 + data.length, 4);
	header.writeUInt32LE(data.length, 40);
	const path = join(dir, 'microphone.wav');
	writeFileSync(path, Buffer.concat([header, data]));
	return { path, speechSeconds: speech.length / 2 / rate };
}

interface VadResult {
	duration: number;
	segments: { start: number; end: number }[];
}

test('live listening shows speech as it is heard, and Stop lists it', async ({ app }) => {
	const dir = mkdtempSync(join(tmpdir(), 'browserve-vad-live-'));
	const { path, speechSeconds } = speechBetweenSilences(
		dir,
		'Hello there, this is a live test of voice activity detection.'
	);
	const browser = await chromium.launch({
		executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
		args: [
			...CHROMIUM_ARGS,
			'--use-fake-ui-for-media-stream',
			'--use-fake-device-for-media-stream',
			// Chromium loops the file; the test stops before the speech comes round again.
			`--use-file-for-fake-audio-capture=${path}`
		]
	});
	try {
		const page = await browser.newPage();
		const errors: string[] = [];
		page.on('pageerror', (error) => errors.push(error.message));
		// Pauses longer than espeak-ng's between phrases split speech: the sentence is one segment.
		await page.goto(
			`${app.url}voice-activity-detection?device=wasm&model=${VAD}&min_silence_ms=${MIN_SILENCE_MS}`
		);
		await expect(async () => {
			await page.getByTestId('vad-live-start').click();
			await expect(page.getByTestId('vad-listening')).toBeVisible({ timeout: 1000 });
		}).toPass();
		// Keyboard users land on Stop; the model loads before the page says it listens.
		await expect(page.getByTestId('vad-live-stop')).toBeFocused();
		await expect(page.getByTestId('vad-listening')).toHaveText('Listening', { timeout: 60_000 });
		// The trace scrolls as audio comes in; speech shows as going on before it has ended…
		await expect(page.getByTestId('vad-live-trace')).toBeVisible();
		await expect(page.getByTestId('vad-live-now')).toContainText('Speech since', { timeout: 30_000 });
		// …and as a segment once the silence after it has lasted min_silence_ms. Listening began somewhere in
		// the looping file, so the first may be cut short: wait for one that holds the whole sentence.
		const liveSegments = async () =>
			page
				.getByTestId('vad-live-segment')
				.evaluateAll((items) =>
					items.map((item) => ({ start: Number(item.dataset.start), end: Number(item.dataset.end) }))
				);
		const whole = (segment: { start: number; end: number }) =>
			segment.end - segment.start > speechSeconds - 0.8 && segment.end - segment.start < speechSeconds + 0.5;
		await expect.poll(async () => (await liveSegments()).some(whole), { timeout: 40_000 }).toBe(true);
		await expect(page.getByTestId('vad-listening')).toHaveText('Listening');
		const seen = await liveSegments();

		await page.keyboard.press('Enter');
		await expect(page.getByTestId('result')).toBeVisible();
		await expect(page.getByTestId('vad-live-start')).toBeEnabled();
		await expect(page.getByTestId('vad-listening')).toHaveCount(0);
		const found = JSON.parse((await page.getByTestId('result-json').textContent()) ?? 'null') as VadResult;
		// The full list has every segment the live view showed, exactly, in the whole session's time.
		expect(found.segments).toEqual(expect.arrayContaining(seen));
		expect(found.segments.some(whole)).toBe(true);
		expect(found.duration).toBeGreaterThanOrEqual(seen.at(-1)!.end);
		await expect(page.getByTestId('vad-segment')).toHaveCount(found.segments.length);
		await expect(page.getByTestId('vad-summary')).toContainText(/speech segments?:/);
		await expect(page.getByRole('button', { name: 'Download CSV' })).toBeVisible();
		await expect(page.getByTestId('backend')).toHaveText('wasm');
		expect(errors).toEqual([]);
	} finally {
		await browser.close();
		rmSync(dir, { recursive: true, force: true });
	}
});

test('a refused microphone says how to allow it, and nothing runs', async ({ page, app }) => {
	await page.addInitScript(() => {
		navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException('denied', 'NotAllowedError'));
	});
	await page.goto(`${app.url}voice-activity-detection?device=wasm&model=${VAD}`);
	await expect(async () => {
		await page.getByTestId('vad-live-start').click();
		await expect(page.getByTestId('vad-live-problem')).toContainText('microphone was not allowed', {
			timeout: 1000
		});
	}).toPass();
	await expect(page.getByTestId('vad-live-start')).toBeEnabled();
	await expect(page.getByTestId('result')).toHaveCount(0);
});

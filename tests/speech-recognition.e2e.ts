// Automatic speech recognition end to end: share links naming built-in tone clips run the generated
// tiny-whisper in the worker (exact transcripts, Whisper's language option, timestamped segments); the 70 s clip
// runs as three 30 s windows and the page shows "chunk k of 3" progress before the merged transcript; an
// uploaded 44.1 kHz WAV is decoded and resampled on the page; bad link values are refused by name.

import type { Page } from '@playwright/test';
import { expect, taskUrl, test } from './fixtures';
import { tonesWav } from './audio-clips';

const MODEL = 'browserve/tiny-whisper';
const TASK = 'automatic-speech-recognition';

interface Transcript {
	text: string;
	chunks?: { timestamp: [number, number]; text: string }[];
	stopped: boolean;
}

async function resultJson(page: Page): Promise<Transcript> {
	return JSON.parse((await page.getByTestId('result-json').textContent()) ?? 'null') as Transcript;
}

/** Table rows of the rendered segments as [from, to, text]. */
async function segmentRows(page: Page): Promise<string[][]> {
	return page
		.getByTestId('transcript-chunk')
		.evaluateAll((rows) =>
			rows.map((row) => [...row.querySelectorAll('td')].map((cell) => cell.textContent ?? ''))
		);
}

test('a share link naming the high tone transcribes it as “high”', async ({ page, app }) => {
	await page.goto(taskUrl(app, TASK, { model: MODEL, sample: 'high', run: '1', device: 'wasm' }));
	await expect(page.getByTestId('transcript-text')).toHaveText('high');
	expect(await resultJson(page)).toEqual({ text: 'high', stopped: false });
	await expect(page.getByTestId('transcript-chunks')).toHaveCount(0);
	await expect(page.getByTestId('backend')).toHaveText('wasm');
	await expect(page.getByTestId('audio-player')).toBeVisible();
});

test('language and timestamps from the link give French words with their times', async ({ page, app }) => {
	await page.goto(
		taskUrl(app, TASK, {
			model: MODEL,
			sample: 'bursts',
			language: 'fr',
			timestamps: '1',
			run: '1',
			device: 'wasm'
		})
	);
	await expect(page.getByTestId('transcript-text')).toHaveText('aigu grave');
	expect(await segmentRows(page)).toEqual([
		['0:02.00', '0:03.50', 'aigu'],
		['0:04.50', '0:05.50', 'grave']
	]);
	expect(await resultJson(page)).toEqual({
		text: 'aigu grave',
		chunks: [
			{ timestamp: [2, 3.5], text: 'aigu' },
			{ timestamp: [4.5, 5.5], text: 'grave' }
		],
		stopped: false
	});
	await expect(page.getByLabel('Spoken language')).toHaveValue('fr');
	await expect(page.getByRole('button', { name: 'Download subtitles (.srt)' })).toBeVisible();

	// The task option: translate writes English whatever the spoken language.
	await page.getByLabel('Task').selectOption('translate');
	await page.getByTestId('run').click();
	await expect(page.getByTestId('transcript-text')).toHaveText('high low');
	expect(new URL(page.url()).searchParams.get('task')).toBe('translate');
});

test('a 70 s clip runs as three windows, showing chunk progress, then the merged transcript', async ({
	page,
	app
}) => {
	// Records every progress line the page shows, however briefly, from before the run starts.
	await page.addInitScript(() => {
		const seen: string[] = [];
		(window as unknown as { asrProgress: string[] }).asrProgress = seen;
		new MutationObserver(() => {
			const line = document.querySelector('[data-testid="asr-progress-status"]')?.textContent?.trim();
			if (line && seen.at(-1) !== line) seen.push(line);
		}).observe(document, { subtree: true, childList: true, characterData: true });
	});
	await page.goto(
		taskUrl(app, TASK, { model: MODEL, sample: 'long', timestamps: '1', run: '1', device: 'wasm' })
	);
	await expect(page.getByTestId('audio-duration')).toHaveText('1:10');
	await expect(page.getByTestId('transcript-text')).toHaveText('high low high low');
	const progress = await page.evaluate(() => (window as unknown as { asrProgress: string[] }).asrProgress);
	expect(progress).toEqual([
		'Transcribing chunk 1 of 3',
		'Transcribing chunk 2 of 3',
		'Transcribing chunk 3 of 3'
	]);
	expect(await segmentRows(page)).toEqual([
		['0:10.00', '0:12.00', 'high'],
		['0:22.00', '0:24.00', 'low'],
		['0:35.00', '0:37.00', 'high'],
		['1:00.00', '1:02.00', 'low']
	]);
	expect(await resultJson(page)).toEqual({
		text: 'high low high low',
		chunks: [
			{ timestamp: [10, 12], text: 'high' },
			{ timestamp: [22, 24], text: 'low' },
			{ timestamp: [35, 37], text: 'high' },
			{ timestamp: [60, 62], text: 'low' }
		],
		stopped: false
	});
});

test('an uploaded 44.1 kHz WAV is decoded, resampled and transcribed', async ({ page, app }) => {
	await page.goto(`${app.url}${TASK}?device=wasm&model=${MODEL}`);
	const silence = (seconds: number) => ({ frequency: 0, amplitude: 0, seconds });
	await page.getByTestId('audio-file').setInputFiles({
		name: 'tones.wav',
		mimeType: 'audio/wav',
		buffer: tonesWav([silence(1), { frequency: 300, amplitude: 0.5, seconds: 1 }, silence(1)])
	});
	await expect(page.getByTestId('audio-duration')).toHaveText('3.0 s');
	await page.getByLabel('Timestamps for each segment').check();
	await page.getByTestId('run').click();
	await expect(page.getByTestId('transcript-text')).toHaveText('low');
	expect(await segmentRows(page)).toEqual([['0:01.00', '0:02.00', 'low']]);
});

test('bad link values are refused by name and nothing runs', async ({ page, app }) => {
	await page.goto(
		taskUrl(app, TASK, { model: MODEL, sample: 'high', task: 'summarize', stride_length_s: '40', run: '1' })
	);
	const issues = page.getByTestId('link-issues');
	await expect(issues.locator('[data-param="task"]')).toContainText('task must be transcribe or translate');
	await expect(issues.locator('[data-param="stride_length_s"]')).toContainText('stride_length_s');
	await expect(page.getByTestId('result-json')).toHaveCount(0);
});

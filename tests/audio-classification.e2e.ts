// Audio classification end to end: WAV files made here (a tone, silence) are decoded and resampled on the page
// and classified by the generated tiny-sound model in the worker; a text file named .wav gets a clear message
// and runs nothing; addresses on a small loopback server made here are fetched (or refused by name); a share
// link naming the built-in tone runs with no network; Chromium's fake microphone records a clip.

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Page } from '@playwright/test';
import { CHROMIUM_ARGS } from '../scripts/chromium.ts';
import { expect, taskUrl, test } from './fixtures';
import { toneWav } from './audio-clips';

const MODEL = 'browserve/tiny-sound';

let server: Server;
let audioHost = '';

test.beforeAll(async () => {
	const tone = toneWav(440, 0.5, 0.5, 22_050);
	server = createServer((request, response) => {
		const cors = { 'access-control-allow-origin': '*' };
		switch (request.url) {
			case '/tone.wav':
				response.writeHead(200, { ...cors, 'content-type': 'audio/wav' }).end(tone);
				break;
			case '/no-cors.wav':
				response.writeHead(200, { 'content-type': 'audio/wav' }).end(tone);
				break;
			case '/page.wav':
				response.writeHead(200, { ...cors, 'content-type': 'text/html' }).end('<p>not audio</p>');
				break;
			default:
				response.writeHead(404, cors).end();
		}
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	audioHost = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

test.afterAll(async () => {
	await new Promise((resolve) => server.close(resolve));
});

async function resultLabels(page: Page): Promise<string[]> {
	const text = await page.getByTestId('result-json').textContent();
	return (JSON.parse(text ?? '[]') as { label: string }[]).map((item) => item.label);
}

const topLabel = (page: Page) => page.getByTestId('label-scores').locator('li').first();

test('an uploaded tone is heard as sound and uploaded silence as silence', async ({ page, app }) => {
	await page.goto(`${app.url}audio-classification?device=wasm&model=${MODEL}`);
	const file = page.getByTestId('audio-file');
	await file.setInputFiles({ name: 'tone.wav', mimeType: 'audio/wav', buffer: toneWav(440, 0.5) });
	await expect(page.getByTestId('audio-player')).toBeVisible();
	await expect(page.getByTestId('audio-duration')).toHaveText('1.0 s');
	await expect(page.getByTestId('audio-local-note')).toContainText('share links');
	await page.getByTestId('run').click();
	await expect(topLabel(page)).toHaveAttribute('data-label', 'sound');
	expect((await resultLabels(page))[0]).toBe('sound');
	await expect(page.getByTestId('backend')).toHaveText('wasm');

	await file.setInputFiles({ name: 'quiet.wav', mimeType: 'audio/wav', buffer: toneWav(440, 0, 2) });
	await expect(page.getByTestId('audio-duration')).toHaveText('2.0 s');
	await page.getByTestId('run').click();
	await expect(topLabel(page)).toHaveAttribute('data-label', 'silence');
	expect((await resultLabels(page))[0]).toBe('silence');
});

test('a text file named .wav and an empty file get clear messages and nothing runs', async ({
	page,
	app
}) => {
	await page.goto(`${app.url}audio-classification?device=wasm&model=${MODEL}`);
	const file = page.getByTestId('audio-file');
	await file.setInputFiles({
		name: 'notes.wav',
		mimeType: 'audio/wav',
		buffer: Buffer.from('just some text')
	});
	await expect(page.getByTestId('audio-problem')).toContainText('notes.wav is not audio');
	await expect(page.getByTestId('run')).toBeDisabled();
	await file.setInputFiles({ name: 'empty.wav', mimeType: 'audio/wav', buffer: Buffer.alloc(0) });
	await expect(page.getByTestId('audio-problem')).toContainText('empty.wav is empty');
	await expect(page.getByTestId('run')).toBeDisabled();
	await expect(page.getByTestId('audio-player')).toHaveCount(0);
	await expect(page.getByTestId('result-json')).toHaveCount(0);
});

test('a share link naming the built-in tone runs with no network', async ({ page, app }) => {
	await page.goto(
		taskUrl(app, 'audio-classification', { model: MODEL, sample: 'tone', run: '1', device: 'wasm' })
	);
	await expect(topLabel(page)).toHaveAttribute('data-label', 'sound');
	expect(await resultLabels(page)).toEqual(['sound', 'silence']);
	await expect(page.getByTestId('audio-player')).toBeVisible();
	await expect(page.getByTestId('audio-local-note')).toHaveCount(0);
});

test('a link whose audio is not a web address is refused by name', async ({ page, app }) => {
	await page.goto(taskUrl(app, 'audio-classification', { audio: 'javascript:alert(1)', run: '1' }));
	await expect(page.getByTestId('link-issues').locator('[data-param="audio"]')).toContainText(
		'audio must be an http:// or https:// address'
	);
});

test('a share link with an audio address fetches it and runs', async ({ page, app }) => {
	await page.goto(
		taskUrl(app, 'audio-classification', {
			model: MODEL,
			audio: `${audioHost}/tone.wav`,
			top_k: '1',
			run: '1',
			device: 'wasm'
		})
	);
	await expect(topLabel(page)).toHaveAttribute('data-label', 'sound');
	expect(await resultLabels(page)).toEqual(['sound']);
	await expect(page.getByLabel('Audio address')).toHaveValue(`${audioHost}/tone.wav`);
	await expect(page.getByTestId('audio-duration')).toHaveText('0.5 s');
});

test('hosts that refuse an audio address get a message naming the problem', async ({ page, app }) => {
	const cases = [
		['no-cors.wav', /CORS/],
		['page.wav', /not audio: the host sent “text\/html”/],
		['missing.wav', /HTTP 404/]
	] as const;
	for (const [path, message] of cases) {
		await page.goto(
			taskUrl(app, 'audio-classification', { model: MODEL, audio: `${audioHost}/${path}`, run: '1' })
		);
		await expect(page.getByTestId('audio-problem')).toContainText(message);
		await expect(page.getByTestId('run')).toBeDisabled();
	}
	await expect(page.getByTestId('result-json')).toHaveCount(0);
});

test('a refused microphone gets a message saying how to allow it', async ({ page, app }) => {
	await page.addInitScript(() => {
		navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException('denied', 'NotAllowedError'));
	});
	await page.goto(`${app.url}audio-classification?device=wasm&model=${MODEL}`);
	await expect(async () => {
		await page.getByTestId('audio-record').click();
		await expect(page.getByTestId('audio-problem')).toContainText('microphone was not allowed', {
			timeout: 1000
		});
	}).toPass();
	await expect(page.getByTestId('run')).toBeDisabled();
});

test('Chromium’s fake microphone records a clip that runs', async ({ app }) => {
	const browser = await chromium.launch({
		executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
		args: [...CHROMIUM_ARGS, '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream']
	});
	try {
		const page = await browser.newPage();
		await page.goto(`${app.url}audio-classification?device=wasm&model=${MODEL}`);
		await expect(async () => {
			await page.getByTestId('audio-record').click();
			await expect(page.getByTestId('audio-level')).toBeVisible({ timeout: 1000 });
		}).toPass();
		await expect(page.getByTestId('audio-record')).toHaveText('Stop recording');
		await page.waitForTimeout(1500);
		await page.getByTestId('audio-record').click();
		await expect(page.getByTestId('audio-player')).toBeVisible();
		await expect(page.getByTestId('audio-level')).toHaveCount(0);
		await page.getByTestId('run').click();
		expect((await resultLabels(page)).sort()).toEqual(['silence', 'sound']);
	} finally {
		await browser.close();
	}
});

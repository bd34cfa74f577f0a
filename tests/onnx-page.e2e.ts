// The any-ONNX page end to end: a share link naming the real Silero VAD v5 graph on the hub lists its inputs and
// outputs as the session reports them and runs it with the link's values; an .onnx file opened from disk (the
// tiny colour classifier's graph, written to a temporary file) is stored, inspected and run, first on zeros and
// then on an uploaded green image turned into a tensor; bad JSON values are refused with the input's name.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import type { Page } from '@playwright/test';
import { HUB_DIR } from '../scripts/serve/build.ts';
import { expect, taskUrl, test } from './fixtures';

const VAD = 'snakers4/silero-vad';
const GRAPH = 'onnx/model.onnx';

interface OnnxResult {
	repo: string;
	file: string;
	ran: boolean;
	io: { inputs: { name: string; type: string; shape: (number | string)[] }[] };
	results: { name: string; type: string; dims: number[]; size: number; view: string; preview: number[] }[];
}

async function resultJson(page: Page): Promise<OnnxResult> {
	return JSON.parse((await page.getByTestId('result-json').textContent()) ?? 'null') as OnnxResult;
}

/** The io rows of the form (the result repeats the table). */
function ioRow(page: Page, kind: 'input' | 'output', name: string) {
	return page.locator('form').locator(`[data-testid="onnx-io-${kind}"][data-name="${name}"]`);
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
	let c = n;
	for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
	return c >>> 0;
});

function pngChunk(type: string, data: Buffer): Buffer {
	const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
	let crc = 0xffffffff;
	for (const byte of body) crc = (CRC_TABLE[(crc ^ byte) & 0xff] ?? 0) ^ (crc >>> 8);
	const out = Buffer.alloc(body.length + 8);
	out.writeUInt32BE(data.length, 0);
	body.copy(out, 4);
	out.writeUInt32BE((crc ^ 0xffffffff) >>> 0, body.length + 4);
	return out;
}

/** A size×size PNG of one RGB colour. */
function colourPng(rgb: [number, number, number], size: number): Buffer {
	const header = Buffer.alloc(13);
	header.writeUInt32BE(size, 0);
	header.writeUInt32BE(size, 4);
	header.set([8, 2, 0, 0, 0], 8);
	const row = Buffer.from([0, ...Array.from({ length: size }, () => rgb).flat()]);
	return Buffer.concat([
		Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
		pngChunk('IHDR', header),
		pngChunk('IDAT', deflateSync(Buffer.concat(Array.from({ length: size }, () => row)))),
		pngChunk('IEND', Buffer.alloc(0))
	]);
}

test('a share link to the Silero VAD graph on the hub lists its inputs and outputs and runs it', async ({
	page,
	app
}) => {
	await page.goto(
		taskUrl(app, 'onnx', {
			repo: VAD,
			file: GRAPH,
			device: 'wasm',
			inputs: JSON.stringify({ input: { fill: 0 }, state: { fill: 0 }, sr: { json: '16000' } }),
			dims: JSON.stringify({ 'input[1]': 576 }),
			run: '1'
		})
	);
	await expect(page.locator('h1')).toHaveText('Any ONNX model');
	await expect(ioRow(page, 'input', 'input')).toHaveAttribute('data-shape', '[input[0], input[1]]');
	await expect(ioRow(page, 'input', 'input')).toHaveAttribute('data-type', 'float32');
	await expect(ioRow(page, 'input', 'state')).toHaveAttribute('data-shape', '[2, state[1], 128]');
	await expect(ioRow(page, 'input', 'sr')).toHaveAttribute('data-type', 'int64');
	await expect(ioRow(page, 'input', 'sr')).toHaveAttribute('data-shape', '[]');
	await expect(ioRow(page, 'output', 'output')).toHaveAttribute('data-type', 'float32');
	await expect(ioRow(page, 'output', 'stateN')).toBeVisible();
	// The link's fills are in the form.
	await expect(page.locator('[data-testid="onnx-fill"][data-name="sr"] textarea')).toHaveValue('16000');
	await expect(page.getByLabel('Size of dimension input[1]')).toHaveValue('576');

	const result = page.getByTestId('result');
	await expect(result.locator('[data-testid="onnx-output"][data-name="output"]')).toContainText(
		'float32 [1, 1]'
	);
	await expect(result.locator('[data-testid="onnx-output"][data-name="stateN"]')).toContainText(
		'float32 [2, 1, 128]'
	);
	await expect(result.locator('[data-testid="onnx-output"][data-name="stateN"]')).toContainText(
		'the first 100 of 256'
	);
	const json = await resultJson(page);
	expect(json.ran).toBe(true);
	expect(json.repo).toBe(VAD);
	expect(json.results.map(({ name, type, dims, view }) => ({ name, type, dims, view }))).toEqual([
		{ name: 'output', type: 'float32', dims: [1, 1], view: 'table' },
		{ name: 'stateN', type: 'float32', dims: [2, 1, 128], view: 'table' }
	]);
	// Silence is not speech.
	expect(json.results[0]!.preview[0]).toBeLessThan(0.1);
});

test('a bad JSON value is refused with a message naming its input', async ({ page, app }) => {
	await page.goto(taskUrl(app, 'onnx', { repo: VAD, file: GRAPH, device: 'wasm' }));
	const sr = page.locator('[data-testid="onnx-fill"][data-name="sr"]');
	await sr.locator('select').selectOption('json');
	await sr.locator('textarea').fill('[16000,');
	await expect(sr.getByTestId('onnx-fill-problem')).toContainText(
		'Input "sr": the values are not valid JSON'
	);
	await expect(page.getByTestId('run')).toBeDisabled();

	// The same in a link: nothing runs, and the link's problem names the input.
	await page.goto(
		taskUrl(app, 'onnx', {
			repo: VAD,
			file: GRAPH,
			device: 'wasm',
			inputs: JSON.stringify({ sr: { json: '[1,' } }),
			run: '1'
		})
	);
	await expect(page.getByTestId('link-issues')).toContainText('Input "sr": the values are not valid JSON');
	await expect(page.getByTestId('result')).toHaveCount(0);

	// Values of the wrong shape are found by the run, which names the input too.
	await page.goto(
		taskUrl(app, 'onnx', {
			repo: VAD,
			file: GRAPH,
			device: 'wasm',
			inputs: JSON.stringify({ input: { fill: 0 }, state: { json: '[1, 2, 3]' }, sr: { json: '16000' } }),
			run: '1'
		})
	);
	await expect(page.getByTestId('run-error')).toContainText(
		'Input "state": the values have shape [3] but the model takes 3 dimensions'
	);
});

test('an .onnx file opened from disk is stored, inspected and run on zeros and on an image', async ({
	page,
	app
}) => {
	const dir = mkdtempSync(join(tmpdir(), 'browserve-onnx-'));
	try {
		const file = join(dir, 'colours.onnx');
		writeFileSync(file, readFileSync(join(HUB_DIR, 'browserve/tiny-colors/onnx/model.onnx')));
		await page.goto(`${app.url}onnx?device=wasm`);
		await page.getByTestId('onnx-file').setInputFiles(file);
		await expect(page.getByTestId('onnx-local')).toContainText('colours.onnx, opened from disk');
		await expect(page.getByTestId('onnx-local')).toContainText('never travel in a share link');
		await expect(ioRow(page, 'input', 'pixel_values')).toHaveAttribute(
			'data-shape',
			'[batch_size, 3, 16, 16]'
		);
		await expect(ioRow(page, 'output', 'logits')).toHaveAttribute('data-shape', '[batch_size, 3]');

		await page.getByTestId('run').click();
		const logits = page.getByTestId('result').locator('[data-testid="onnx-output"][data-name="logits"]');
		await expect(logits).toHaveAttribute('data-view', 'topk');
		await expect(logits.getByTestId('onnx-topk').locator('li')).toHaveCount(3);
		let json = await resultJson(page);
		expect(json.repo).toMatch(/^local\/[0-9a-f]{64}$/);
		expect(json.results[0]).toMatchObject({ name: 'logits', dims: [1, 3], view: 'topk' });

		// A green image, with the model's mean and std of 0.5: logits 12 for green, -4 for red and blue.
		const pixels = page.locator('[data-testid="onnx-fill"][data-name="pixel_values"]');
		await pixels.locator('select').first().selectOption('image');
		await pixels.getByTestId('image-file').setInputFiles({
			name: 'green.png',
			mimeType: 'image/png',
			buffer: colourPng([0, 255, 0], 32)
		});
		for (const label of ['Mean R', 'Mean G', 'Mean B', 'Std R', 'Std G', 'Std B'])
			await pixels.getByLabel(label).fill('0.5');
		await expect(pixels.getByLabel('Width')).toHaveValue('16');
		await page.getByTestId('run').click();
		await expect(logits.getByTestId('onnx-topk').locator('li').first()).toHaveAttribute('data-index', '1');
		json = await resultJson(page);
		expect(json.results[0]!.preview.map((value) => Math.round(value))).toEqual([-4, 12, -4]);

		// The address (what a share link carries) names the stored graph and the image settings, not the pixels.
		const params = new URL(page.url()).searchParams;
		expect(params.get('repo')).toBe(json.repo);
		expect(params.get('file')).toBe('model.onnx');
		expect(JSON.parse(params.get('inputs') ?? '{}')).toEqual({
			pixel_values: { image: { size: [16, 16], mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5] } }
		});
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
});

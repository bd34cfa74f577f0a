// Image feature extraction end to end: two images (built-in samples named in a share link, or PNGs encoded here
// and uploaded into each picker) are embedded by the generated tiny-image-embedder in the worker and compared;
// two reds must come out alike (≈ 1) and more alike than red and blue. Bad parameters are refused by name.

import type { Page } from '@playwright/test';
import { expect, taskUrl, test, type AppUnderTest } from './fixtures';
import { resultJson, solidPng } from './images';

const MODEL = 'browserve/tiny-image-embedder';

async function similarity(page: Page): Promise<number> {
	return (await resultJson<{ similarity: number }>(page)).similarity;
}

async function linkSimilarity(page: Page, app: AppUnderTest, a: string, b: string): Promise<number> {
	await page.goto(
		taskUrl(app, 'image-feature-extraction', {
			model: MODEL,
			sample_a: a,
			sample_b: b,
			run: '1',
			device: 'wasm'
		})
	);
	await expect(page.getByTestId('image-similarity')).toBeVisible();
	return similarity(page);
}

test('share links with two reds are alike, red and blue less so', async ({ page, app }) => {
	const same = await linkSimilarity(page, app, 'red', 'red');
	expect(same).toBeCloseTo(1, 3);
	await expect(page.getByTestId('image-similarity-value')).toHaveText('1.000');
	await expect(page.getByTestId('image-a').getByTestId('image-preview')).toBeVisible();
	await expect(page.getByTestId('image-b').getByTestId('image-preview')).toBeVisible();
	expect(JSON.parse((await page.getByTestId('result-json').textContent()) ?? '{}')).toMatchObject({
		tokens: 16,
		dim: 8
	});
	await expect(page.getByTestId('backend')).toHaveText('wasm');
	const apart = await linkSimilarity(page, app, 'red', 'blue');
	expect(apart).toBeLessThan(same - 0.5);
});

test('two uploaded PNGs are compared', async ({ page, app }) => {
	await page.goto(`${app.url}image-feature-extraction?device=wasm&model=${MODEL}`);
	const upload = async (slot: 'a' | 'b', rgb: [number, number, number]) => {
		const picker = page.getByTestId(`image-${slot}`);
		await picker
			.getByTestId('image-file')
			.setInputFiles({ name: `${slot}.png`, mimeType: 'image/png', buffer: solidPng(rgb, 24) });
		await expect(picker.getByTestId('image-preview')).toBeVisible();
	};
	await upload('a', [220, 20, 20]);
	await upload('b', [240, 30, 25]);
	await page.getByTestId('run').click();
	await expect(page.getByTestId('image-similarity')).toBeVisible();
	const reds = await similarity(page);
	expect(reds).toBeGreaterThan(0.99);

	await upload('b', [20, 30, 230]);
	await page.getByTestId('run').click();
	await expect(async () => expect(await similarity(page)).toBeLessThan(reds - 0.5)).toPass();
});

test('bad image parameters are refused by name', async ({ page, app }) => {
	await page.goto(
		taskUrl(app, 'image-feature-extraction', { image_a: 'javascript:alert(1)', sample_b: 'purple', run: '1' })
	);
	const issues = page.getByTestId('link-issues');
	await expect(issues.locator('[data-param="image_a"]')).toContainText(
		'image_a must be an http:// or https://'
	);
	await expect(issues.locator('[data-param="sample_b"]')).toContainText('sample_b must be one of red');
	await expect(page.getByTestId('result-json')).toHaveCount(0);
});

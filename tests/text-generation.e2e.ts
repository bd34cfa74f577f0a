// Text generation end to end with the generated tiny-gpt: a share link streams its story into the page token
// by token, the settings travel through share links, and Stop ends an endless generation with what it made.

import type { Page } from '@playwright/test';
import { expect, taskUrl, test } from './fixtures';

const MODEL = 'browserve/tiny-gpt';
const STORY = 'time there lived three little foxes in the forest.';

/** Records every text the partial widget shows, from the first render on (polling could miss a fast run). */
async function recordPartials(page: Page): Promise<void> {
	await page.addInitScript(() => {
		const seen: string[] = [];
		Object.assign(window, { __partials: seen });
		new MutationObserver(() => {
			const text = document.querySelector('[data-testid="partial-text"]')?.textContent;
			if (text != null && text !== seen.at(-1)) seen.push(text);
		}).observe(document, { subtree: true, childList: true, characterData: true });
	});
}

function partialsSeen(page: Page): Promise<string[]> {
	return page.evaluate(() => (window as unknown as { __partials: string[] }).__partials);
}

const stopButton = (page: Page) => page.getByRole('button', { name: /^(Stop|Cancel)$/ });

test('a share link streams the continuation and renders it after the prompt', async ({ page, app }) => {
	await recordPartials(page);
	await page.goto(
		taskUrl(app, 'text-generation', { model: MODEL, text: 'once upon a', run: '1', device: 'wasm' })
	);

	await expect(page.getByTestId('generated-text')).toHaveText(STORY);
	await expect(page.getByTestId('generated-prompt')).toHaveText('once upon a');
	// Ten words and the end of text.
	await expect(page.getByTestId('generated-tokens')).toHaveText('11');
	await expect(page.getByTestId('generation-stats')).toContainText(/tokens\/s/);
	await expect(page.getByTestId('generation-stopped')).toHaveCount(0);
	await expect(page.getByTestId('generation-partial')).toHaveCount(0);
	await expect(page.getByLabel('Prompt')).toHaveValue('once upon a');

	const partials = (await partialsSeen(page)).filter((text) => text !== '');
	expect(new Set(partials).size, `partials seen: ${JSON.stringify(partials)}`).toBeGreaterThanOrEqual(2);
	partials.forEach((text, i) => {
		expect(STORY.startsWith(text), text).toBe(true);
		expect(text.length).toBeGreaterThanOrEqual(partials[i - 1]?.length ?? 0);
	});
});

test('generation settings are read from a share link, edited by keyboard and shared again', async ({
	page,
	app,
	context
}) => {
	await page.goto(
		taskUrl(app, 'text-generation', {
			model: MODEL,
			text: 'say it again',
			max_new_tokens: '5',
			temperature: '0.5',
			top_k: '3',
			top_p: '0.9',
			repetition_penalty: '1.1',
			device: 'wasm'
		})
	);
	const summary = page.getByText('Generation settings');
	await summary.focus();
	await page.keyboard.press('Enter');
	await expect(page.getByLabel('Max new tokens')).toHaveValue('5');
	await expect(page.getByLabel('Temperature')).toHaveValue('0.5');
	await expect(page.getByLabel('Top k')).toHaveValue('3');
	await expect(page.getByLabel('Top p')).toHaveValue('0.9');
	await expect(page.getByLabel('Repetition penalty')).toHaveValue('1.1');

	await page.getByLabel('Max new tokens').fill('7');
	await page.getByLabel('Max new tokens').press('Control+Enter');
	// At temperature 0.5 the loop's next word is all but certain, so even sampling repeats it.
	await expect(page.getByTestId('generated-text')).toHaveText('and again and again and again and');
	await expect(page.getByTestId('generated-tokens')).toHaveText('7');

	await context.grantPermissions(['clipboard-read', 'clipboard-write']);
	await page.getByTestId('share').click();
	const link = new URL(await page.getByTestId('share-url').inputValue());
	expect(Object.fromEntries(link.searchParams)).toMatchObject({
		text: 'say it again',
		max_new_tokens: '7',
		temperature: '0.5',
		top_k: '3',
		top_p: '0.9',
		repetition_penalty: '1.1'
	});

	// Defaults stay out of links.
	await page.getByLabel('Temperature').fill('0');
	await page.getByLabel('Top k').fill('0');
	await page.getByLabel('Top p').fill('1');
	await page.getByLabel('Repetition penalty').fill('1');
	await page.getByTestId('share').click();
	const plain = new URL(await page.getByTestId('share-url').inputValue());
	expect([...plain.searchParams.keys()].sort()).toEqual(['device', 'max_new_tokens', 'model', 'run', 'text']);

	// Copy puts the new text on the clipboard.
	await page.getByRole('button', { name: 'Copy', exact: true }).click();
	expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(
		' and again and again and again and'
	);
});

test('unusable settings in a link are reported and nothing runs', async ({ page, app }) => {
	await page.goto(
		taskUrl(app, 'text-generation', {
			model: MODEL,
			text: 'hello',
			temperature: 'hot',
			top_p: '0',
			run: '1'
		})
	);
	const issues = page.getByTestId('link-issues');
	await expect(issues.locator('li[data-param="temperature"]')).toHaveText(
		'temperature must be a number from 0 to 2.'
	);
	await expect(issues.locator('li[data-param="top_p"]')).toHaveText(
		'top_p must be a number above 0 and at most 1.'
	);
	await expect(page.getByTestId('result')).toHaveCount(0);
});

test('Stop ends an endless generation with what it made, and the page runs again', async ({ page, app }) => {
	await page.goto(
		taskUrl(app, 'text-generation', {
			model: MODEL,
			text: 'say it again',
			max_new_tokens: '1000',
			run: '1',
			device: 'wasm'
		})
	);
	const partial = page.getByTestId('generation-partial');
	await expect(partial).toBeVisible();
	await stopButton(page).click();

	await expect(page.getByTestId('generation-stopped')).toHaveText('(stopped)');
	const tokens = Number(await page.getByTestId('generated-tokens').textContent());
	expect(tokens).toBeGreaterThan(0);
	expect(tokens).toBeLessThan(1000);
	await expect(page.getByTestId('generated-text')).toHaveText(/^\s*and again( and again)*( and)?$/);
	await expect(page.getByTestId('run-error')).toHaveCount(0);

	// The page is usable: another prompt runs to its end.
	await page.getByLabel('Prompt').fill('hello');
	await page.getByTestId('run').click();
	await expect(page.getByTestId('generated-text')).toHaveText('world.');
	await expect(page.getByTestId('generation-stopped')).toHaveCount(0);
});

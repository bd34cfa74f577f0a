// Conversational end to end with the generated tiny-chat: a share link's conversation is answered in a new
// bubble streamed token by token, the reply joins the conversation so the next message continues it, Stop
// ends an endless reply with what it made, and bad conversations in links are refused by name.

import type { Page } from '@playwright/test';
import { expect, taskUrl, test } from './fixtures';

const MODEL = 'browserve/tiny-chat';
const HELLO = 'hi there! how can i help?';
const BROWSERVE = 'a way to run models in your browser.';

interface Reply {
	reply: string;
	tokens: number;
	tokensPerSecond: number | null;
	stopped: boolean;
}

/** Records every text the streaming bubble shows, from the first render on (polling could miss a fast run). */
async function recordPartials(page: Page): Promise<void> {
	await page.addInitScript(() => {
		const seen: string[] = [];
		Object.assign(window, { __partials: seen });
		new MutationObserver(() => {
			const text = document.querySelector(
				'[data-testid="chat-partial"] [data-testid="chat-text"]'
			)?.textContent;
			if (text != null && text !== seen.at(-1)) seen.push(text);
		}).observe(document, { subtree: true, childList: true, characterData: true });
	});
}

function partialsSeen(page: Page): Promise<string[]> {
	return page.evaluate(() => (window as unknown as { __partials: string[] }).__partials);
}

async function resultJson(page: Page): Promise<Reply> {
	return JSON.parse((await page.getByTestId('result-json').textContent()) ?? 'null') as Reply;
}

/** The conversation's bubbles as [role, text] pairs. */
async function transcript(page: Page): Promise<[string, string][]> {
	const bubbles = page.getByTestId('chat-transcript').getByTestId('chat-message');
	return bubbles.evaluateAll((nodes) =>
		nodes.map((node): [string, string] => [
			node.getAttribute('data-role') ?? '',
			node.querySelector('[data-testid="chat-text"]')?.textContent ?? ''
		])
	);
}

function chatUrl(app: Parameters<typeof taskUrl>[0], params: Record<string, string>): string {
	return taskUrl(app, 'conversational', { model: MODEL, device: 'wasm', ...params });
}

const replyText = (page: Page) => page.getByTestId('chat-reply').getByTestId('chat-text');

test('a share link streams the reply into a new bubble, and the next message continues the chat', async ({
	page,
	app,
	context
}) => {
	await recordPartials(page);
	await page.goto(
		chatUrl(app, {
			system: 'You are a helpful assistant.',
			messages: JSON.stringify([{ role: 'user', content: 'hello' }]),
			run: '1'
		})
	);

	await expect(replyText(page)).toHaveText(HELLO);
	// Eight words and the end of text.
	await expect(page.getByTestId('chat-tokens')).toHaveText('9');
	await expect(page.getByTestId('chat-stats')).toContainText(/tokens\/s/);
	await expect(page.getByTestId('chat-stopped')).toHaveCount(0);
	await expect(page.getByTestId('chat-partial')).toHaveCount(0);
	expect(await resultJson(page)).toMatchObject({ reply: HELLO, tokens: 9, stopped: false });
	await expect(page.locator('.system summary')).toContainText('You are a helpful assistant.');
	// The reply joined the conversation, and the box is free for the next message.
	await expect
		.poll(() => transcript(page))
		.toEqual([
			['user', 'hello'],
			['assistant', HELLO]
		]);
	await expect(page.getByLabel('Message', { exact: true })).toHaveValue('');
	await expect(page.getByTestId('run')).toBeDisabled();

	const partials = (await partialsSeen(page)).filter((text) => text !== '');
	expect(new Set(partials).size, `partials seen: ${JSON.stringify(partials)}`).toBeGreaterThanOrEqual(2);
	partials.forEach((text, i) => {
		expect(HELLO.startsWith(text), text).toBe(true);
		expect(text.length).toBeGreaterThanOrEqual(partials[i - 1]?.length ?? 0);
	});

	// The second turn: Shift+Enter is a new line, Enter sends.
	const box = page.getByLabel('Message', { exact: true });
	await box.fill('what is');
	await box.press('Shift+Enter');
	await box.pressSequentially('browserve');
	await expect(box).toHaveValue('what is\nbrowserve');
	await box.press('Enter');
	await expect(replyText(page)).toHaveText(BROWSERVE);
	expect(await resultJson(page)).toMatchObject({ reply: BROWSERVE, tokens: 10, stopped: false });
	await expect
		.poll(() => transcript(page))
		.toEqual([
			['user', 'hello'],
			['assistant', HELLO],
			['user', 'what is\nbrowserve'],
			['assistant', BROWSERVE]
		]);

	// A link now reproduces the whole conversation, and Copy copies one message.
	await context.grantPermissions(['clipboard-read', 'clipboard-write']);
	await page.getByTestId('share').click();
	const link = new URL(await page.getByTestId('share-url').inputValue());
	expect(link.searchParams.get('system')).toBe('You are a helpful assistant.');
	expect(JSON.parse(link.searchParams.get('messages') ?? '[]')).toEqual([
		{ role: 'user', content: 'hello' },
		{ role: 'assistant', content: HELLO },
		{ role: 'user', content: 'what is\nbrowserve' },
		{ role: 'assistant', content: BROWSERVE }
	]);
	await page
		.getByTestId('chat-transcript')
		.getByRole('button', { name: "Copy the assistant's message" })
		.first()
		.click();
	expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(HELLO);

	// Clear keeps the system prompt and starts again.
	await page.getByTestId('chat-clear').click();
	expect(await transcript(page)).toEqual([]);
	await expect(page.getByTestId('chat-transcript')).toContainText('No messages yet.');
	await expect(page.locator('.system summary')).toContainText('You are a helpful assistant.');
});

test('Stop ends an endless reply with what it made, and the chat goes on', async ({ page, app }) => {
	await page.goto(
		chatUrl(app, {
			messages: JSON.stringify([{ role: 'user', content: 'count' }]),
			max_new_tokens: '1000',
			run: '1'
		})
	);
	const partial = page.getByTestId('chat-partial');
	await expect(partial).toBeVisible();
	// While it answers, the message shows as a bubble and the box is locked.
	await expect.poll(() => transcript(page)).toEqual([['user', 'count']]);
	await expect(page.getByLabel('Message', { exact: true })).toBeDisabled();
	await page.getByRole('button', { name: 'Cancel' }).click();

	await expect(page.getByTestId('chat-stopped')).toHaveText('(stopped)');
	const result = await resultJson(page);
	expect(result.stopped).toBe(true);
	expect(result.tokens).toBeGreaterThan(0);
	expect(result.tokens).toBeLessThan(1000);
	expect(result.reply).toMatch(/^one( two one)*( two)?$/);
	await expect(replyText(page)).toHaveText(result.reply);
	await expect(page.getByTestId('run-error')).toHaveCount(0);
	await expect
		.poll(() => transcript(page))
		.toEqual([
			['user', 'count'],
			['assistant', result.reply]
		]);

	// The page is usable: the next message gets its whole reply.
	await page.getByLabel('Message', { exact: true }).fill('hello');
	await page.getByLabel('Message', { exact: true }).press('Enter');
	await expect(replyText(page)).toHaveText(HELLO);
	await expect(page.getByTestId('chat-stopped')).toHaveCount(0);
	await expect
		.poll(() => transcript(page))
		.toEqual([
			['user', 'count'],
			['assistant', result.reply],
			['user', 'hello'],
			['assistant', HELLO]
		]);
});

test('a link without run=1 waits with its last message in the box', async ({ page, app }) => {
	await page.goto(
		chatUrl(app, {
			messages: JSON.stringify([
				{ role: 'user', content: 'hello' },
				{ role: 'assistant', content: HELLO },
				{ role: 'user', content: 'what is browserve' }
			])
		})
	);
	await expect(page.getByLabel('Message', { exact: true })).toHaveValue('what is browserve');
	await expect
		.poll(() => transcript(page))
		.toEqual([
			['user', 'hello'],
			['assistant', HELLO]
		]);
	await expect(page.getByTestId('result')).toHaveCount(0);
	await page.getByTestId('run').click();
	await expect(replyText(page)).toHaveText(BROWSERVE);
});

test('bad conversations in a link are reported by name and nothing runs', async ({ page, app }) => {
	await page.goto(
		chatUrl(app, {
			messages: JSON.stringify([{ role: 'robot', content: 'beep' }]),
			temperature: 'hot',
			run: '1'
		})
	);
	const issues = page.getByTestId('link-issues');
	await expect(issues.locator('li[data-param="messages"]')).toHaveText(
		'messages[0].role must be "system", "user" or "assistant".'
	);
	await expect(issues.locator('li[data-param="temperature"]')).toHaveText(
		'temperature must be a number from 0 to 2.'
	);
	await expect(page.getByTestId('result')).toHaveCount(0);
});

test('the home page lists the chat as a task that runs here', async ({ page, app }) => {
	await page.goto(app.url);
	const entry = page.locator('li[data-task="conversational"]');
	await expect(entry.getByRole('link', { name: 'Conversational' })).toBeVisible();
	await entry.getByRole('link').click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Conversational');
});

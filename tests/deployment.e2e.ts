// Deployment configuration end to end: a browserve.config.json with an allowlist refuses a model from
// another hub (on the task page and in the model picker), a download above the configured size waits for
// the person to confirm it, and /settings shows the effective config and keeps a user's own hubs.

import type { BrowserContext } from '@playwright/test';
import { HubControl } from '../scripts/hub/control-client.ts';
import { expect, taskUrl, test } from './fixtures';

const SENTIMENT = 'browserve/tiny-sentiment';

// The config is replaced per test at the network level; the service worker would answer it from its cache.
test.use({ serviceWorkers: 'block' });

async function serveConfig(context: BrowserContext, config: object): Promise<void> {
	await context.route('**/browserve.config.json', (route) => route.fulfill({ json: config }));
}

test('an allowlist refuses a model from another hub, naming the rule, and never asks that hub for it', async ({
	page,
	app,
	context
}) => {
	const control = new HubControl(app.hubUrl);
	await control.clearLog();
	await serveConfig(context, { hubs: [app.hubUrl], allowlist: ['/hub/'] });
	await page.goto(
		taskUrl(app, 'text-classification', { model: SENTIMENT, text: 'I love this', run: '1', device: 'wasm' })
	);
	const error = page.getByTestId('run-error');
	await expect(error).toHaveAttribute('data-error-name', 'ModelNotAllowedError');
	await expect(error).toContainText(`${SENTIMENT} is not allowed on this site`);
	await expect(error).toContainText('allowlist in browserve.config.json');
	await expect(error).toContainText('/hub/');
	await expect(page.getByTestId('model-preview')).toContainText('not allowed');
	await expect(page.getByTestId('result')).toHaveCount(0);

	// The picker lists what the other hub has, but marks it refused and does not pick it.
	await page.getByRole('combobox', { name: 'Model' }).fill('tiny-sent');
	const hit = page.locator(`[data-model="${SENTIMENT}"]`);
	await expect(hit).toHaveAttribute('aria-disabled', 'true');
	await expect(hit.getByTestId('model-refused')).toContainText('allowlist in browserve.config.json');
	await hit.dispatchEvent('mousedown');
	await expect(page.getByRole('combobox', { name: 'Model' })).toHaveValue('tiny-sent');

	const asked = (await control.log()).filter((entry) => entry.path.includes('tiny-sentiment'));
	expect(asked.filter((entry) => !entry.path.startsWith('/api/models?'))).toEqual([]);
});

test('the same model loads from a hub the allowlist permits', async ({ page, app, context }) => {
	await serveConfig(context, { hubs: [app.hubUrl, '/hub/'], allowlist: ['/hub/browserve'] });
	await page.goto(
		taskUrl(app, 'text-classification', { model: SENTIMENT, text: 'I love this', run: '1', device: 'wasm' })
	);
	await expect(page.getByTestId('label-scores').locator('li').first()).toHaveAttribute(
		'data-label',
		'POSITIVE'
	);
	// Skipped the first hub (not allowed) and loaded from the allowed mirror on the app's origin.
	await expect(page.getByTestId('result')).toContainText(`${app.url}hub/`);
	await expect(page.getByTestId('result')).not.toContainText(app.hubUrl);
});

test('a download above the limit waits for a confirmation that shows its size', async ({
	page,
	app,
	context
}) => {
	await serveConfig(context, { hubs: ['/hub/'], maxDownloadWithoutAsking: 1000 });
	const fileRequests: string[] = [];
	page.on('request', (request) => {
		if (request.url().includes('/resolve/')) fileRequests.push(request.url());
	});
	await page.goto(
		taskUrl(app, 'text-classification', { model: SENTIMENT, text: 'I love this', run: '1', device: 'wasm' })
	);
	const confirm = page.getByTestId('download-confirm');
	await expect(confirm).toContainText(/Download \d+(\.\d+)? KB\?/);
	await expect(confirm).toContainText('more than the 1000 B this site downloads without asking');
	expect(fileRequests).toEqual([]);
	await confirm.getByRole('button', { name: "Don't download" }).click();
	await expect(page.getByTestId('run-error')).toHaveAttribute('data-error-name', 'CancelledError');
	await expect(page.getByTestId('run-error')).toContainText('was not started');
	expect(fileRequests).toEqual([]);

	await page.getByTestId('run').click();
	await confirm.getByRole('button', { name: /^Download / }).click();
	await expect(page.getByTestId('label-scores').locator('li').first()).toHaveAttribute(
		'data-label',
		'POSITIVE'
	);
	expect(fileRequests.length).toBeGreaterThan(0);
});

test('Settings shows the effective config and keeps the hubs a user adds', async ({ page, app, context }) => {
	await serveConfig(context, {
		hubs: ['/hub/', app.hubUrl],
		defaultModels: { 'text-classification': SENTIMENT },
		allowlist: ['/hub/', 'ftp://nope'],
		maxDownloadWithoutAsking: '2 GiB'
	});
	await page.goto(app.url);
	await page.getByRole('navigation').getByRole('link', { name: 'Settings' }).click();
	await expect(page).toHaveURL(`${app.url}settings`);
	const hubs = page.getByTestId('hub-list').locator('li');
	await expect(hubs).toHaveCount(2);
	await expect(hubs.nth(0)).toHaveAttribute('data-hub', '/hub/');
	await expect(hubs.nth(1)).toHaveAttribute('data-hub', app.hubUrl);
	await expect(page.getByTestId('allowlist')).toContainText('/hub/');
	await expect(page.getByTestId('download-limit')).toContainText('2.0 GB; larger downloads ask first');
	await expect(page.getByTestId('default-models')).toContainText(SENTIMENT);
	await expect(page.getByTestId('config-problems')).toContainText('allowlist');

	const field = page.getByLabel('Add a hub');
	await field.fill('ftp://x');
	await page.getByRole('button', { name: 'Add', exact: true }).click();
	await expect(page.getByRole('alert')).toContainText('not an http(s) address');
	const mine = 'http://127.0.0.1:9/';
	await field.fill(mine);
	await page.getByRole('button', { name: 'Add', exact: true }).click();
	await expect(hubs).toHaveCount(3);
	await expect(hubs.nth(2)).toHaveAttribute('data-hub', mine);
	await expect(hubs.nth(2)).toContainText('added by you');

	// Kept in this browser: still there after a reload, and after the deployment's hubs.
	await page.reload();
	await expect(hubs.nth(2)).toHaveAttribute('data-hub', mine);
	await page.getByRole('button', { name: `Remove ${mine}` }).click();
	await expect(hubs).toHaveCount(2);
	await page.reload();
	await expect(hubs).toHaveCount(2);
});

test('a deployment that forbids user hubs shows no form and ignores stored ones', async ({
	page,
	app,
	context
}) => {
	await context.addInitScript(() => localStorage.setItem('browserve.userHubs', '["http://127.0.0.1:9/"]'));
	await serveConfig(context, { hubs: ['/hub/'], allowUserHubs: false });
	await page.goto(`${app.url}settings`);
	await expect(page.getByTestId('user-hubs-forbidden')).toBeVisible();
	await expect(page.getByLabel('Add a hub')).toHaveCount(0);
	await expect(page.getByTestId('hub-list').locator('li')).toHaveCount(1);
	await expect(page.getByTestId('allowlist')).toContainText('None');
	await expect(page.getByTestId('download-limit')).toContainText('No limit');
});

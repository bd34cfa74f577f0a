// The models page: what the store holds (hub, revision, size, files, state), verify, check for update,
// delete one and delete all, with the storage estimate going down when space is freed; and share links
// pinned to a commit.

import { HubControl } from '../scripts/hub/control-client.ts';
import { expect, taskUrl, test } from './fixtures';

async function commitOf(hubUrl: string, model: string): Promise<string> {
	const info = (await (await fetch(`${hubUrl}api/models/${model}`)).json()) as { sha: string };
	return info.sha;
}

test('stored models are listed with their size and state, verified, checked and deleted', async ({
	page,
	app
}) => {
	for (const [model, text] of [
		['browserve/tiny-sentiment', 'I love this'],
		['browserve/tiny-nli', 'I love football']
	] as const) {
		await page.goto(taskUrl(app, 'text-classification', { model, text, run: '1', device: 'wasm' }));
		await expect(page.getByTestId('result')).toBeVisible();
	}
	await page.getByRole('link', { name: 'Models' }).click();
	const models = page.getByTestId('stored-model');
	await expect(models).toHaveCount(2);
	// Most recently used first.
	await expect(models.nth(0)).toHaveAttribute('data-repo', 'browserve/tiny-nli');
	const sentiment = page.locator('[data-testid="stored-model"][data-repo="browserve/tiny-sentiment"]');
	await expect(sentiment.getByTestId('model-size')).toHaveText(/KB in 5 files/);
	await expect(sentiment.getByTestId('model-state')).toHaveText('complete');
	const commit = await commitOf(app.hubUrl, 'browserve/tiny-sentiment');
	await expect(sentiment).toContainText(commit.slice(0, 10));
	await expect(sentiment).toContainText(app.hubUrl);

	await sentiment.getByRole('button', { name: 'Verify' }).click();
	await expect(sentiment.getByTestId('model-note')).toHaveText('All 5 files match their hashes.');
	await expect(sentiment.getByTestId('model-state')).toHaveText('verified');

	await sentiment.getByRole('button', { name: 'Check for update' }).click();
	await expect(sentiment.getByTestId('model-note')).toHaveText(
		`Up to date: main is still ${commit.slice(0, 10)}.`
	);

	const usage = async () =>
		Number(await page.evaluate(async () => (await navigator.storage.estimate()).usage ?? 0));
	const before = await usage();
	await sentiment.getByRole('button', { name: 'Delete', exact: true }).click();
	await expect(models).toHaveCount(1);
	await expect(models.nth(0)).toHaveAttribute('data-repo', 'browserve/tiny-nli');
	expect(await usage()).toBeLessThan(before);

	page.once('dialog', (dialog) => void dialog.accept());
	await page.getByRole('button', { name: 'Delete all' }).click();
	await expect(page.getByTestId('no-models')).toBeVisible();
	await expect(models).toHaveCount(0);
});

test('a model deleted from the store downloads again the next time it is used', async ({ page, app }) => {
	const hub = new HubControl(app.hubUrl);
	await page.goto(
		taskUrl(app, 'text-classification', { model: 'browserve/tiny-sentiment', text: 'I love this', run: '1' })
	);
	await expect(page.getByTestId('result')).toBeVisible();
	await page.goto(`${app.url}models`);
	await page.getByRole('button', { name: 'Delete', exact: true }).click();
	await expect(page.getByTestId('no-models')).toBeVisible();
	await hub.clearLog();
	await page.goto(
		taskUrl(app, 'text-classification', { model: 'browserve/tiny-sentiment', text: 'I hate this', run: '1' })
	);
	await expect(page.getByTestId('label-scores').locator('li').first()).toHaveAttribute(
		'data-label',
		'NEGATIVE'
	);
	expect(
		(await hub.log()).some(
			(entry) => entry.path.endsWith('onnx/model_quantized.onnx') && entry.status === 200
		)
	).toBe(true);
});

test('a share link with revision=<commit> loads exactly that commit; an unknown one says so', async ({
	page,
	app
}) => {
	const commit = await commitOf(app.hubUrl, 'browserve/tiny-sentiment');
	await page.goto(
		taskUrl(app, 'text-classification', {
			model: 'browserve/tiny-sentiment',
			revision: commit,
			text: 'I love this',
			run: '1'
		})
	);
	await expect(page.getByTestId('result')).toContainText(commit.slice(0, 10));
	await expect(page.getByTestId('result').locator(`code[title="${commit}"]`)).toBeVisible();

	await page.goto(
		taskUrl(app, 'text-classification', {
			model: 'browserve/tiny-sentiment',
			revision: 'f'.repeat(40),
			text: 'hi',
			run: '1'
		})
	);
	await expect(page.getByTestId('run-error')).toHaveAttribute('data-error-name', 'ModelNotFoundError');
	await expect(page.getByTestId('run-error')).toContainText('RevisionNotFound');
});

// The air-gapped path end to end: `npm run mirror`'s code copies two models from the test hub, `npm run
// build:site`'s code puts them under /hub/ of the static build, and a plain static file server (no API, no
// Range, no COOP/COEP headers) serves the result; a share link then runs a mirrored model in Chromium and
// gives the same output as the same model from the hub.

import { createReadStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, resolve } from 'node:path';
import { buildSite } from '../scripts/mirror/site.ts';
import { mirrorModels } from '../scripts/mirror/mirror.ts';
import { expect, taskUrl, test, type AppUnderTest } from './fixtures';

const SENTIMENT = 'browserve/tiny-sentiment';
const EMBEDDER = 'browserve/tiny-embedder';

const TYPES: Record<string, string> = {
	'.html': 'text/html',
	'.js': 'text/javascript',
	'.mjs': 'text/javascript',
	'.css': 'text/css',
	'.json': 'application/json',
	'.webmanifest': 'application/manifest+json',
	'.wasm': 'application/wasm',
	'.svg': 'image/svg+xml',
	'.png': 'image/png'
};

/**
 * A static file server with no code of the app's: files by path (a clean URL finds its .html file, as nginx's
 * `try_files $uri $uri.html` does), 404 otherwise; no Range, no COOP/COEP, no hub API.
 */
async function staticServer(root: string): Promise<{ url: string; server: Server }> {
	const server = createServer((req, res) => {
		const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
		const candidates = pathname.endsWith('/') ? [`${pathname}index.html`] : [pathname, `${pathname}.html`];
		void (async () => {
			for (const candidate of candidates) {
				const path = resolve(root, `.${candidate}`);
				const info = await stat(path).catch(() => null);
				if (!path.startsWith(root) || !info?.isFile()) continue;
				res.writeHead(200, {
					'Content-Length': info.size,
					'Content-Type': TYPES[extname(path)] ?? 'application/octet-stream'
				});
				createReadStream(path).pipe(res);
				return;
			}
			res.writeHead(404, { 'Content-Type': 'text/plain' }).end('File not found');
		})();
	});
	await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
	return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, server };
}

test('a mirrored static site on a plain static file server runs a model like the hub does', async ({
	page,
	app,
	context
}) => {
	test.setTimeout(180_000);
	const base = await mkdtemp(join(tmpdir(), 'browserve-mirror-e2e-'));
	let server: Server | null = null;
	try {
		const models = join(base, 'models');
		const index = await mirrorModels(
			[
				{ model: SENTIMENT, revision: 'main' },
				{ model: EMBEDDER, revision: 'main' }
			],
			{ from: app.hubUrl, out: models, dtype: 'q8' }
		);
		const site = join(base, 'site');
		await buildSite(models, site);
		const host = await staticServer(site);
		server = host.server;
		const mirror: AppUnderTest = { ...app, url: host.url };

		const requests: string[] = [];
		context.on('request', (request) => requests.push(request.url()));
		await page.goto(host.url);
		const params = { model: SENTIMENT, text: 'I love this', run: '1', device: 'wasm' };
		await page.goto(taskUrl(mirror, 'text-classification', params));
		await expect(page.getByTestId('label-scores').locator('li').first()).toHaveAttribute(
			'data-label',
			'POSITIVE'
		);
		await expect(page.getByTestId('result')).toContainText(`${host.url}hub/`);
		const fromMirror = await page.getByTestId('result-json').textContent();
		// Read from the static index and the files' plain paths; the hub API was never there to ask.
		expect(requests).toContain(`${host.url}hub/browserve-mirror.json`);
		expect(requests).toContain(`${host.url}hub/${SENTIMENT}/onnx/model_quantized.onnx`);
		expect(requests.some((url) => url.startsWith(app.hubUrl))).toBe(false);
		// The model records the commit the upstream had.
		await expect(page.getByTestId('result')).toContainText(index.models[SENTIMENT]!.commit.slice(0, 7));

		const fromHub = await context.newPage();
		await fromHub.goto(taskUrl(app, 'text-classification', params));
		await expect(fromHub.getByTestId('result')).toContainText(app.hubUrl);
		expect(await fromHub.getByTestId('result-json').textContent()).toBe(fromMirror);
		await fromHub.close();
	} finally {
		server?.closeAllConnections();
		server?.close();
		await rm(base, { recursive: true, force: true });
	}
});

// The `npm start` server over real HTTP: isolation headers, the bundled mirror under /hub/ with its CDN,
// the deployment config from HUB_URL, the 404 shell and path traversal.
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHubFixture, REPO, sha256Hex, type HubFixture } from '../hub/test-fixture.ts';
import { startAppServer, type RunningApp } from './app-server.ts';

let fixture: HubFixture;
let buildDir: string;
let app: RunningApp;
let withHubUrl: RunningApp;

beforeAll(async () => {
	fixture = await createHubFixture();
	buildDir = await mkdtemp(join(tmpdir(), 'browserve-build-'));
	await mkdir(join(buildDir, '_app/immutable'), { recursive: true });
	await writeFile(join(buildDir, 'index.html'), '<!doctype html><title>home</title>');
	await writeFile(join(buildDir, 'text-classification.html'), '<!doctype html><title>tc</title>');
	await writeFile(join(buildDir, '404.html'), '<!doctype html><title>shell</title>');
	await writeFile(join(buildDir, '_app/immutable/app.abc.js'), 'export {}');
	await writeFile(join(buildDir, '_app/immutable/ort.wasm'), Buffer.from([0, 97, 115, 109]));
	await symlink(join(fixture.base, 'outside/secret.txt'), join(buildDir, 'leak.txt'));
	app = await startAppServer({ buildDir, hubDir: fixture.dir });
	withHubUrl = await startAppServer({ buildDir, hubDir: fixture.dir, hubUrl: 'http://mirror.corp:8080/' });
});
afterAll(async () => {
	await app.close();
	await withHubUrl.close();
	await rm(buildDir, { recursive: true, force: true });
	await fixture.cleanup();
});

describe('app server', () => {
	it('serves pages cross-origin isolated, with clean URLs', async () => {
		for (const path of ['', 'text-classification']) {
			const response = await fetch(`${app.url}${path}`);
			expect(response.status).toBe(200);
			expect(response.headers.get('cross-origin-opener-policy')).toBe('same-origin');
			expect(response.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
			expect(response.headers.get('content-type')).toContain('text/html');
			expect(response.headers.get('cache-control')).toBe('no-cache');
		}
		expect(await (await fetch(`${app.url}text-classification`)).text()).toContain('<title>tc</title>');
	});

	it('serves hashed assets as immutable with the right types', async () => {
		const wasm = await fetch(`${app.url}_app/immutable/ort.wasm`);
		expect(wasm.headers.get('content-type')).toBe('application/wasm');
		expect(wasm.headers.get('cache-control')).toContain('immutable');
		expect(wasm.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
		const js = await fetch(`${app.url}_app/immutable/app.abc.js`);
		expect(js.headers.get('content-type')).toContain('text/javascript');
	});

	it('answers unknown paths with the app shell and a 404 status', async () => {
		const response = await fetch(`${app.url}no-such-task?x=1`);
		expect(response.status).toBe(404);
		expect(await response.text()).toContain('<title>shell</title>');
	});

	it.each(['leak.txt', '..%2f..%2fetc%2fpasswd', '%2e%2e/%2e%2e/etc/passwd', 'a%00b'])(
		'never serves %s from outside the build',
		async (path) => {
			const response = await fetch(`${app.url}${path}`);
			expect(response.status).toBe(404);
			expect(await response.text()).not.toContain('SECRET');
		}
	);

	it('mounts the bundled mirror under /hub/, with LFS files redirected to /hub-cdn/ on the same origin', async () => {
		const info = (await (await fetch(`${app.url}hub/api/models/${REPO}`)).json()) as { id: string };
		expect(info.id).toBe(REPO);
		const redirect = await fetch(`${app.url}hub/${REPO}/resolve/main/onnx/model.onnx`, {
			redirect: 'manual'
		});
		expect(redirect.status).toBe(302);
		const location = redirect.headers.get('location') ?? '';
		expect(location.startsWith('/hub-cdn/')).toBe(true);
		const bytes = Buffer.from(await (await fetch(new URL(location, app.url))).arrayBuffer());
		expect(sha256Hex(bytes)).toBe(sha256Hex(fixture.onnx));
	});

	it('tells the app to try the bundled mirror, then huggingface.co, with the bundled models as defaults', async () => {
		const config = (await (await fetch(`${app.url}browserve.config.json`)).json()) as {
			hubs: string[];
			defaultModels: Record<string, string>;
		};
		expect(config.hubs).toEqual(['/hub/', 'https://huggingface.co/']);
		expect(config.defaultModels['text-classification']).toBe('browserve/tiny-sentiment');
	});

	it('puts HUB_URL first when it is given', async () => {
		const config = (await (await fetch(`${withHubUrl.url}browserve.config.json`)).json()) as {
			hubs: string[];
		};
		expect(config.hubs).toEqual(['http://mirror.corp:8080/', '/hub/']);
	});

	it('can behave like a static host that sends no isolation headers (the service worker adds them)', async () => {
		const plain = await startAppServer({ buildDir, hubDir: fixture.dir, isolation: false });
		try {
			const response = await fetch(`${plain.url}text-classification`);
			expect(response.status).toBe(200);
			expect(response.headers.get('cross-origin-embedder-policy')).toBeNull();
			expect(response.headers.get('cross-origin-opener-policy')).toBeNull();
		} finally {
			await plain.close();
		}
	});

	it('accepts share links with long texts', async () => {
		const response = await fetch(`${app.url}text-classification?text=${'a'.repeat(40_000)}`);
		expect(response.status).toBe(200);
	});
});

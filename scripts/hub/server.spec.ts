// Specs for the local hub over real HTTP: startHub on ephemeral ports, fetch against it, and raw requests for
// the traversal cases that fetch's URL parser would normalise away.
import { request as httpRequest, createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCdnHandler, createHubHandler, startHub, type RunningHub } from './server.ts';
import {
	CONFIG_JSON,
	REPO,
	SECRET,
	VOCAB_TXT,
	createHubFixture,
	gitOid,
	sha256Hex,
	type HubFixture
} from './test-fixture.ts';

let fixture: HubFixture;
let hub: RunningHub;

beforeAll(async () => {
	fixture = await createHubFixture();
	hub = await startHub({ dir: fixture.dir, port: 0, cdnPort: 0 });
});

afterAll(async () => {
	await hub.close();
	await fixture.cleanup();
});

function get(path: string, init: RequestInit = {}): Promise<Response> {
	return fetch(new URL(path, hub.url), { redirect: 'manual', ...init });
}

interface RawResponse {
	status: number;
	headers: Record<string, string | string[] | undefined>;
	body: string;
}

/** Sends the path byte for byte; fetch would resolve `..` and `%2e%2e` before the server saw them. */
function rawGet(origin: string, path: string): Promise<RawResponse> {
	return new Promise((resolve, reject) => {
		const req = httpRequest(new URL(origin), { path, method: 'GET' }, (res) => {
			const chunks: Buffer[] = [];
			res.on('data', (chunk: Buffer) => chunks.push(chunk));
			res.on('end', () =>
				resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() })
			);
			res.on('error', reject);
		});
		req.on('error', reject);
		req.end();
	});
}

function expectCors(headers: Headers): void {
	expect(headers.get('access-control-allow-origin')).toBe('*');
	expect(headers.get('cross-origin-resource-policy')).toBe('cross-origin');
	const exposed = (headers.get('access-control-expose-headers') ?? '').split(/,\s*/);
	for (const name of [
		'ETag',
		'X-Repo-Commit',
		'X-Linked-Etag',
		'X-Linked-Size',
		'Content-Range',
		'X-Error-Code'
	]) {
		expect(exposed).toContain(name);
	}
}

async function commitOfRepo(): Promise<string> {
	const info = (await (await get(`api/models/${REPO}`)).json()) as { sha: string };
	return info.sha;
}

describe('resolve', () => {
	it('serves a small file with HF headers', async () => {
		const res = await get(`${REPO}/resolve/main/config.json`);
		expect(res.status).toBe(200);
		expect(await res.text()).toBe(CONFIG_JSON);
		expect(res.headers.get('content-length')).toBe(String(Buffer.byteLength(CONFIG_JSON)));
		expect(res.headers.get('etag')).toBe(`"${gitOid(CONFIG_JSON)}"`);
		expect(res.headers.get('x-repo-commit')).toBe(await commitOfRepo());
		expect(res.headers.get('x-repo-commit')).toMatch(/^[0-9a-f]{40}$/);
		expect(res.headers.get('accept-ranges')).toBe('bytes');
		expect(res.headers.get('content-type')).toMatch(/^application\/json/);
		expect(res.headers.get('cache-control')).toBe('no-cache');
		expectCors(res.headers);
	});

	it('serves nested files as text', async () => {
		const res = await get(`${REPO}/resolve/main/tokenizer/vocab.txt`);
		expect(res.status).toBe(200);
		expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
		expect(await res.text()).toBe(VOCAB_TXT);
	});

	it('accepts the commit sha as revision and marks it immutable', async () => {
		const commit = await commitOfRepo();
		const res = await get(`${REPO}/resolve/${commit}/config.json`);
		expect(res.status).toBe(200);
		expect(await res.text()).toBe(CONFIG_JSON);
		expect(res.headers.get('cache-control')).toContain('immutable');
	});

	it('answers HEAD with headers and no body', async () => {
		const res = await get(`${REPO}/resolve/main/config.json`, { method: 'HEAD' });
		expect(res.status).toBe(200);
		expect(res.headers.get('content-length')).toBe(String(Buffer.byteLength(CONFIG_JSON)));
		expect(res.headers.get('etag')).toBe(`"${gitOid(CONFIG_JSON)}"`);
		expect(await res.text()).toBe('');
	});

	it.each([
		['bytes=0-0', 0, 0],
		['bytes=2-5', 2, 5],
		['bytes=10-', 10, CONFIG_JSON.length - 1],
		['bytes=-7', CONFIG_JSON.length - 7, CONFIG_JSON.length - 1],
		['bytes=3-100000', 3, CONFIG_JSON.length - 1]
	])('answers Range %s with 206', async (range, start, end) => {
		const res = await get(`${REPO}/resolve/main/config.json`, { headers: { Range: range } });
		expect(res.status).toBe(206);
		expect(res.headers.get('content-range')).toBe(`bytes ${start}-${end}/${CONFIG_JSON.length}`);
		expect(res.headers.get('content-length')).toBe(String(end - start + 1));
		expect(await res.text()).toBe(CONFIG_JSON.slice(start, end + 1));
	});

	it.each(['bytes=1000-', 'bytes=-0'])('answers unsatisfiable Range %s with 416', async (range) => {
		const res = await get(`${REPO}/resolve/main/config.json`, { headers: { Range: range } });
		expect(res.status).toBe(416);
		expect(res.headers.get('content-range')).toBe(`bytes */${CONFIG_JSON.length}`);
		expectCors(res.headers);
	});

	it('honours If-Range only when the ETag matches', async () => {
		const etag = `"${gitOid(CONFIG_JSON)}"`;
		const matching = await get(`${REPO}/resolve/main/config.json`, {
			headers: { Range: 'bytes=0-3', 'If-Range': etag }
		});
		expect(matching.status).toBe(206);
		expect(await matching.text()).toBe(CONFIG_JSON.slice(0, 4));
		const stale = await get(`${REPO}/resolve/main/config.json`, {
			headers: { Range: 'bytes=0-3', 'If-Range': '"0000000000000000000000000000000000000000"' }
		});
		expect(stale.status).toBe(200);
		expect(stale.headers.get('content-range')).toBeNull();
		expect(await stale.text()).toBe(CONFIG_JSON);
	});

	it('answers a matching If-None-Match with 304 and CORS', async () => {
		const etag = `"${gitOid(CONFIG_JSON)}"`;
		const res = await get(`${REPO}/resolve/main/config.json`, { headers: { 'If-None-Match': etag } });
		expect(res.status).toBe(304);
		expect(res.headers.get('etag')).toBe(etag);
		expectCors(res.headers);
		const miss = await get(`${REPO}/resolve/main/config.json`, { headers: { 'If-None-Match': '"nope"' } });
		expect(miss.status).toBe(200);
	});
});

describe('LFS files', () => {
	const lfsPath = `${REPO}/resolve/main/onnx/model.onnx`;

	it('redirect to the CDN origin with linked etag and size', async () => {
		const sha = sha256Hex(fixture.onnx);
		const res = await get(lfsPath);
		expect(res.status).toBe(302);
		expect(res.headers.get('location')).toBe(`${hub.cdnUrl}repos/${REPO}/${sha}/onnx/model.onnx`);
		expect(res.headers.get('x-linked-etag')).toBe(`"${sha}"`);
		expect(res.headers.get('x-linked-size')).toBe(String(fixture.onnx.length));
		expect(res.headers.get('etag')).toBe(`"${sha}"`);
		expect(res.headers.get('x-repo-commit')).toBe(await commitOfRepo());
		expectCors(res.headers);
		const head = await get(lfsPath, { method: 'HEAD' });
		expect(head.status).toBe(302);
		expect(head.headers.get('x-linked-size')).toBe(String(fixture.onnx.length));
	});

	it('are served by the CDN byte for byte, with ranges', async () => {
		const location = (await get(lfsPath)).headers.get('location') ?? '';
		expect(new URL(location).origin).not.toBe(new URL(hub.url).origin);
		const full = await fetch(location);
		expect(full.status).toBe(200);
		expect(full.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
		expect(full.headers.get('etag')).toBe(`"${sha256Hex(fixture.onnx)}"`);
		expectCors(full.headers);
		expect(Buffer.from(await full.arrayBuffer()).equals(fixture.onnx)).toBe(true);

		const part = await fetch(location, { headers: { Range: 'bytes=1000-1999' } });
		expect(part.status).toBe(206);
		expect(part.headers.get('content-range')).toBe(`bytes 1000-1999/${fixture.onnx.length}`);
		expect(Buffer.from(await part.arrayBuffer()).equals(fixture.onnx.subarray(1000, 2000))).toBe(true);

		const tail = await fetch(location, { headers: { Range: 'bytes=-16' } });
		expect(Buffer.from(await tail.arrayBuffer()).equals(fixture.onnx.subarray(-16))).toBe(true);
	});

	it('are followed transparently by fetch, as transformers.js does', async () => {
		const res = await fetch(new URL(lfsPath, hub.url));
		expect(res.status).toBe(200);
		expect(Buffer.from(await res.arrayBuffer()).equals(fixture.onnx)).toBe(true);
	});

	it('404 on the CDN when the hash does not match the file', async () => {
		const res = await fetch(`${hub.cdnUrl}repos/${REPO}/${'0'.repeat(64)}/onnx/model.onnx`);
		expect(res.status).toBe(404);
		expectCors(res.headers);
	});

	it('survive a client that aborts mid-download', async () => {
		const location = (await get(lfsPath)).headers.get('location') ?? '';
		const controller = new AbortController();
		const res = await fetch(location, { signal: controller.signal });
		const reader = res.body?.getReader();
		await reader?.read();
		controller.abort();
		await expect(reader?.read()).rejects.toThrow();
		const again = await fetch(location);
		expect(Buffer.from(await again.arrayBuffer()).equals(fixture.onnx)).toBe(true);
	});
});

interface TreeEntryJson {
	type: string;
	path: string;
	oid: string;
	size: number;
	lfs?: { oid: string; size: number; pointerSize: number };
}

describe('tree', () => {
	it('lists direct children, directories included', async () => {
		const res = await get(`api/models/${REPO}/tree/main`);
		expect(res.status).toBe(200);
		expectCors(res.headers);
		const entries = (await res.json()) as TreeEntryJson[];
		expect(entries.map((entry) => `${entry.type}:${entry.path}`)).toEqual([
			'directory:onnx',
			'directory:tokenizer',
			'file:.gitattributes',
			'file:README.md',
			'file:config.json'
		]);
		const config = entries.find((entry) => entry.path === 'config.json');
		expect(config).toMatchObject({ oid: gitOid(CONFIG_JSON), size: CONFIG_JSON.length });
		expect(config?.lfs).toBeUndefined();
	});

	it('lists everything with recursive=true, with LFS oids', async () => {
		for (const flag of ['true', '1']) {
			const entries = (await (
				await get(`api/models/${REPO}/tree/main?recursive=${flag}`)
			).json()) as TreeEntryJson[];
			expect(entries.filter((entry) => entry.type === 'file').map((entry) => entry.path)).toEqual([
				'.gitattributes',
				'README.md',
				'config.json',
				'onnx/model.onnx',
				'tokenizer/vocab.txt'
			]);
			const model = entries.find((entry) => entry.path === 'onnx/model.onnx');
			expect(model?.size).toBe(fixture.onnx.length);
			expect(model?.lfs?.oid).toBe(sha256Hex(fixture.onnx));
			expect(model?.lfs?.size).toBe(fixture.onnx.length);
			const pointer = `version https://git-lfs.github.com/spec/v1\noid sha256:${sha256Hex(fixture.onnx)}\nsize ${fixture.onnx.length}\n`;
			expect(model?.oid).toBe(gitOid(pointer));
			expect(model?.lfs?.pointerSize).toBe(pointer.length);
		}
	});

	it('lists a subfolder, and 404s a missing one', async () => {
		const entries = (await (await get(`api/models/${REPO}/tree/main/tokenizer`)).json()) as TreeEntryJson[];
		expect(entries).toEqual([
			{ type: 'file', path: 'tokenizer/vocab.txt', oid: gitOid(VOCAB_TXT), size: VOCAB_TXT.length }
		]);
		const missing = await get(`api/models/${REPO}/tree/main/nope`);
		expect(missing.status).toBe(404);
		expect(missing.headers.get('x-error-code')).toBe('EntryNotFound');
	});
});

interface ModelJson {
	id: string;
	sha: string;
	pipeline_tag?: string;
	library_name?: string;
	tags: string[];
	siblings?: { rfilename: string; size?: number; blobId?: string; lfs?: { sha256: string; size: number } }[];
	cardData: Record<string, unknown>;
	gated: boolean;
	private: boolean;
	lastModified: string;
}

describe('model info', () => {
	it('describes the repo like huggingface.co', async () => {
		const res = await get(`api/models/${REPO}`);
		expect(res.status).toBe(200);
		expectCors(res.headers);
		const info = (await res.json()) as ModelJson;
		expect(info).toMatchObject({
			id: REPO,
			modelId: REPO,
			pipeline_tag: 'feature-extraction',
			library_name: 'transformers.js',
			gated: false,
			private: false,
			downloads: 0,
			likes: 0,
			cardData: { license: 'mit', tags: ['onnx', 'tiny'], base_model: 'test-org/base' }
		});
		expect(info.tags).toEqual(expect.arrayContaining(['transformers.js', 'onnx', 'tiny', 'license:mit']));
		expect(info.sha).toMatch(/^[0-9a-f]{40}$/);
		expect(new Date(info.lastModified).toISOString()).toBe(info.lastModified);
		// Dotfiles other than .gitattributes and symlinks leaving the hub directory are not part of the repo.
		expect(info.siblings?.map((sibling) => sibling.rfilename)).toEqual([
			'.gitattributes',
			'README.md',
			'config.json',
			'onnx/model.onnx',
			'tokenizer/vocab.txt'
		]);
		expect(info.siblings?.[0]).toEqual({ rfilename: '.gitattributes' });
	});

	it('adds sizes, blob ids and LFS data with blobs=true', async () => {
		const info = (await (await get(`api/models/${REPO}?blobs=true`)).json()) as ModelJson;
		const config = info.siblings?.find((sibling) => sibling.rfilename === 'config.json');
		expect(config).toEqual({
			rfilename: 'config.json',
			size: CONFIG_JSON.length,
			blobId: gitOid(CONFIG_JSON)
		});
		const model = info.siblings?.find((sibling) => sibling.rfilename === 'onnx/model.onnx');
		expect(model?.size).toBe(fixture.onnx.length);
		expect(model?.lfs).toMatchObject({ sha256: sha256Hex(fixture.onnx), size: fixture.onnx.length });
	});

	it('answers for revision main and the commit, and 404s other revisions', async () => {
		const commit = await commitOfRepo();
		for (const revision of ['main', commit]) {
			const info = (await (await get(`api/models/${REPO}/revision/${revision}`)).json()) as ModelJson;
			expect(info.sha).toBe(commit);
		}
		const res = await get(`api/models/${REPO}/revision/v9`);
		expect(res.status).toBe(404);
		expect(res.headers.get('x-error-code')).toBe('RevisionNotFound');
	});
});

describe('model search', () => {
	async function ids(query: string): Promise<string[]> {
		const res = await get(`api/models?${query}`);
		expect(res.status).toBe(200);
		return ((await res.json()) as ModelJson[]).map((model) => model.id);
	}

	it('lists every repo without siblings and skips hidden or escaping folders', async () => {
		const res = await get('api/models');
		expectCors(res.headers);
		const models = (await res.json()) as ModelJson[];
		expect(models.map((model) => model.id)).toEqual([
			'another/third-model',
			'test-org/other-model',
			'test-org/tiny-model'
		]);
		expect(models.every((model) => model.siblings === undefined)).toBe(true);
	});

	it('filters by search, pipeline_tag, author and tags', async () => {
		expect(await ids('search=TINY')).toEqual(['test-org/tiny-model']);
		expect(await ids('pipeline_tag=text-classification')).toEqual([
			'another/third-model',
			'test-org/other-model'
		]);
		expect(await ids('author=another')).toEqual(['another/third-model']);
		expect(await ids('filter=transformers.js')).toEqual(['test-org/other-model', 'test-org/tiny-model']);
		expect(await ids('filter=transformers.js,tiny')).toEqual(['test-org/tiny-model']);
		expect(await ids('filter=transformers.js&filter=license:mit')).toEqual(['test-org/tiny-model']);
		expect(await ids('filter=nothing-has-this')).toEqual([]);
	});

	it('sorts by id in both directions', async () => {
		expect(await ids('sort=id&direction=1')).toEqual([
			'another/third-model',
			'test-org/other-model',
			'test-org/tiny-model'
		]);
		expect(await ids('sort=id&direction=-1')).toEqual([
			'test-org/tiny-model',
			'test-org/other-model',
			'another/third-model'
		]);
	});

	it('pages with a Link header until every model is seen once', async () => {
		const seen: string[] = [];
		let next: string | undefined = new URL('api/models?limit=2&sort=id&direction=1', hub.url).href;
		let pages = 0;
		while (next !== undefined) {
			const res: Response = await fetch(next);
			const page = (await res.json()) as ModelJson[];
			seen.push(...page.map((model) => model.id));
			pages++;
			next = /<([^>]+)>;\s*rel="next"/.exec(res.headers.get('link') ?? '')?.[1];
			if (next) expect(new URL(next).origin).toBe(new URL(hub.url).origin);
		}
		expect(pages).toBe(2);
		expect(seen).toEqual(['another/third-model', 'test-org/other-model', 'test-org/tiny-model']);
	});

	it('rejects a bad limit or cursor with 400', async () => {
		expect((await get('api/models?limit=0')).status).toBe(400);
		expect((await get('api/models?cursor=garbage')).status).toBe(400);
		expect((await get('api/models?sort=toString')).status).toBe(400);
	});
});

describe('errors', () => {
	it.each([
		[`api/models/test-org/missing`, 'RepoNotFound'],
		[`test-org/missing/resolve/main/config.json`, 'RepoNotFound'],
		[`test-org/escaped-repo/resolve/main/secret.txt`, 'RepoNotFound'],
		[`${REPO}/resolve/v2/config.json`, 'RevisionNotFound'],
		[`${REPO}/resolve/refs%2Fpr%2F1/config.json`, 'RevisionNotFound'],
		[`${REPO}/resolve/main/missing.json`, 'EntryNotFound'],
		[`${REPO}/resolve/main/.secret`, 'EntryNotFound']
	])('%s is a 404 with %s', async (path, code) => {
		const res = await get(path);
		expect(res.status).toBe(404);
		expect(res.headers.get('x-error-code')).toBe(code);
		expect(res.headers.get('x-error-message')).toBeTruthy();
		expectCors(res.headers);
		expect(await res.text()).not.toContain(SECRET);
	});

	it('404s unknown routes and 405s other methods', async () => {
		const unknown = await get('nothing/here');
		expect(unknown.status).toBe(404);
		expectCors(unknown.headers);
		const post = await get(`${REPO}/resolve/main/config.json`, { method: 'POST', body: 'x' });
		expect(post.status).toBe(405);
		expect(post.headers.get('allow')).toContain('GET');
		expectCors(post.headers);
	});

	it('answers 500 JSON when the hub directory is unusable, and keeps serving', async () => {
		const handler = createHubHandler({ dir: `${fixture.base}/does-not-exist`, cdnBase: '/cdn/' });
		const server = createServer((req, res) => handler(req, res, req.url ?? '/'));
		const origin = await listenOnEphemeral(server);
		try {
			const res = await fetch(`${origin}/api/models/${REPO}`);
			expect(res.status).toBe(500);
			expectCors(res.headers);
			expect(await res.json()).toEqual({ error: 'Internal server error' });
			expect((await fetch(`${origin}/api/models/${REPO}`)).status).toBe(500);
		} finally {
			await closeServer(server);
		}
	});
});

describe('path traversal', () => {
	const hubPaths = [
		`/${REPO}/resolve/main/../../../outside/secret.txt`,
		`/${REPO}/resolve/main/%2e%2e/%2e%2e/%2e%2e/outside/secret.txt`,
		`/${REPO}/resolve/main/..%2f..%2f..%2foutside%2fsecret.txt`,
		`/${REPO}/resolve/main/onnx%2fmodel.onnx`,
		`/${REPO}/resolve/main/..\\..\\..\\outside\\secret.txt`,
		`/${REPO}/resolve/main/..%5c..%5c..%5coutside%5csecret.txt`,
		`/${REPO}/resolve/main/config.json%00`,
		`/${REPO}/resolve/main/ABSOLUTE_SECRET`,
		`/${REPO}/resolve/main//etc/passwd`,
		`/${REPO}/resolve/main/leak.json`,
		`/${REPO}/resolve/main/leaked-dir/secret.txt`,
		`/test-org/..%2f..%2foutside/resolve/main/secret.txt`,
		`/api/models/${REPO}/tree/main/..%2f..%2f..`,
		`/api/models/${REPO}/tree/main/leaked-dir`
	];

	it.each(hubPaths)('hub 404s %s without leaking', async (template) => {
		const path = template.replace(
			'ABSOLUTE_SECRET',
			encodeURIComponent(`${fixture.base}/outside/secret.txt`)
		);
		const res = await rawGet(hub.url, path);
		expect(res.status).toBe(404);
		expect(res.headers['access-control-allow-origin']).toBe('*');
		expect(res.body).not.toContain(SECRET);
		expect(res.body).not.toContain('root:');
	});

	it('the symlink escaping the hub is really there, so the 404 is the guard at work', async () => {
		const res = await rawGet(hub.url, `/${REPO}/resolve/main/config.json`);
		expect(res.status).toBe(200);
		const { readFile } = await import('node:fs/promises');
		expect(await readFile(`${fixture.dir}/${REPO}/leak.json`, 'utf8')).toBe(SECRET);
	});

	it.each([
		`/repos/${REPO}/SHA/../../../../outside/secret.txt`,
		`/repos/${REPO}/SHA/%2e%2e/%2e%2e/%2e%2e/%2e%2e/outside/secret.txt`,
		`/repos/${REPO}/SHA/..%2f..%2f..%2f..%2foutside%2fsecret.txt`,
		`/repos/${REPO}/SHA/leak.json`
	])('CDN 404s %s without leaking', async (template) => {
		const path = template.replace('SHA', sha256Hex(SECRET));
		const res = await rawGet(hub.cdnUrl, path);
		expect(res.status).toBe(404);
		expect(res.body).not.toContain(SECRET);
	});
});

describe('CORS preflight', () => {
	it('allows Range and Authorization from any origin', async () => {
		const res = await get(`${REPO}/resolve/main/config.json`, {
			method: 'OPTIONS',
			headers: { Origin: 'http://app.example', 'Access-Control-Request-Method': 'GET' }
		});
		expect(res.status).toBe(204);
		expectCors(res.headers);
		expect(res.headers.get('access-control-allow-methods')).toBe('GET, HEAD, OPTIONS');
		const allowed = res.headers.get('access-control-allow-headers') ?? '';
		expect(allowed).toContain('Range');
		expect(allowed).toContain('Authorization');
		expect(Number(res.headers.get('access-control-max-age'))).toBeGreaterThan(0);
	});

	it('echoes the headers the browser asks for, on the CDN too', async () => {
		const res = await fetch(`${hub.cdnUrl}repos/x/y`, {
			method: 'OPTIONS',
			headers: { 'Access-Control-Request-Headers': 'range,x-custom' }
		});
		expect(res.status).toBe(204);
		expect(res.headers.get('access-control-allow-headers')).toBe('range,x-custom');
		expectCors(res.headers);
	});
});

async function listenOnEphemeral(server: Server): Promise<string> {
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const address = server.address();
	if (address === null || typeof address !== 'object') throw new Error('not listening');
	return `http://127.0.0.1:${address.port}`;
}

function closeServer(server: Server): Promise<void> {
	server.closeAllConnections();
	return new Promise((resolve) => server.close(() => resolve()));
}

describe('handlers mounted under a prefix', () => {
	let server: Server;
	let origin: string;

	beforeAll(async () => {
		const hubHandler = createHubHandler({ dir: fixture.dir, cdnBase: '/cdn/' });
		const cdnHandler = createCdnHandler({ dir: fixture.dir });
		server = createServer((req, res) => {
			const url = req.url ?? '/';
			if (url.startsWith('/hub/')) hubHandler(req, res, url.slice('/hub'.length));
			else if (url.startsWith('/cdn/')) cdnHandler(req, res, url.slice('/cdn'.length));
			else res.writeHead(418).end();
		});
		origin = await listenOnEphemeral(server);
	});

	afterAll(() => closeServer(server));

	it('serves resolve under the prefix', async () => {
		const res = await fetch(`${origin}/hub/${REPO}/resolve/main/config.json`);
		expect(res.status).toBe(200);
		expect(await res.text()).toBe(CONFIG_JSON);
	});

	it('redirects LFS files to the given cdnBase, which serves them', async () => {
		const redirect = await fetch(`${origin}/hub/${REPO}/resolve/main/onnx/model.onnx`, {
			redirect: 'manual'
		});
		expect(redirect.status).toBe(302);
		expect(redirect.headers.get('location')).toBe(
			`/cdn/repos/${REPO}/${sha256Hex(fixture.onnx)}/onnx/model.onnx`
		);
		const followed = await fetch(`${origin}/hub/${REPO}/resolve/main/onnx/model.onnx`);
		expect(Buffer.from(await followed.arrayBuffer()).equals(fixture.onnx)).toBe(true);
	});

	it('keeps the prefix in Link headers', async () => {
		const res = await fetch(`${origin}/hub/api/models?limit=1`);
		const link = res.headers.get('link') ?? '';
		expect(link).toMatch(new RegExp(`^<${origin}/hub/api/models\\?limit=1&cursor=[^>]+>; rel="next"$`));
	});
});

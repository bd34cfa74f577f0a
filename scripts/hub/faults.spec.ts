// Specs for the hub's fault switch and request log over real HTTP: what the log records on both origins, each
// fault kind and how it counts down, and the control API, in process and through HubControl.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HubControl } from './control-client.ts';
import { FaultError, HubFaults, LOG_LIMIT, type HubFault, type RequestLogEntry } from './faults.ts';
import { createCdnHandler, createHubHandler, startHub, type RunningHub } from './server.ts';
import { CONFIG_JSON, REPO, createHubFixture, gitOid, sha256Hex, type HubFixture } from './test-fixture.ts';

const ONNX = 'onnx/model.onnx';
const CONFIG_PATH = `/${REPO}/resolve/main/config.json`;

let fixture: HubFixture;
let hub: RunningHub;
let control: HubControl;

beforeAll(async () => {
	fixture = await createHubFixture();
	hub = await startHub({ dir: fixture.dir, control: true });
	control = new HubControl(hub.url);
});

afterAll(async () => {
	await hub.close();
	await fixture.cleanup();
});

beforeEach(() => hub.control.reset());

function get(path: string, init: RequestInit = {}): Promise<Response> {
	return fetch(new URL(path, hub.url), { redirect: 'manual', ...init });
}

function cdnOnnxUrl(): string {
	return `${hub.cdnUrl}repos/${REPO}/${sha256Hex(fixture.onnx)}/${ONNX}`;
}

function cdnOnnxPath(): string {
	return new URL(cdnOnnxUrl()).pathname;
}

function getOnnx(init: RequestInit = {}): Promise<Response> {
	return fetch(cdnOnnxUrl(), init);
}

interface Received {
	body: Buffer;
	error: unknown;
}

/** Reads a body to the end or to the first error, keeping whatever arrived before it. */
async function receive(res: Response): Promise<Received> {
	const reader = res.body?.getReader();
	if (!reader) throw new Error('Response has no body');
	const chunks: Uint8Array[] = [];
	try {
		for (;;) {
			const { done, value } = await reader.read();
			if (done) return { body: Buffer.concat(chunks), error: undefined };
			chunks.push(value);
		}
	} catch (error) {
		return { body: Buffer.concat(chunks), error };
	}
}

async function expectWhole(res: Response, expected: Buffer): Promise<void> {
	const { body, error } = await receive(res);
	expect(error).toBeUndefined();
	expect(body.equals(expected)).toBe(true);
}

/** Offsets at which two equally long buffers differ. */
function differences(a: Buffer, b: Buffer): number[] {
	expect(a.length).toBe(b.length);
	const out: number[] = [];
	for (let i = 0; i < a.length; i += 1) if (a[i] !== b[i]) out.push(i);
	return out;
}

function entry(partial: Partial<RequestLogEntry>): RequestLogEntry {
	return {
		origin: 'hub',
		method: 'GET',
		path: '/',
		range: null,
		ifRange: null,
		status: 200,
		bytes: 0,
		time: expect.any(Number) as unknown as number,
		...partial
	};
}

describe('request log', () => {
	it('records hub and CDN requests with their Range headers, statuses and body bytes', async () => {
		const before = Date.now();
		const ranged = await get(CONFIG_PATH, { headers: { Range: 'bytes=2-5' } });
		expect(await ranged.text()).toBe(CONFIG_JSON.slice(2, 6));
		const redirect = await get(`${REPO}/resolve/main/${ONNX}`);
		expect(redirect.status).toBe(302);
		const etag = `"${sha256Hex(fixture.onnx)}"`;
		const cdn = await getOnnx({ headers: { Range: 'bytes=1000-', 'If-Range': etag } });
		expect(cdn.status).toBe(206);
		await expectWhole(cdn, fixture.onnx.subarray(1000));
		const missing = await get('api/models/test-org/nope');
		const missingBody = await missing.text();
		const head = await get(CONFIG_PATH, { method: 'HEAD' });
		expect(head.status).toBe(200);
		const after = Date.now();

		const log = hub.control.log();
		expect(log).toEqual([
			entry({ path: CONFIG_PATH, range: 'bytes=2-5', status: 206, bytes: 4 }),
			entry({ path: `/${REPO}/resolve/main/${ONNX}`, status: 302, bytes: 0 }),
			entry({
				origin: 'cdn',
				path: cdnOnnxPath(),
				range: 'bytes=1000-',
				ifRange: etag,
				status: 206,
				bytes: fixture.onnx.length - 1000
			}),
			entry({ path: '/api/models/test-org/nope', status: 404, bytes: Buffer.byteLength(missingBody) }),
			entry({ method: 'HEAD', path: CONFIG_PATH, status: 200, bytes: 0 })
		]);
		expect(Buffer.byteLength(missingBody)).toBeGreaterThan(0);
		const times = log.map((item) => item.time);
		expect(times).toEqual([...times].sort((a, b) => a - b));
		for (const time of times) {
			expect(time).toBeGreaterThanOrEqual(before);
			expect(time).toBeLessThanOrEqual(after);
		}
	});

	it('keeps the query string as received and filters by arrival time', async () => {
		await (await get('api/models?search=tiny&limit=1')).text();
		await new Promise((resolve) => setTimeout(resolve, 5));
		const since = Date.now();
		await (await get(CONFIG_PATH)).text();
		expect(hub.control.log().map((item) => item.path)).toEqual([
			'/api/models?search=tiny&limit=1',
			CONFIG_PATH
		]);
		expect(hub.control.log(since).map((item) => item.path)).toEqual([CONFIG_PATH]);
	});

	it(`keeps only the newest ${LOG_LIMIT} entries`, async () => {
		const total = LOG_LIMIT + 5;
		for (let sent = 0; sent < total; sent += 200) {
			const batch = Array.from({ length: Math.min(200, total - sent) }, (_, i) =>
				get(`nowhere?n=${sent + i}`, { method: 'HEAD' }).then((res) => res.status)
			);
			expect(new Set(await Promise.all(batch))).toEqual(new Set([404]));
		}
		const log = hub.control.log();
		expect(log).toHaveLength(LOG_LIMIT);
		const numbers = new Set(log.map((item) => Number(new URL(item.path, 'http://x').searchParams.get('n'))));
		for (let n = 0; n < 5; n += 1) expect(numbers.has(n)).toBe(false);
		for (let n = 5; n < total; n += 1) expect(numbers.has(n)).toBe(true);
	});
});

describe('drop', () => {
	it('cuts a 200 after exactly afterBytes, with the full length announced, only `times` times', async () => {
		hub.control.setFaults([{ kind: 'drop', path: ONNX, afterBytes: 70_000, times: 2 }]);
		for (let attempt = 0; attempt < 2; attempt += 1) {
			const res = await getOnnx();
			expect(res.status).toBe(200);
			expect(res.headers.get('content-length')).toBe(String(fixture.onnx.length));
			expect(res.headers.get('etag')).toBe(`"${sha256Hex(fixture.onnx)}"`);
			const { body, error } = await receive(res);
			expect(error).toBeInstanceOf(Error);
			expect(body.equals(fixture.onnx.subarray(0, 70_000))).toBe(true);
		}
		await expectWhole(await getOnnx(), fixture.onnx);
		expect(hub.control.log().map((item) => [item.status, item.bytes])).toEqual([
			[200, 70_000],
			[200, 70_000],
			[200, fixture.onnx.length]
		]);
		expect(hub.control.faults()).toEqual([]);
	});

	it('holds the connection for stallMs before cutting it', async () => {
		hub.control.setFaults([{ kind: 'drop', path: ONNX, afterBytes: 5000, stallMs: 400, times: 1 }]);
		const started = performance.now();
		const { body, error } = await receive(await getOnnx());
		expect(error).toBeInstanceOf(Error);
		expect(body.equals(fixture.onnx.subarray(0, 5000))).toBe(true);
		expect(performance.now() - started).toBeGreaterThanOrEqual(390);
	});

	it('counts afterBytes from the start of a 206 body', async () => {
		hub.control.setFaults([{ kind: 'drop', path: ONNX, afterBytes: 5000, times: 1 }]);
		const res = await getOnnx({ headers: { Range: 'bytes=1000-' } });
		expect(res.status).toBe(206);
		expect(res.headers.get('content-range')).toBe(
			`bytes 1000-${fixture.onnx.length - 1}/${fixture.onnx.length}`
		);
		expect(res.headers.get('content-length')).toBe(String(fixture.onnx.length - 1000));
		const { body, error } = await receive(res);
		expect(error).toBeInstanceOf(Error);
		expect(body.equals(fixture.onnx.subarray(1000, 6000))).toBe(true);
		expect(hub.control.log()).toEqual([
			entry({ origin: 'cdn', path: cdnOnnxPath(), range: 'bytes=1000-', status: 206, bytes: 5000 })
		]);
	});

	it('applies to small files served by the hub itself, even at zero bytes', async () => {
		hub.control.setFaults([{ kind: 'drop', path: 'config.json', afterBytes: 0, times: 1 }]);
		const res = await get(CONFIG_PATH);
		expect(res.status).toBe(200);
		expect(res.headers.get('etag')).toBe(`"${gitOid(CONFIG_JSON)}"`);
		const { body, error } = await receive(res);
		expect(error).toBeInstanceOf(Error);
		expect(body.length).toBe(0);
		expect(await (await get(CONFIG_PATH)).text()).toBe(CONFIG_JSON);
	});

	it('lets a body shorter than afterBytes through whole, and is used up by it', async () => {
		hub.control.setFaults([{ kind: 'drop', path: ONNX, afterBytes: 5000, times: 1 }]);
		const res = await getOnnx({ headers: { Range: 'bytes=0-999' } });
		await expectWhole(res, fixture.onnx.subarray(0, 1000));
		expect(hub.control.faults()).toEqual([]);
	});

	it('is not used up by responses without a body (HEAD, the LFS redirect)', async () => {
		hub.control.setFaults([{ kind: 'drop', path: ONNX, afterBytes: 10, times: 1 }]);
		expect((await getOnnx({ method: 'HEAD' })).status).toBe(200);
		expect((await get(`${REPO}/resolve/main/${ONNX}`)).status).toBe(302);
		expect(hub.control.faults()).toEqual([{ kind: 'drop', path: ONNX, afterBytes: 10, times: 1 }]);
		const { body, error } = await receive(await get(`${REPO}/resolve/main/${ONNX}`, { redirect: 'follow' }));
		expect(error).toBeInstanceOf(Error);
		expect(body.equals(fixture.onnx.subarray(0, 10))).toBe(true);
	});

	it('with times -1 drops every response and stays active', async () => {
		const forever: HubFault = { kind: 'drop', path: ONNX, afterBytes: 100, times: -1 };
		hub.control.setFaults([forever]);
		for (let attempt = 0; attempt < 3; attempt += 1) {
			const { body, error } = await receive(await getOnnx());
			expect(error).toBeInstanceOf(Error);
			expect(body.length).toBe(100);
		}
		expect(hub.control.faults()).toEqual([forever]);
	});
});

describe('corrupt', () => {
	it('flips exactly the byte at the offset, keeping the truthful headers, only `times` times', async () => {
		hub.control.setFaults([{ kind: 'corrupt', path: ONNX, offset: 70_123, times: 1 }]);
		const res = await getOnnx();
		expect(res.status).toBe(200);
		expect(res.headers.get('etag')).toBe(`"${sha256Hex(fixture.onnx)}"`);
		expect(res.headers.get('content-length')).toBe(String(fixture.onnx.length));
		const { body, error } = await receive(res);
		expect(error).toBeUndefined();
		expect(differences(body, fixture.onnx)).toEqual([70_123]);
		expect(body[70_123]).toBe((fixture.onnx[70_123] ?? 0) ^ 0xff);
		await expectWhole(await getOnnx(), fixture.onnx);
	});

	it('keeps the linked etag of the hub redirect truthful', async () => {
		hub.control.setFaults([{ kind: 'corrupt', path: ONNX, offset: 0, times: 1 }]);
		const redirect = await get(`${REPO}/resolve/main/${ONNX}`);
		expect(redirect.headers.get('x-linked-etag')).toBe(`"${sha256Hex(fixture.onnx)}"`);
		const { body } = await receive(await get(`${REPO}/resolve/main/${ONNX}`, { redirect: 'follow' }));
		expect(differences(body, fixture.onnx)).toEqual([0]);
	});

	it('flips only when the offset is inside the range sent, counting each response', async () => {
		hub.control.setFaults([{ kind: 'corrupt', path: ONNX, offset: 5000, times: 2 }]);
		await expectWhole(await getOnnx({ headers: { Range: 'bytes=0-4999' } }), fixture.onnx.subarray(0, 5000));
		const inside = await receive(await getOnnx({ headers: { Range: 'bytes=4990-5009' } }));
		expect(differences(inside.body, fixture.onnx.subarray(4990, 5010))).toEqual([10]);
		await expectWhole(
			await getOnnx({ headers: { Range: 'bytes=4990-5009' } }),
			fixture.onnx.subarray(4990, 5010)
		);
	});

	it('applies to files the hub serves itself, and several at once', async () => {
		hub.control.setFaults([
			{ kind: 'corrupt', repo: REPO, path: 'config.json', offset: 1, times: 1 },
			{ kind: 'corrupt', path: 'config.json', offset: 3, times: 1 }
		]);
		const res = await get(CONFIG_PATH);
		expect(res.headers.get('etag')).toBe(`"${gitOid(CONFIG_JSON)}"`);
		expect(differences(Buffer.from(await res.arrayBuffer()), Buffer.from(CONFIG_JSON))).toEqual([1, 3]);
		expect(await (await get(CONFIG_PATH)).text()).toBe(CONFIG_JSON);
	});
});

describe('status', () => {
	it('answers the status with a JSON error and CORS instead of the file, only `times` times', async () => {
		hub.control.setFaults([{ kind: 'status', path: 'config.json', status: 503, times: 1 }]);
		const res = await get(CONFIG_PATH);
		expect(res.status).toBe(503);
		expect(res.headers.get('access-control-allow-origin')).toBe('*');
		expect(res.headers.get('content-type')).toMatch(/^application\/json/);
		expect(((await res.json()) as { error: string }).error).toContain('config.json');
		expect(await (await get(CONFIG_PATH)).text()).toBe(CONFIG_JSON);
	});

	it('matches the repo when one is given, on the hub and the CDN', async () => {
		hub.control.setFaults([
			{ kind: 'status', repo: 'test-org/other-model', path: 'config.json', status: 500, times: -1 },
			{ kind: 'status', repo: REPO, path: ONNX, status: 429, times: -1 }
		]);
		expect((await get(CONFIG_PATH)).status).toBe(200);
		expect((await get('test-org/other-model/resolve/main/config.json')).status).toBe(500);
		expect((await get(`${REPO}/resolve/main/${ONNX}`)).status).toBe(429);
		const cdn = await getOnnx();
		expect(cdn.status).toBe(429);
		expect(cdn.headers.get('access-control-allow-origin')).toBe('*');
	});

	it('uses the first matching status fault, leaving the next for the next request', async () => {
		hub.control.setFaults([
			{ kind: 'status', path: 'config.json', status: 500, times: 1 },
			{ kind: 'status', path: 'config.json', status: 503, times: 1 }
		]);
		expect((await get(CONFIG_PATH)).status).toBe(500);
		expect((await get(CONFIG_PATH)).status).toBe(503);
		expect((await get(CONFIG_PATH)).status).toBe(200);
	});
});

describe('delay', () => {
	it('holds the response back, logged with status 0 meanwhile, only `times` times', async () => {
		hub.control.setFaults([{ kind: 'delay', path: 'config.json', ms: 400, times: 1 }]);
		const started = Date.now();
		const pending = get(CONFIG_PATH);
		await new Promise((resolve) => setTimeout(resolve, 150));
		expect(hub.control.log()).toEqual([entry({ path: CONFIG_PATH, status: 0 })]);
		const res = await pending;
		expect(await res.text()).toBe(CONFIG_JSON);
		expect(Date.now() - started).toBeGreaterThanOrEqual(390);
		expect(hub.control.log()).toEqual([
			entry({ path: CONFIG_PATH, status: 200, bytes: Buffer.byteLength(CONFIG_JSON) })
		]);

		const quick = Date.now();
		await (await get(CONFIG_PATH)).text();
		expect(Date.now() - quick).toBeLessThan(390);
	});

	it('comes before a status fault on the same file', async () => {
		hub.control.setFaults([
			{ kind: 'delay', path: ONNX, ms: 200, times: 1 },
			{ kind: 'status', path: ONNX, status: 502, times: 1 }
		]);
		const started = Date.now();
		expect((await getOnnx()).status).toBe(502);
		expect(Date.now() - started).toBeGreaterThanOrEqual(190);
	});
});

describe('in-process control', () => {
	it('reports remaining counts and refuses malformed faults, keeping the old list', () => {
		hub.control.setFaults([{ kind: 'delay', path: 'a', ms: 1, times: 3 }]);
		const bad: unknown[] = [
			{ kind: 'explode', path: 'a', times: 1 },
			{ kind: 'drop', path: '', afterBytes: 1, times: 1 },
			{ kind: 'drop', path: 'a', afterBytes: -1, times: 1 },
			{ kind: 'drop', path: 'a', afterBytes: 1, times: 0 },
			{ kind: 'status', path: 'a', status: 99, times: 1 },
			{ kind: 'corrupt', path: 'a', offset: 1.5, times: 1 }
		];
		for (const fault of bad) {
			expect(() => hub.control.setFaults([fault as HubFault])).toThrow(FaultError);
		}
		expect(hub.control.faults()).toEqual([{ kind: 'delay', path: 'a', ms: 1, times: 3 }]);
	});

	it('reset clears faults and log', async () => {
		hub.control.setFaults([{ kind: 'status', path: 'config.json', status: 500, times: -1 }]);
		expect((await get(CONFIG_PATH)).status).toBe(500);
		expect(hub.control.log()).toHaveLength(1);
		hub.control.reset();
		expect(hub.control.faults()).toEqual([]);
		expect(hub.control.log()).toEqual([]);
		expect((await get(CONFIG_PATH)).status).toBe(200);
	});
});

describe('control over HTTP', () => {
	it('sets, lists and clears faults like the in-process API', async () => {
		const faults: HubFault[] = [{ kind: 'status', path: 'config.json', status: 418, times: 2 }];
		await control.setFaults(faults);
		expect(hub.control.faults()).toEqual(faults);
		expect((await get(CONFIG_PATH)).status).toBe(418);
		expect(await control.faults()).toEqual([{ ...faults[0], times: 1 }]);
		await control.clearFaults();
		expect(hub.control.faults()).toEqual([]);
		expect((await get(CONFIG_PATH)).status).toBe(200);

		hub.control.setFaults(faults);
		expect(await control.faults()).toEqual(faults);
	});

	it('reads the log, since a time, without its own requests, and clears it', async () => {
		await (await get(CONFIG_PATH)).text();
		await new Promise((resolve) => setTimeout(resolve, 5));
		const since = Date.now();
		await (await getOnnx({ headers: { Range: 'bytes=0-9' } })).arrayBuffer();
		const log = await control.log();
		expect(log).toEqual(hub.control.log());
		expect(log.map((item) => [item.origin, item.path, item.status])).toEqual([
			['hub', CONFIG_PATH, 200],
			['cdn', cdnOnnxPath(), 206]
		]);
		expect(await control.log(since)).toEqual([
			entry({ origin: 'cdn', path: cdnOnnxPath(), range: 'bytes=0-9', status: 206, bytes: 10 })
		]);
		await control.clearLog();
		expect(hub.control.log()).toEqual([]);
	});

	it('resets both', async () => {
		await control.setFaults([{ kind: 'delay', path: 'x', ms: 1, times: -1 }]);
		await (await get(CONFIG_PATH)).text();
		await control.reset();
		expect(hub.control.faults()).toEqual([]);
		expect(hub.control.log()).toEqual([]);
	});

	it('answers with CORS, preflight included, and 400 for malformed faults', async () => {
		const preflight = await get('__control/faults', {
			method: 'OPTIONS',
			headers: { 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type' }
		});
		expect(preflight.status).toBe(204);
		expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
		expect(preflight.headers.get('access-control-allow-methods')).toMatch(/POST.*DELETE|DELETE.*POST/);
		expect(preflight.headers.get('access-control-allow-headers')).toBe('content-type');

		const listed = await get('__control/log');
		expect(listed.headers.get('access-control-allow-origin')).toBe('*');
		const bad = await get('__control/faults', { method: 'POST', body: '[{"kind":"drop","path":"a"}]' });
		expect(bad.status).toBe(400);
		expect(bad.headers.get('access-control-allow-origin')).toBe('*');
		expect(((await bad.json()) as { error: string }).error).toMatch(/afterBytes|times/);
		expect((await get('__control/faults', { method: 'POST', body: '{not json' })).status).toBe(400);
		expect((await get('__control/log', { method: 'PUT' })).status).toBe(405);
		expect((await get('__control/nothing')).status).toBe(404);
		await expect(control.setFaults([{ kind: 'nope' } as unknown as HubFault])).rejects.toThrow(/400/);
	});

	it('is absent when control is not enabled, while the in-process API still works', async () => {
		const plain = await startHub({ dir: fixture.dir });
		try {
			const get404 = await fetch(new URL('__control/log', plain.url));
			expect(get404.status).toBe(404);
			const faults = [{ kind: 'status', path: 'config.json', status: 500, times: 1 }];
			const post = await fetch(new URL('__control/faults', plain.url), {
				method: 'POST',
				body: JSON.stringify(faults)
			});
			expect(post.ok).toBe(false);
			expect((await fetch(new URL('__control/reset', plain.url), { method: 'POST' })).ok).toBe(false);
			expect((await fetch(new URL(CONFIG_PATH, plain.url))).status).toBe(200);
			expect(plain.control.faults()).toEqual([]);
			// Unlike the control routes, those requests went to the hub itself and are logged like any other.
			expect(plain.control.log().map((item) => item.path)).toEqual([
				'/__control/log',
				'/__control/faults',
				'/__control/reset',
				CONFIG_PATH
			]);
			plain.control.setFaults([{ kind: 'status', path: 'config.json', status: 500, times: 1 }]);
			expect((await fetch(new URL(CONFIG_PATH, plain.url))).status).toBe(500);
		} finally {
			await plain.close();
		}
	});
});

describe('handlers sharing a HubFaults', () => {
	let server: Server;
	let origin: string;
	const shared = new HubFaults();

	beforeAll(async () => {
		const hubHandler = createHubHandler({ dir: fixture.dir, cdnBase: '/cdn/', faults: shared });
		const cdnHandler = createCdnHandler({ dir: fixture.dir, faults: shared });
		server = createServer((req, res) => {
			const url = req.url ?? '/';
			if (url.startsWith('/hub/')) hubHandler(req, res, url.slice('/hub'.length));
			else if (url.startsWith('/cdn/')) cdnHandler(req, res, url.slice('/cdn'.length));
			else res.writeHead(418).end();
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	});

	afterAll(
		() =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			})
	);

	it('logs both mounts under their full URLs and injects faults through them', async () => {
		shared.setFaults([{ kind: 'drop', path: ONNX, afterBytes: 1234, times: 1 }]);
		const { body, error } = await receive(await fetch(`${origin}/hub/${REPO}/resolve/main/${ONNX}`));
		expect(error).toBeInstanceOf(Error);
		expect(body.equals(fixture.onnx.subarray(0, 1234))).toBe(true);
		const cdnPath = `/cdn/repos/${REPO}/${sha256Hex(fixture.onnx)}/${ONNX}`;
		expect(shared.log()).toEqual([
			entry({ path: `/hub/${REPO}/resolve/main/${ONNX}`, status: 302 }),
			entry({ origin: 'cdn', path: cdnPath, status: 200, bytes: 1234 })
		]);
		expect(hub.control.log()).toEqual([]);
	});
});

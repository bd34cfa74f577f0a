// StoreBridge in Node (fake-indexeddb, IndexedDB bytes): transformers.js' custom cache answering from the
// store, by whole buffer and by stream, with the right headers; its fetch answering 404 for files the commit
// does not have without asking the network.

import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { IdbByteStore } from '$lib/store/byte-store';
import { FakeHub, patternBytes, publish } from '$lib/store/testing/fake-hub';
import { COMMIT, HUB, openTestStore, refOf, sameBytes } from '$lib/store/testing/store-fixture';
import type { ModelStore } from '$lib/store/model-store';
import type { RemoteFile } from '$lib/store/types';
import { StoreBridge } from './store-bridge';

const REPO = 'org/model';
const WEIGHTS = patternBytes(10_000, 3);
const CONFIG = '{"model_type":"bert"}';

afterEach(() => {
	vi.restoreAllMocks();
});

interface Setup {
	store: ModelStore;
	bridge: StoreBridge;
	files: RemoteFile[];
	/** URLs the bridge sent to the network. */
	network: string[];
}

async function setup(): Promise<Setup> {
	const hub = new FakeHub();
	const { store } = await openTestStore({ backend: 'idb' });
	const files = [
		await publish(hub, REPO, COMMIT, 'config.json', new TextEncoder().encode(CONFIG), 'git'),
		await publish(hub, REPO, COMMIT, 'onnx/model.onnx', WEIGHTS)
	];
	await store.recordModel(HUB, REPO, COMMIT, { task: 'feature-extraction', files });
	for (const file of files) await store.download(refOf(REPO, file.path), file, { fetch: hub.fetch });
	const network: string[] = [];
	const bridge = new StoreBridge(store, async (input) => {
		network.push(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
		return new Response('from the network');
	});
	bridge.register({
		hub: HUB,
		repo: REPO,
		commit: COMMIT,
		known: new Set([...files.map((file) => file.path), 'tokenizer.json'])
	});
	return { store, bridge, files, network };
}

const url = (path: string, revision = COMMIT): string => `${StoreBridge.prefix(HUB, REPO, revision)}${path}`;

async function streamed(response: Response): Promise<{ bytes: Uint8Array; blocks: number }> {
	const reader = response.body?.getReader();
	if (!reader) throw new Error('no body');
	const parts: Uint8Array[] = [];
	for (let part = await reader.read(); !part.done; part = await reader.read()) parts.push(part.value);
	const bytes = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
	let at = 0;
	for (const part of parts) {
		bytes.set(part, at);
		at += part.length;
	}
	return { bytes, blocks: parts.length };
}

describe('StoreBridge.cache.match', () => {
	it('answers a stored file with its headers, and arrayBuffer() is one buffer of exactly its size', async () => {
		const { bridge } = await setup();
		const response = await bridge.cache.match(url('onnx/model.onnx'));
		expect(response).toBeInstanceOf(Response);
		expect(response?.status).toBe(200);
		expect(response?.headers.get('Content-Length')).toBe('10000');
		expect(response?.headers.get('Content-Type')).toBe('application/octet-stream');
		const buffer = await response?.arrayBuffer();
		expect(buffer?.byteLength).toBe(10_000);
		expect(sameBytes(new Uint8Array(buffer ?? new ArrayBuffer(0)), WEIGHTS)).toBe(true);
		// Read once, as any Response: a second read is refused.
		expect(response?.bodyUsed).toBe(true);
		await expect(response?.arrayBuffer()).rejects.toBeInstanceOf(TypeError);
	});

	it('streams the same bytes in blocks through body, for callers that stream', async () => {
		const { bridge } = await setup();
		const response = await bridge.cache.match(new Request(url('onnx/model.onnx')));
		const { bytes, blocks } = await streamed(response as Response);
		// openTestStore reads in 4 KiB blocks.
		expect(blocks).toBe(3);
		expect(sameBytes(bytes, WEIGHTS)).toBe(true);
		expect(response?.bodyUsed).toBe(true);
		await expect(response?.arrayBuffer()).rejects.toBeInstanceOf(TypeError);
	});

	it('answers text files with their type, through bytes(), text(), json() and clone()', async () => {
		const { bridge } = await setup();
		const response = (await bridge.cache.match(url('config.json'))) as Response;
		expect(response.headers.get('Content-Type')).toBe('application/json');
		expect(response.headers.get('Content-Length')).toBe(String(CONFIG.length));
		const copy = response.clone();
		expect(await response.json()).toEqual({ model_type: 'bert' });
		expect(await copy.text()).toBe(CONFIG);
		const again = (await bridge.cache.match(url('config.json'))) as Response;
		expect(new TextDecoder().decode(await again.bytes())).toBe(CONFIG);
		const blob = await ((await bridge.cache.match(url('config.json'))) as Response).blob();
		expect(blob.type).toBe('application/json');
		expect(await blob.text()).toBe(CONFIG);
	});

	it('answers `main` with the registered commit (transformers.js drops the revision in some lookups)', async () => {
		const { bridge } = await setup();
		const response = await bridge.cache.match(url('onnx/model.onnx', 'main'));
		expect(sameBytes(new Uint8Array((await response?.arrayBuffer()) ?? new ArrayBuffer(0)), WEIGHTS)).toBe(
			true
		);
	});

	it('answers undefined for URLs it does not know and for files not stored', async () => {
		const { bridge } = await setup();
		expect(await bridge.cache.match(url('onnx/model.onnx', 'b'.repeat(40)))).toBeUndefined();
		expect(
			await bridge.cache.match(`https://other.test/${REPO}/resolve/${COMMIT}/config.json`)
		).toBeUndefined();
		expect(
			await bridge.cache.match(`${StoreBridge.prefix(HUB, 'org/other', COMMIT)}config.json`)
		).toBeUndefined();
		expect(await bridge.cache.match(url('tokenizer.json'))).toBeUndefined();
		expect(await bridge.cache.match(url('onnx/missing.onnx'))).toBeUndefined();
	});

	it('answers undefined for a file whose download is still partial', async () => {
		const { store, bridge, files } = await setup();
		const weights = files[1] as RemoteFile;
		const hub = new FakeHub();
		await publish(hub, REPO, COMMIT, weights.path, patternBytes(8000, 4));
		hub.dropAfter = [100];
		const changed = { ...weights, size: 8000, sha256: null, gitOid: null };
		await store
			.download(refOf(REPO, weights.path), changed, { fetch: hub.fetch, retries: 0 })
			.catch(() => null);
		expect((await store.getFile(refOf(REPO, weights.path)))?.state).toBe('partial');
		expect(await bridge.cache.match(url(weights.path))).toBeUndefined();
	});

	it('touches storage only when the bytes are read, and opens the file once per read', async () => {
		const { bridge } = await setup();
		const size = vi.spyOn(IdbByteStore.prototype, 'size');
		const readInto = vi.spyOn(IdbByteStore.prototype, 'readInto');
		// transformers.js first asks for a file only to learn its size from the headers…
		const probe = await bridge.cache.match(url('onnx/model.onnx'));
		expect(probe?.headers.get('Content-Length')).toBe('10000');
		expect(size).not.toHaveBeenCalled();
		expect(readInto).not.toHaveBeenCalled();
		// …then reads it.
		await (await bridge.cache.match(url('onnx/model.onnx')))?.arrayBuffer();
		expect(size).toHaveBeenCalledTimes(1);
		expect(readInto).toHaveBeenCalledTimes(3);
	});

	it('moves the model to the front of the LRU order when a file is read', async () => {
		vi.useFakeTimers({ toFake: ['Date'] });
		try {
			vi.setSystemTime(1_000);
			const { store, bridge } = await setup();
			vi.setSystemTime(5_000);
			await (await bridge.cache.match(url('config.json')))?.arrayBuffer();
			const [model] = await store.listModels();
			expect(model?.lastUsed).toBe(5_000);
			expect(model?.files.find((file) => file.path === 'config.json')?.lastUsed).toBe(5_000);
		} finally {
			vi.useRealTimers();
		}
	});

	it('stores nothing through put: files reach the store only through verified downloads', async () => {
		const { store, bridge } = await setup();
		const before = await store.storedBytes();
		await bridge.cache.put();
		expect(await store.storedBytes()).toBe(before);
	});
});

describe('StoreBridge.fetch', () => {
	it('answers 404 EntryNotFound for a file the commit does not have, without the network', async () => {
		const { bridge, network } = await setup();
		for (const revision of [COMMIT, 'main']) {
			const response = await bridge.fetch(url('onnx/model_quantized.onnx', revision), {
				headers: { Range: 'bytes=0-0' }
			});
			expect(response.status).toBe(404);
			expect(response.headers.get('X-Error-Code')).toBe('EntryNotFound');
		}
		expect(network).toEqual([]);
	});

	it('sends files the commit has, and other URLs, to the network', async () => {
		const { bridge, network } = await setup();
		const known = await bridge.fetch(new URL(url('tokenizer.json')));
		expect(await known.text()).toBe('from the network');
		await bridge.fetch(new Request('https://elsewhere.test/file.bin'));
		expect(network).toEqual([url('tokenizer.json'), 'https://elsewhere.test/file.bin']);
	});
});

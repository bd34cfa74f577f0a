// The model store's records and housekeeping in Node (fake-indexeddb, IndexedDB byte chunks): round trips,
// refs, the model list and its LRU order, verification, deletion, and two downloads of one file.

import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ModelLoadError } from '$lib/runtime/errors';
import { FakeHub, patternBytes, publish } from './testing/fake-hub';
import { MemoryByteStore } from './testing/memory-byte-store';
import {
	COMMIT,
	HUB,
	countChunks,
	flipChunkByte,
	openTestStore,
	readAll,
	refOf,
	sameBytes
} from './testing/store-fixture';
import { openDB } from 'idb';

afterEach(() => {
	vi.useRealTimers();
});

async function storeModel(
	hub: FakeHub,
	store: Awaited<ReturnType<typeof openTestStore>>['store'],
	repo: string
) {
	const files = [
		await publish(hub, repo, COMMIT, 'config.json', new TextEncoder().encode('{}'), 'git'),
		await publish(hub, repo, COMMIT, 'onnx/model.onnx', patternBytes(3000, repo.length))
	];
	await store.recordModel(HUB, repo, COMMIT, { task: 'text-classification', files });
	for (const file of files) await store.download(refOf(repo, file.path), file, { fetch: hub.fetch });
	return files;
}

describe('ModelStore', () => {
	it('round-trips a file bigger than a chunk, as a stream and as one buffer', async () => {
		const hub = new FakeHub();
		const { store, dbName } = await openTestStore();
		expect(store.backend).toBe('idb');
		const bytes = patternBytes(10_000);
		const remote = await publish(hub, 'org/model', COMMIT, 'onnx/model.onnx', bytes);
		const ref = refOf('org/model', 'onnx/model.onnx');
		const record = await store.download(ref, remote, { fetch: hub.fetch });
		expect(record).toMatchObject({ state: 'complete', bytesStored: 10_000, backend: 'idb', size: 10_000 });
		expect(await countChunks(dbName, record.key)).toBe(10);

		const response = await store.read(ref);
		expect(response.headers.get('Content-Length')).toBe('10000');
		expect(response.headers.get('Content-Type')).toBe('application/octet-stream');
		expect(sameBytes(await readAll(response), bytes)).toBe(true);
		expect(sameBytes(await store.readBytes(ref), bytes)).toBe(true);
		expect(await store.storedBytes()).toBe(10_000);
	});

	it('refuses to read a file that is not stored completely', async () => {
		const { store } = await openTestStore();
		await expect(store.read(refOf('org/none', 'model.onnx'))).rejects.toBeInstanceOf(ModelLoadError);
	});

	it('notices bytes that vanished underneath a complete record', async () => {
		const hub = new FakeHub();
		const { store, dbName } = await openTestStore();
		const remote = await publish(hub, 'org/model', COMMIT, 'model.bin', patternBytes(3000));
		const ref = refOf('org/model', 'model.bin');
		const { key } = await store.download(ref, remote, { fetch: hub.fetch });
		const db = await openDB(dbName);
		await db.delete('chunks', IDBKeyRange.bound([key, 2048], [key, Infinity]));
		db.close();
		await expect(store.read(ref)).rejects.toThrow(/lost 952 stored bytes/);
		expect(await store.getFile(ref)).toMatchObject({ state: 'partial', bytesStored: 2048 });
		await store.download(ref, remote, { fetch: hub.fetch });
		expect(hub.requests.at(-1)?.range).toBe('bytes=2048-');
	});

	it('re-checks a file whose bytes fail to read back partway through a stream', async () => {
		const hub = new FakeHub();
		const memory = new MemoryByteStore(1024);
		const { store } = await openTestStore({ byteStore: memory, readBlockSize: 1000 });
		const remote = await publish(hub, 'org/model', COMMIT, 'model.bin', patternBytes(3000));
		const ref = refOf('org/model', 'model.bin');
		const { key } = await store.download(ref, remote, { fetch: hub.fetch });
		const response = await store.read(ref);
		memory.files.set(key, memory.files.get(key)?.slice(0, 1500) ?? new Uint8Array(0));
		await expect(response.arrayBuffer()).rejects.toThrow(/ends after 1500 bytes/);
		await vi.waitFor(async () =>
			expect(await store.getFile(ref)).toMatchObject({ state: 'partial', bytesStored: 1500 })
		);
	});

	it('remembers which commit a revision meant', async () => {
		const { store } = await openTestStore();
		expect(await store.lookupRef(HUB, 'org/model', 'main')).toBeNull();
		await store.rememberRef(HUB, 'org/model', 'main', COMMIT);
		await store.rememberRef(HUB, 'org/model', 'v1', 'b'.repeat(40));
		expect(await store.lookupRef(HUB, 'org/model', 'main')).toBe(COMMIT);
		expect(await store.lookupRef(HUB, 'org/model', 'v1')).toBe('b'.repeat(40));
		expect(await store.lookupRef('https://other.test/', 'org/model', 'main')).toBeNull();
	});

	it('lists models with their files, sizes and overall state', async () => {
		const hub = new FakeHub();
		const { store } = await openTestStore();
		const files = [
			await publish(hub, 'org/model', COMMIT, 'config.json', new TextEncoder().encode('{}'), 'git'),
			await publish(hub, 'org/model', COMMIT, 'onnx/model.onnx', patternBytes(3000))
		];
		await store.recordModel(HUB, 'org/model', COMMIT, { task: 'text-classification', files });
		let [model] = await store.listModels();
		expect(model).toMatchObject({ repo: 'org/model', task: 'text-classification', state: 'partial' });
		expect(model).toMatchObject({ totalSize: 3002, bytesStored: 0, missing: [] });
		expect(model?.files.map((file) => [file.path, file.state])).toEqual([
			['config.json', 'partial'],
			['onnx/model.onnx', 'partial']
		]);
		for (const file of files) await store.download(refOf('org/model', file.path), file, { fetch: hub.fetch });
		[model] = await store.listModels();
		expect(model).toMatchObject({ state: 'complete', bytesStored: 3002 });
		for (const file of files) expect(await store.verify(refOf('org/model', file.path))).toBe(true);
		[model] = await store.listModels();
		expect(model?.state).toBe('verified');
		expect(model?.files[0]?.verifiedAt).toBeTypeOf('number');
	});

	it('orders models by last use, and reading or touching one moves it to the front', async () => {
		vi.useFakeTimers({ toFake: ['Date'] });
		const hub = new FakeHub();
		const { store } = await openTestStore();
		for (const [i, repo] of ['org/a', 'org/b', 'org/c'].entries()) {
			vi.setSystemTime(1_000 * (i + 1));
			await storeModel(hub, store, repo);
		}
		const order = async () => (await store.listModels()).map((model) => model.repo);
		expect(await order()).toEqual(['org/c', 'org/b', 'org/a']);
		vi.setSystemTime(10_000);
		await store.touch(HUB, 'org/a', COMMIT);
		vi.setSystemTime(11_000);
		await (await store.read(refOf('org/b', 'config.json'))).arrayBuffer();
		expect(await order()).toEqual(['org/b', 'org/a', 'org/c']);
		expect((await store.leastRecentlyUsed()).map((model) => model.repo)).toEqual(['org/c', 'org/a', 'org/b']);
		const [first] = await store.listModels();
		expect(first).toMatchObject({ firstUsed: 2_000, lastUsed: 11_000 });
	});

	it('deletes a model: its records, its chunks and the refs to it, and nothing else', async () => {
		const hub = new FakeHub();
		const { store, dbName } = await openTestStore();
		await storeModel(hub, store, 'org/a');
		await storeModel(hub, store, 'org/b');
		await store.rememberRef(HUB, 'org/a', 'main', COMMIT);
		await store.rememberRef(HUB, 'org/b', 'main', COMMIT);
		const chunksBefore = await countChunks(dbName);
		const aKey = (await store.getFile(refOf('org/a', 'onnx/model.onnx')))?.key;
		expect(await countChunks(dbName, aKey)).toBe(3);

		await store.deleteModel(HUB, 'org/a', COMMIT);
		expect(await countChunks(dbName, aKey)).toBe(0);
		expect(await countChunks(dbName)).toBe(chunksBefore - 4);
		expect(await store.getFile(refOf('org/a', 'onnx/model.onnx'))).toBeUndefined();
		expect(await store.lookupRef(HUB, 'org/a', 'main')).toBeNull();
		expect(await store.lookupRef(HUB, 'org/b', 'main')).toBe(COMMIT);
		expect((await store.listModels()).map((model) => model.repo)).toEqual(['org/b']);
		expect(await store.storedBytes()).toBe(3002);
		expect(await store.verify(refOf('org/b', 'onnx/model.onnx'))).toBe(true);
	});

	it('deletes everything, stray chunks without a record included', async () => {
		const hub = new FakeHub();
		const { store, dbName } = await openTestStore();
		await storeModel(hub, store, 'org/a');
		const db = await openDB(dbName);
		await db.put('chunks', { key: 'stray', offset: 0, bytes: new Uint8Array(10) });
		db.close();
		await store.deleteAll();
		expect(await countChunks(dbName)).toBe(0);
		expect(await store.listModels()).toEqual([]);
		expect(await store.storedBytes()).toBe(0);
	});

	it('catches a stored file corrupted later, discards it and downloads it again', async () => {
		const hub = new FakeHub();
		const { store, dbName } = await openTestStore();
		const bytes = patternBytes(3000);
		const remote = await publish(hub, 'org/model', COMMIT, 'model.bin', bytes);
		const ref = refOf('org/model', 'model.bin');
		const { key } = await store.download(ref, remote, { fetch: hub.fetch });
		expect(await store.verify(ref)).toBe(true);

		await flipChunkByte(dbName, key, 1124);
		expect(await store.verify(ref)).toBe(false);
		expect(await store.getFile(ref)).toMatchObject({ state: 'partial', bytesStored: 0 });
		expect(await countChunks(dbName, key)).toBe(0);
		await expect(store.read(ref)).rejects.toBeInstanceOf(ModelLoadError);

		await store.download(ref, remote, { fetch: hub.fetch });
		expect(sameBytes(await store.readBytes(ref), bytes)).toBe(true);
	});

	it('fetches a file once when two downloads of it run at the same time', async () => {
		const hub = new FakeHub();
		const { store } = await openTestStore();
		const other = (await openTestStore()).store;
		const bytes = patternBytes(6000);
		const remote = await publish(hub, 'org/model', COMMIT, 'model.bin', bytes);
		const ref = refOf('org/model', 'model.bin');
		const [first, second] = await Promise.all([
			store.download(ref, remote, { fetch: hub.fetch }),
			store.download(ref, remote, { fetch: hub.fetch })
		]);
		expect(hub.requests).toHaveLength(1);
		expect(second).toEqual(first);
		// A second store in the same process (another database) still has to fetch its own copy.
		await other.download(ref, remote, { fetch: hub.fetch });
		expect(hub.requests).toHaveLength(2);
	});

	it('downloads a stored file again when the hub describes different content', async () => {
		const hub = new FakeHub();
		const { store } = await openTestStore();
		const remote = await publish(hub, 'org/model', COMMIT, 'model.bin', patternBytes(3000));
		const ref = refOf('org/model', 'model.bin');
		await store.download(ref, remote, { fetch: hub.fetch });
		const changed = await publish(hub, 'org/model', COMMIT, 'model.bin', patternBytes(2000, 9));
		const record = await store.download(ref, changed, { fetch: hub.fetch });
		expect(record).toMatchObject({ size: 2000, sha256: changed.sha256, state: 'complete' });
		expect(hub.requests).toHaveLength(2);
		expect(sameBytes(await store.readBytes(ref), patternBytes(2000, 9))).toBe(true);
	});
});

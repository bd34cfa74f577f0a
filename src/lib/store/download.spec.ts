// Download semantics of the model store: resume from every partial state, servers that ignore ranges,
// dropped connections, corrupted bodies, a full disk and cancellation, against a fake hub in Node. Every case
// runs twice: with plain stream bodies (the default reader) and with byte streams, as fetch gives, which the
// download reads with a BYOB reader into one reused buffer.

import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { CancelledError, DownloadError, IntegrityError, StorageFullError } from '$lib/runtime/errors';
import { FakeHub, patternBytes, publish } from './testing/fake-hub';
import { MemoryByteStore } from './testing/memory-byte-store';
import { countChunks, openTestStore, readAll, refOf, sameBytes } from './testing/store-fixture';

const SIZE = 5000;
const fast = { retryDelayMs: 0 };

describe.each([
	['a plain stream (default reader)', false],
	['a byte stream (BYOB reader)', true]
])('with %s as the body', (_label, byteStreams) => {
	function newHub(): FakeHub {
		const hub = new FakeHub();
		hub.byteStreams = byteStreams;
		return hub;
	}

	async function setup(size = SIZE) {
		const hub = newHub();
		const { store, dbName } = await openTestStore({ backend: 'idb' });
		const bytes = patternBytes(size);
		const remote = await publish(hub, 'org/model', refOf('org/model', 'x').commit, 'onnx/model.onnx', bytes);
		const ref = refOf('org/model', 'onnx/model.onnx');
		return { hub, store, dbName, bytes, remote, ref };
	}

	describe('resuming a partial download', () => {
		it.each([
			['nothing stored', 0],
			['mid-chunk', 512],
			['exactly a chunk boundary', 1024],
			['several chunks and a bit', 2600],
			['all but one byte', SIZE - 1]
		])('%s (%i bytes) fetches only the missing bytes', async (_label, stored) => {
			const { hub, store, dbName, bytes, remote, ref } = await setup();
			hub.dropAfter = [stored];
			await expect(store.download(ref, remote, { fetch: hub.fetch, retries: 0 })).rejects.toBeInstanceOf(
				DownloadError
			);
			const partial = await store.getFile(ref);
			expect(partial).toMatchObject({ state: 'partial', bytesStored: stored });

			const record = await store.download(ref, remote, { fetch: hub.fetch });
			expect(record).toMatchObject({ state: 'complete', bytesStored: SIZE });
			const resumed = hub.requests[1];
			if (stored === 0) expect(resumed?.range).toBeNull();
			else expect(resumed).toMatchObject({ range: `bytes=${stored}-`, ifRange: partial?.etag, status: 206 });
			expect(resumed?.bytesSent).toBe(SIZE - stored);
			expect(sameBytes(await readAll(await store.read(ref)), bytes)).toBe(true);
			expect(await countChunks(dbName, record.key)).toBeGreaterThanOrEqual(Math.ceil(SIZE / 1024));
		});

		it('starts over when the server ignores the range (200)', async () => {
			const { hub, store, bytes, remote, ref } = await setup();
			hub.dropAfter = [1500];
			await expect(store.download(ref, remote, { fetch: hub.fetch, retries: 0 })).rejects.toThrow(
				DownloadError
			);
			hub.ignoreRange = true;
			await store.download(ref, remote, { fetch: hub.fetch });
			expect(hub.requests[1]).toMatchObject({ range: 'bytes=1500-', status: 200, bytesSent: SIZE });
			expect(sameBytes(await store.readBytes(ref), bytes)).toBe(true);
		});

		it('starts over when If-Range says the file changed', async () => {
			const { hub, store, bytes, remote, ref } = await setup();
			hub.dropAfter = [1500];
			await expect(store.download(ref, remote, { fetch: hub.fetch, retries: 0 })).rejects.toThrow(
				DownloadError
			);
			hub.serve(remote.url, bytes, '"another-etag"');
			const record = await store.download(ref, remote, { fetch: hub.fetch });
			expect(hub.requests[1]).toMatchObject({ status: 200, bytesSent: SIZE });
			expect(record.etag).toBe('"another-etag"');
		});

		it('resumes by itself from the stored offset when the connection drops', async () => {
			const { hub, store, bytes, remote, ref } = await setup();
			hub.dropAfter = [1500, 2000];
			const progress: number[] = [];
			const record = await store.download(ref, remote, {
				fetch: hub.fetch,
				...fast,
				onProgress: (loaded) => progress.push(loaded)
			});
			expect(record.state).toBe('complete');
			expect(hub.requests.map((request) => request.range)).toEqual([null, 'bytes=1500-', 'bytes=3500-']);
			expect(hub.bytesSent).toBe(SIZE);
			expect(progress.at(-1)).toBe(SIZE);
			expect(sameBytes(await store.readBytes(ref), bytes)).toBe(true);
		});

		it('gives up after the retries with a consistent partial record', async () => {
			const { hub, store, dbName, remote, ref } = await setup();
			hub.dropAfter = [1000, 1000, 1000];
			const error = await store
				.download(ref, remote, { fetch: hub.fetch, retries: 2, ...fast })
				.catch((e) => e);
			expect(error).toBeInstanceOf(DownloadError);
			expect((error as Error).message).toContain('3000 of 5000 bytes are stored');
			const record = await store.getFile(ref);
			expect(record).toMatchObject({ state: 'partial', bytesStored: 3000 });
			expect(await countChunks(dbName, record?.key)).toBe(3);
		});

		it('does not retry an HTTP error that retrying cannot fix', async () => {
			const { hub, store, ref, remote } = await setup();
			const missing = { ...remote, url: 'https://hub.test/nowhere' };
			await expect(store.download(ref, missing, { fetch: hub.fetch, ...fast })).rejects.toThrow(/HTTP 404/);
			expect(hub.requests).toHaveLength(1);
		});
	});

	describe('integrity', () => {
		it('discards a corrupted download and fetches it once more', async () => {
			const { hub, store, bytes, remote, ref } = await setup();
			hub.corruptAt = [4321];
			const record = await store.download(ref, remote, { fetch: hub.fetch });
			expect(record.state).toBe('complete');
			expect(hub.requests).toHaveLength(2);
			expect(sameBytes(await store.readBytes(ref), bytes)).toBe(true);
		});

		it('throws IntegrityError naming the file and both hashes when it is corrupt twice', async () => {
			const { hub, store, dbName, remote, ref } = await setup();
			hub.corruptAt = [10, 10];
			const error = await store.download(ref, remote, { fetch: hub.fetch }).catch((e) => e);
			expect(error).toBeInstanceOf(IntegrityError);
			expect((error as Error).message).toContain('onnx/model.onnx');
			expect((error as Error).message).toContain(`expected SHA-256 ${remote.sha256}, got `);
			const record = await store.getFile(ref);
			expect(record).toMatchObject({ state: 'partial', bytesStored: 0 });
			expect(await countChunks(dbName, record?.key)).toBe(0);
		});

		it('checks git blob SHA-1 when there is no LFS hash', async () => {
			const hub = newHub();
			const { store } = await openTestStore({ backend: 'idb' });
			const bytes = new TextEncoder().encode('{"model_type":"bert"}');
			const remote = await publish(
				hub,
				'org/model',
				refOf('org/model', 'x').commit,
				'config.json',
				bytes,
				'git'
			);
			const ref = refOf('org/model', 'config.json');
			hub.corruptAt = [3, 3];
			await expect(store.download(ref, remote, { fetch: hub.fetch })).rejects.toThrow(/git blob SHA-1/);
			const record = await store.download(ref, remote, { fetch: hub.fetch });
			expect(record.state).toBe('complete');
			const response = await store.read(ref);
			expect(response.headers.get('Content-Type')).toBe('application/json');
			expect(await response.text()).toBe('{"model_type":"bert"}');
		});

		it('rehashes the stored prefix on resume, so a prefix corrupted while paused is caught', async () => {
			const hub = newHub();
			const memory = new MemoryByteStore(1024);
			const { store } = await openTestStore({ byteStore: memory });
			const bytes = patternBytes(SIZE);
			const remote = await publish(hub, 'org/model', refOf('org/model', 'x').commit, 'model.bin', bytes);
			const ref = refOf('org/model', 'model.bin');
			hub.dropAfter = [2000];
			await expect(store.download(ref, remote, { fetch: hub.fetch, retries: 0 })).rejects.toThrow(
				DownloadError
			);
			const key = (await store.getFile(ref))?.key ?? '';
			const stored = memory.files.get(key);
			if (stored) stored[5] = (stored[5] ?? 0) ^ 1;
			await store.download(ref, remote, { fetch: hub.fetch });
			expect(hub.requests.map((request) => request.range)).toEqual([null, 'bytes=2000-', null]);
			expect(sameBytes(await store.readBytes(ref), bytes)).toBe(true);
		});
	});

	describe('a full disk', () => {
		it('keeps a resumable partial record, leaves other models alone, and resumes later', async () => {
			const hub = newHub();
			const memory = new MemoryByteStore(1024);
			const { store } = await openTestStore({ byteStore: memory });
			const commit = refOf('a', 'x').commit;
			const other = await publish(hub, 'org/other', commit, 'model.bin', patternBytes(3000, 7));
			const otherRef = refOf('org/other', 'model.bin');
			await store.recordModel(otherRef.hub, 'org/other', commit, { files: [other] });
			await store.download(otherRef, other, { fetch: hub.fetch });

			const bytes = patternBytes(SIZE);
			const remote = await publish(hub, 'org/model', commit, 'model.bin', bytes);
			const ref = refOf('org/model', 'model.bin');
			memory.quota = memory.used + 2500;
			const error = await store.download(ref, remote, { fetch: hub.fetch }).catch((e) => e);
			expect(error).toBeInstanceOf(StorageFullError);
			expect((error as Error).message).toMatch(/Storage is full: model.bin stopped after \d+ of 5000 bytes/);
			const partial = await store.getFile(ref);
			expect(partial?.state).toBe('partial');
			expect(partial?.bytesStored).toBe(await memory.size(partial?.key ?? ''));
			expect(partial?.bytesStored).toBeGreaterThan(0);
			expect(await store.verify(otherRef)).toBe(true);

			memory.quota = Infinity;
			await store.download(ref, remote, { fetch: hub.fetch });
			expect(hub.requests.at(-1)?.range).toBe(`bytes=${partial?.bytesStored}-`);
			expect(sameBytes(await store.readBytes(ref), bytes)).toBe(true);
		});
	});

	describe('cancellation', () => {
		it('rejects with the signal reason and keeps the prefix for a later resume', async () => {
			const { hub, store, bytes, remote, ref } = await setup();
			const controller = new AbortController();
			const reason = new CancelledError('user cancelled');
			const download = store.download(ref, remote, {
				fetch: hub.fetch,
				signal: controller.signal,
				onProgress: (loaded) => {
					if (loaded >= 2100) controller.abort(reason);
				}
			});
			await expect(download).rejects.toBe(reason);
			const partial = await store.getFile(ref);
			expect(partial?.state).toBe('partial');
			expect(partial?.bytesStored).toBeGreaterThanOrEqual(2048);
			await store.download(ref, remote, { fetch: hub.fetch });
			expect(hub.bytesSent).toBeLessThanOrEqual(SIZE + hub.pieceSize);
			expect(sameBytes(await store.readBytes(ref), bytes)).toBe(true);
		});

		it('stops waiting for another download of the same file when cancelled', async () => {
			const { hub, store, remote, ref } = await setup();
			hub.dropAfter = [0];
			const first = store.download(ref, remote, { fetch: hub.fetch, retries: 1, retryDelayMs: 200 });
			const controller = new AbortController();
			const second = store.download(ref, remote, { fetch: hub.fetch, signal: controller.signal });
			controller.abort();
			await expect(second).rejects.toMatchObject({ name: 'AbortError' });
			expect((await first).state).toBe('complete');
		});
	});
});

// Store scenarios that need a real browser: they run inside a dedicated worker (the only place OPFS sync
// access handles exist) against a fake hub, check themselves, and return facts for the spec to assert.
// model-store.browser.spec.ts drives them through store-scenarios.worker.ts; a Playwright spec could too.

import { openDB } from 'idb';
import { ModelStore } from '../model-store';
import type { ByteBackend } from '../types';
import { FakeHub, patternBytes, publish } from './fake-hub';
import { COMMIT, HUB, flipChunkByte, readAll, refOf, sameBytes } from './store-fixture';

export type ScenarioFacts = Record<string, string | number | boolean>;
export interface ScenarioRequest {
	scenario: ScenarioName;
	backend: ByteBackend;
	/** Names the database and the OPFS folder, so scenarios never see each other's files. */
	dbName: string;
}

const KiB = 1024;

function check(condition: boolean, message: string): asserts condition {
	if (!condition) throw new Error(`Check failed: ${message}`);
}

async function openStore(request: ScenarioRequest, chunkSize = 64 * KiB): Promise<ModelStore> {
	const store = await ModelStore.open({
		backend: request.backend,
		dbName: request.dbName,
		chunkSize,
		readBlockSize: 100 * KiB
	});
	check(store.backend === request.backend, `store opened with ${store.backend}, not ${request.backend}`);
	return store;
}

/** Whether the store's OPFS folder holds a file for `key`, and its size. */
async function opfsFileSize(dbName: string, key: string): Promise<number | null> {
	const directory = await (await navigator.storage.getDirectory()).getDirectoryHandle(dbName);
	try {
		return (await (await directory.getFileHandle(key)).getFile()).size;
	} catch {
		return null;
	}
}

async function chunkCount(dbName: string): Promise<number> {
	const db = await openDB(dbName);
	try {
		return await db.count('chunks');
	} finally {
		db.close();
	}
}

/** Flips one stored byte behind the store's back, as a failing disk or a stray write would. */
async function corruptStoredByte(request: ScenarioRequest, key: string, offset: number): Promise<void> {
	if (request.backend === 'opfs') {
		const directory = await (await navigator.storage.getDirectory()).getDirectoryHandle(request.dbName);
		const file = await directory.getFileHandle(key);
		const writable = await file.createWritable({ keepExistingData: true });
		const original = new Uint8Array(await (await file.getFile()).slice(offset, offset + 1).arrayBuffer());
		await writable.write({
			type: 'write',
			position: offset,
			data: new Uint8Array([(original[0] ?? 0) ^ 0xff])
		});
		await writable.close();
		return;
	}
	await flipChunkByte(request.dbName, key, offset);
}

const scenarios = {
	/** 'auto' picks OPFS in a dedicated worker. */
	async autoBackend(request: ScenarioRequest): Promise<ScenarioFacts> {
		const store = await ModelStore.open({ dbName: request.dbName });
		store.close();
		return { backend: store.backend };
	},

	async roundTrip(request: ScenarioRequest): Promise<ScenarioFacts> {
		const store = await openStore(request);
		const hub = new FakeHub();
		hub.pieceSize = 10_000;
		const bytes = patternBytes(300 * KiB + 17);
		const remote = await publish(hub, 'org/model', COMMIT, 'onnx/model.onnx', bytes);
		const ref = refOf('org/model', 'onnx/model.onnx');
		const record = await store.download(ref, remote, { fetch: hub.fetch });
		check(
			record.state === 'complete' && record.backend === request.backend,
			'stored complete, in the backend'
		);
		const response = await store.read(ref);
		const contentLength = response.headers.get('Content-Length');
		check(sameBytes(await readAll(response), bytes), 'read() gives back the same bytes');
		check(sameBytes(await store.readBytes(ref), bytes), 'readBytes() gives back the same bytes');
		const onDisk = request.backend === 'opfs' ? await opfsFileSize(request.dbName, record.key) : null;
		store.close();
		return { size: bytes.length, contentLength: contentLength ?? '', opfsFileSize: onDisk ?? -1 };
	},

	async resumeAfterDrop(request: ScenarioRequest): Promise<ScenarioFacts> {
		const store = await openStore(request);
		const hub = new FakeHub();
		hub.pieceSize = 8_000;
		const bytes = patternBytes(400 * KiB, 3);
		const remote = await publish(hub, 'org/model', COMMIT, 'model.bin', bytes);
		const ref = refOf('org/model', 'model.bin');
		// Two drops resumed within one call, then one the call gives up on and a later call resumes.
		hub.dropAfter = [100_000, 50_000, 30_000];
		const failed = await store
			.download(ref, remote, { fetch: hub.fetch, retries: 2, retryDelayMs: 0 })
			.then(() => 'no error')
			.catch((error: unknown) => (error instanceof Error ? error.name : 'unknown'));
		const partial = await store.getFile(ref);
		await store.download(ref, remote, { fetch: hub.fetch });
		check(sameBytes(await store.readBytes(ref), bytes), 'the resumed file is intact');
		store.close();
		return {
			failed,
			partialBytes: partial?.bytesStored ?? -1,
			ranges: hub.requests.map((served) => served.range ?? 'none').join(' '),
			bytesSent: hub.bytesSent,
			size: bytes.length
		};
	},

	async corruption(request: ScenarioRequest): Promise<ScenarioFacts> {
		const store = await openStore(request);
		const hub = new FakeHub();
		hub.pieceSize = 16_000;
		const bytes = patternBytes(200 * KiB, 5);
		const remote = await publish(hub, 'org/model', COMMIT, 'model.bin', bytes);
		const ref = refOf('org/model', 'model.bin');
		hub.corruptAt = [150_000];
		const record = await store.download(ref, remote, { fetch: hub.fetch });
		const requestsForCorruptDownload = hub.requests.length;
		const verifiedBefore = await store.verify(ref);
		await corruptStoredByte(request, record.key, 123_456);
		const verifiedAfter = await store.verify(ref);
		const after = await store.getFile(ref);
		const readRefused = await store
			.read(ref)
			.then(() => false)
			.catch(() => true);
		store.close();
		return {
			requestsForCorruptDownload,
			verifiedBefore,
			verifiedAfter,
			stateAfter: after?.state ?? 'none',
			bytesStoredAfter: after?.bytesStored ?? -1,
			readRefused
		};
	},

	async deleteFrees(request: ScenarioRequest): Promise<ScenarioFacts> {
		const store = await openStore(request);
		const hub = new FakeHub();
		hub.pieceSize = 32_000;
		const remote = await publish(hub, 'org/model', COMMIT, 'model.bin', patternBytes(256 * KiB, 9));
		const ref = refOf('org/model', 'model.bin');
		await store.recordModel(HUB, 'org/model', COMMIT, { files: [remote] });
		const { key } = await store.download(ref, remote, { fetch: hub.fetch });
		const before =
			request.backend === 'opfs' ? await opfsFileSize(request.dbName, key) : await chunkCount(request.dbName);
		await store.deleteModel(HUB, 'org/model', COMMIT);
		const after =
			request.backend === 'opfs' ? await opfsFileSize(request.dbName, key) : await chunkCount(request.dbName);
		const models = (await store.listModels()).length;
		const storedBytes = await store.storedBytes();
		store.close();
		return { before: before ?? -1, after: after ?? -1, models, storedBytes };
	},

	/**
	 * Downloads a file slowly; two workers run this at once on one database, like two tabs, and together
	 * must fetch it once (Web Locks serialize them; the second finds it complete).
	 */
	async downloadOnce(request: ScenarioRequest): Promise<ScenarioFacts> {
		const store = await openStore(request);
		const hub = new FakeHub();
		hub.pieceSize = 16 * KiB;
		hub.pieceDelayMs = 20;
		const bytes = patternBytes(256 * KiB, 15);
		const remote = await publish(hub, 'org/model', COMMIT, 'model.bin', bytes);
		const ref = refOf('org/model', 'model.bin');
		const started = performance.now();
		await store.download(ref, remote, { fetch: hub.fetch });
		const finished = performance.now();
		check(sameBytes(await store.readBytes(ref), bytes), 'the file is intact');
		store.close();
		return {
			requests: hub.requests.length,
			started: performance.timeOrigin + started,
			finished: performance.timeOrigin + finished
		};
	},

	/** Leaves a stored model behind for the page to list, read and delete with its own store. */
	async storeForPage(request: ScenarioRequest): Promise<ScenarioFacts> {
		const store = await openStore(request);
		const hub = new FakeHub();
		const remote = await publish(hub, 'org/model', COMMIT, 'model.bin', patternBytes(150 * KiB, 11));
		await store.recordModel(HUB, 'org/model', COMMIT, { files: [remote] });
		const { key } = await store.download(refOf('org/model', 'model.bin'), remote, { fetch: hub.fetch });
		store.close();
		return { key, size: remote.size };
	},

	/** A stored file's Response in Chromium: one exact-size buffer, or its body streamed, read once either way. */
	async storedResponse(request: ScenarioRequest): Promise<ScenarioFacts> {
		const store = await openStore(request);
		const hub = new FakeHub();
		const bytes = patternBytes(250 * KiB + 3, 17);
		const remote = await publish(hub, 'org/model', COMMIT, 'onnx/model.onnx', bytes);
		const ref = refOf('org/model', 'onnx/model.onnx');
		const record = await store.download(ref, remote, { fetch: hub.fetch });
		const whole = store.respond(record);
		const copy = whole.clone();
		const buffer = await whole.arrayBuffer();
		check(sameBytes(new Uint8Array(buffer), bytes), 'arrayBuffer() gives back the same bytes');
		const secondRead = await whole
			.arrayBuffer()
			.then(() => 'read again')
			.catch((error: unknown) => (error instanceof Error ? error.name : 'unknown'));
		const streamed = await readAll(new Response(copy.body));
		check(sameBytes(streamed, bytes), 'the body streams the same bytes');
		store.close();
		return {
			contentLength: whole.headers.get('Content-Length') ?? '',
			contentType: whole.headers.get('Content-Type') ?? '',
			bufferSize: buffer.byteLength,
			size: bytes.length,
			bodyUsed: whole.bodyUsed,
			secondRead,
			streamedBodyUsed: copy.bodyUsed
		};
	},

	/** Read speed of a stored file, streamed and as one buffer (reported, not asserted). */
	async readSpeed(request: ScenarioRequest): Promise<ScenarioFacts> {
		const store = await ModelStore.open({ backend: request.backend, dbName: request.dbName });
		const hub = new FakeHub();
		hub.pieceSize = 1024 * KiB;
		const bytes = patternBytes(64 * 1024 * KiB, 13);
		const remote = await publish(hub, 'org/model', COMMIT, 'model.bin', bytes);
		const ref = refOf('org/model', 'model.bin');
		let started = performance.now();
		await store.download(ref, remote, { fetch: hub.fetch });
		const downloadMs = performance.now() - started;
		started = performance.now();
		const streamed = await readAll(await store.read(ref));
		const streamMs = performance.now() - started;
		started = performance.now();
		const buffered = await store.readBytes(ref);
		const bufferMs = performance.now() - started;
		check(streamed.length === bytes.length && buffered.length === bytes.length, 'whole file read back');
		await store.deleteAll();
		store.close();
		const mbPerSecond = (ms: number): number => Math.round(bytes.length / 1e6 / (ms / 1000));
		return {
			downloadMBps: mbPerSecond(downloadMs),
			streamMBps: mbPerSecond(streamMs),
			bufferMBps: mbPerSecond(bufferMs)
		};
	}
} satisfies Record<string, (request: ScenarioRequest) => Promise<ScenarioFacts>>;

export type ScenarioName = keyof typeof scenarios;

export function runScenario(request: ScenarioRequest): Promise<ScenarioFacts> {
	return scenarios[request.scenario](request);
}

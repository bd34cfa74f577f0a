// The model store in real Chromium: OPFS (sync access handles, in a dedicated worker) and IndexedDB
// bytes, round trip, resume after a dropped connection, corruption, deletion, and the page reading and
// deleting what the worker stored. Runs with `vitest --config vitest.browser.config.ts`.

import { describe, expect, it } from 'vitest';
import { deserializeError } from '$lib/runtime/errors';
import { ModelStore } from './model-store';
import type { ScenarioFacts, ScenarioRequest } from './testing/store-scenarios';
import type { ScenarioReply } from './testing/store-scenarios.worker';
import type { ByteBackend } from './types';
import { COMMIT, HUB, readAll, refOf } from './testing/store-fixture';

let runs = 0;

async function inWorker(
	scenario: ScenarioRequest['scenario'],
	backend: ByteBackend,
	dbName = `store-${scenario}-${backend}-${Date.now()}-${runs++}`
): Promise<ScenarioFacts> {
	const worker = new Worker(new URL('./testing/store-scenarios.worker.ts', import.meta.url), {
		type: 'module'
	});
	try {
		const reply = await new Promise<ScenarioReply>((resolve, reject) => {
			worker.onmessage = (event: MessageEvent<ScenarioReply>) => resolve(event.data);
			worker.onerror = (event) => reject(new Error(`Scenario worker failed: ${event.message}`));
			worker.postMessage({ scenario, backend, dbName } satisfies ScenarioRequest);
		});
		if (!reply.ok) throw deserializeError(reply.error);
		return reply.facts;
	} finally {
		worker.terminate();
	}
}

describe('ModelStore in Chromium', () => {
	it('picks OPFS by itself in a dedicated worker, IndexedDB on the page', async () => {
		expect(await inWorker('autoBackend', 'opfs')).toEqual({ backend: 'opfs' });
		const store = await ModelStore.open({ dbName: `store-page-${Date.now()}` });
		expect(store.backend).toBe('idb');
		store.close();
	});

	describe.each(['opfs', 'idb'] as const)('with %s bytes', (backend) => {
		it('round-trips a file bigger than a chunk', async () => {
			const facts = await inWorker('roundTrip', backend);
			expect(facts.contentLength).toBe(String(facts.size));
			if (backend === 'opfs') expect(facts.opfsFileSize).toBe(facts.size);
		});

		it('resumes after dropped connections, fetching each byte once', async () => {
			const facts = await inWorker('resumeAfterDrop', backend);
			expect(facts.failed).toBe('DownloadError');
			expect(facts.partialBytes).toBe(180_000);
			expect(facts.ranges).toBe('none bytes=100000- bytes=150000- bytes=180000-');
			expect(facts.bytesSent).toBe(facts.size);
		});

		it('detects corruption while downloading and in storage later', async () => {
			expect(await inWorker('corruption', backend)).toEqual({
				requestsForCorruptDownload: 2,
				verifiedBefore: true,
				verifiedAfter: false,
				stateAfter: 'partial',
				bytesStoredAfter: 0,
				readRefused: true
			});
		});

		it('fetches a file once when two workers download it at the same time', async () => {
			const dbName = `store-once-${backend}-${Date.now()}`;
			const [first, second] = await Promise.all([
				inWorker('downloadOnce', backend, dbName),
				inWorker('downloadOnce', backend, dbName)
			]);
			expect(Number(first?.requests) + Number(second?.requests)).toBe(1);
			// The two really overlapped: the one that did not fetch started before the other finished.
			const [fetched, waited] = first?.requests === 1 ? [first, second] : [second, first];
			expect(Number(waited?.started)).toBeLessThan(Number(fetched?.finished));
		});

		it('serves a stored file as a Response: one exact-size buffer, or a stream, read once', async () => {
			expect(await inWorker('storedResponse', backend)).toEqual({
				contentLength: String(250 * 1024 + 3),
				contentType: 'application/octet-stream',
				bufferSize: 250 * 1024 + 3,
				size: 250 * 1024 + 3,
				bodyUsed: true,
				secondRead: 'TypeError',
				streamedBodyUsed: true
			});
		});

		it('frees the bytes when a model is deleted', async () => {
			const facts = await inWorker('deleteFrees', backend);
			expect(facts.before).toBe(backend === 'opfs' ? 256 * 1024 : 4);
			expect(facts.after).toBe(backend === 'opfs' ? -1 : 0);
			expect(facts).toMatchObject({ models: 0, storedBytes: 0 });
		});
	});

	it('lets the page list, read and delete a model the worker stored in OPFS', async () => {
		const dbName = `store-shared-${Date.now()}`;
		const facts = await inWorker('storeForPage', 'opfs', dbName);
		const store = await ModelStore.open({ dbName });
		const [model] = await store.listModels();
		expect(model).toMatchObject({ repo: 'org/model', state: 'complete', bytesStored: facts.size });
		expect(model?.files[0]?.backend).toBe('opfs');
		const bytes = await readAll(await store.read(refOf('org/model', 'model.bin')));
		expect(bytes.length).toBe(facts.size);
		await store.deleteModel(HUB, 'org/model', COMMIT);
		const directory = await (await navigator.storage.getDirectory()).getDirectoryHandle(dbName);
		await expect(directory.getFileHandle(String(facts.key))).rejects.toMatchObject({ name: 'NotFoundError' });
		store.close();
	});

	it('reads a stored 64 MiB file quickly (speeds reported, not asserted)', async () => {
		for (const backend of ['opfs', 'idb'] as const) {
			const facts = await inWorker('readSpeed', backend);
			console.info(`read speed, ${backend}:`, JSON.stringify(facts));
		}
	});
});

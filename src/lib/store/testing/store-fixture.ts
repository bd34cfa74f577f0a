// Shared setup for the store's specs: a fresh store per test (its own database and OPFS folder), and a
// look at the raw IndexedDB chunks to check that bytes really went away.

import { openDB } from 'idb';
import { ModelStore, type ModelStoreOptions } from '../model-store';
import type { FileRef } from '../types';

let opened = 0;

export async function openTestStore(
	options: ModelStoreOptions = {}
): Promise<{ store: ModelStore; dbName: string }> {
	const dbName = `browserve-store-test-${Date.now()}-${opened++}`;
	const store = await ModelStore.open({ chunkSize: 1024, readBlockSize: 4096, ...options, dbName });
	return { store, dbName };
}

/** How many IndexedDB byte chunks the store holds (for one file key, or for all). */
export async function countChunks(dbName: string, key?: string): Promise<number> {
	const db = await openDB(dbName);
	try {
		const range = key === undefined ? undefined : IDBKeyRange.bound([key, 0], [key, Infinity]);
		return await db.count('chunks', range);
	} finally {
		db.close();
	}
}

/** Flips the stored byte at `offset` of a file kept in IndexedDB chunks, as a failing disk would. */
export async function flipChunkByte(dbName: string, key: string, offset: number): Promise<void> {
	const db = await openDB(dbName);
	try {
		// The chunk holding `offset` is the last one that starts at or before it.
		const range = IDBKeyRange.bound([key, 0], [key, offset]);
		const cursor = await db.transaction('chunks').store.openCursor(range, 'prev');
		const chunk = cursor?.value as { key: string; offset: number; bytes: Blob | Uint8Array } | undefined;
		if (!chunk) throw new Error(`No chunk of ${key} holds byte ${offset}.`);
		// Read outside the transaction: awaiting a Blob read would commit it.
		const bytes =
			chunk.bytes instanceof Blob ? new Uint8Array(await chunk.bytes.arrayBuffer()) : chunk.bytes.slice();
		bytes[offset - chunk.offset] = (bytes[offset - chunk.offset] ?? 0) ^ 0xff;
		await db.put('chunks', { ...chunk, bytes: chunk.bytes instanceof Blob ? new Blob([bytes]) : bytes });
	} finally {
		db.close();
	}
}

export async function readAll(response: Response): Promise<Uint8Array> {
	return new Uint8Array(await response.arrayBuffer());
}

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
	if (a.length !== b.length) return false;
	for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
	return true;
}

export const HUB = 'https://hub.test/';
export const COMMIT = 'c0ffee0000000000000000000000000000000000';

export function refOf(repo: string, path: string, commit = COMMIT): FileRef {
	return { hub: HUB, repo, commit, path };
}

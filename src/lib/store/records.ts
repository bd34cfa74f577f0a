// The model store's IndexedDB database: one versioned schema for file, ref and model records and, for the
// IndexedDB byte backend, the file chunks. Both backends keep their records here.

import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import { sha256 } from 'hash-wasm';
import type { FileRecord, FileRef, ModelRecord, RefRecord } from './types';

export const STORE_DB_VERSION = 1;

/**
 * A run of a file's bytes starting at `offset`; runs of one file are contiguous and never overlap. Written as
 * a Blob (see IdbByteStore); stores written before that hold Uint8Arrays, which read back the same.
 */
export interface ChunkRecord {
	key: string;
	offset: number;
	bytes: Blob | Uint8Array;
}

export function chunkLength(chunk: ChunkRecord): number {
	return chunk.bytes instanceof Blob ? chunk.bytes.size : chunk.bytes.length;
}

export type ModelKey = [hub: string, repo: string, commit: string];

export interface StoreSchema extends DBSchema {
	files: {
		key: [string, string, string, string];
		value: FileRecord;
		indexes: { byModel: ModelKey; byKey: string };
	};
	refs: {
		key: [string, string, string];
		value: RefRecord;
		indexes: { byCommit: ModelKey };
	};
	models: {
		key: ModelKey;
		value: ModelRecord;
	};
	chunks: {
		key: [string, number];
		value: ChunkRecord;
	};
}

export type StoreDb = IDBPDatabase<StoreSchema>;

export function openStoreDb(name: string): Promise<StoreDb> {
	return openDB<StoreSchema>(name, STORE_DB_VERSION, {
		upgrade(db, oldVersion) {
			// Each version adds what it needs on top of the previous one, so any older database upgrades in steps.
			if (oldVersion < 1) {
				const files = db.createObjectStore('files', { keyPath: ['hub', 'repo', 'commit', 'path'] });
				files.createIndex('byModel', ['hub', 'repo', 'commit']);
				files.createIndex('byKey', 'key', { unique: true });
				const refs = db.createObjectStore('refs', { keyPath: ['hub', 'repo', 'revision'] });
				refs.createIndex('byCommit', ['hub', 'repo', 'commit']);
				db.createObjectStore('models', { keyPath: ['hub', 'repo', 'commit'] });
				db.createObjectStore('chunks', { keyPath: ['key', 'offset'] });
			}
		},
		blocking(_currentVersion, _blockedVersion, event) {
			// A newer tab wants to upgrade the schema: step aside rather than block it forever.
			(event.target as IDBDatabase | null)?.close();
		}
	});
}

export function fileRecordKey(ref: FileRef): [string, string, string, string] {
	return [ref.hub, ref.repo, ref.commit, ref.path];
}

/**
 * A fixed-length, filename-safe name for a file's bytes. Hashing a JSON array keeps distinct
 * (hub, repo, commit, path) tuples distinct whatever characters they contain.
 */
export function fileKey(ref: FileRef): Promise<string> {
	return sha256(JSON.stringify([ref.hub, ref.repo, ref.commit, ref.path]));
}

/** The range of every chunk key of one file, for reading, truncating and deleting it. */
export function chunkRange(key: string, from = 0, to = Infinity, toOpen = false): IDBKeyRange {
	return IDBKeyRange.bound([key, from], [key, to], false, toOpen);
}

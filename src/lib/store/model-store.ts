// ModelStore: the on-device store of hub models. Records (files, refs, models) live in IndexedDB; bytes
// live in OPFS files where sync access handles exist (dedicated workers), else in IndexedDB chunks. It
// runs in the inference worker; the page can open it too, to list and delete what is stored.

import { ModelLoadError } from '$lib/runtime/errors';
import { IdbByteStore, type ByteStore } from './byte-store';
import { downloadFile, type DownloadContext } from './download';
import { withFileLock } from './file-lock';
import { createFileHasher, expectedHash, hashStoredPrefix } from './integrity';
import { OpfsByteStore } from './opfs-byte-store';
import { StoredFile, StoredFileResponse } from './stored-file';
import { fileKey, fileRecordKey, openStoreDb, type ModelKey, type StoreDb } from './records';
import { summarizeModel } from './summary';
import type {
	ByteBackend,
	DownloadOptions,
	FileRecord,
	FileRef,
	ModelRecord,
	RemoteFile,
	StoredModel
} from './types';

export interface ModelStoreOptions {
	/** 'auto' picks OPFS where sync access handles exist, else IndexedDB. */
	backend?: 'auto' | ByteBackend;
	/** Names the IndexedDB database and the OPFS folder; default 'browserve-store'. */
	dbName?: string;
	/** Bytes per IndexedDB chunk and between durable points while downloading; default 4 MiB. */
	chunkSize?: number;
	/** Bytes per block when reading or re-hashing a stored file; default 16 MiB. */
	readBlockSize?: number;
	/** Replaces the byte store of its kind and makes it the one downloads use (specs inject faults here). */
	byteStore?: ByteStore;
}

const MiB = 1024 * 1024;
/** How often reads of one file move it to the front of the LRU order again (an IndexedDB write each time). */
const MARK_USED_INTERVAL_MS = 60_000;

export class ModelStore {
	/** Where new downloads put their bytes. */
	readonly backend: ByteBackend;
	readonly #db: StoreDb;
	readonly #byteStores: Partial<Record<ByteBackend, ByteStore>>;
	readonly #chunkSize: number;
	readonly #readBlockSize: number;
	/** When this store last marked each file (by key) used. */
	readonly #lastMarked = new Map<string, number>();

	private constructor(
		db: StoreDb,
		byteStores: Partial<Record<ByteBackend, ByteStore>>,
		backend: ByteBackend,
		chunkSize: number,
		readBlockSize: number
	) {
		this.#db = db;
		this.#byteStores = byteStores;
		this.backend = backend;
		this.#chunkSize = chunkSize;
		this.#readBlockSize = readBlockSize;
	}

	static async open(options: ModelStoreOptions = {}): Promise<ModelStore> {
		const name = options.dbName ?? 'browserve-store';
		const chunkSize = options.chunkSize ?? 4 * MiB;
		const readBlockSize = options.readBlockSize ?? 16 * MiB;
		const db = await openStoreDb(name);
		// OPFS is opened even when downloads go to IndexedDB: files stored by the worker stay readable and
		// deletable from the page.
		const opfs = await OpfsByteStore.open(name, chunkSize);
		const byteStores: Partial<Record<ByteBackend, ByteStore>> = { idb: new IdbByteStore(db, chunkSize) };
		if (opfs) byteStores.opfs = opfs;
		let backend: ByteBackend;
		if (options.byteStore) {
			byteStores[options.byteStore.kind] = options.byteStore;
			backend = options.byteStore.kind;
		} else if (options.backend === 'opfs') {
			if (!opfs?.writable) {
				db.close();
				throw new Error('OPFS sync access handles are missing here: they exist only in dedicated workers.');
			}
			backend = 'opfs';
		} else {
			backend = options.backend !== 'idb' && opfs?.writable ? 'opfs' : 'idb';
		}
		return new ModelStore(db, byteStores, backend, chunkSize, readBlockSize);
	}

	close(): void {
		this.#db.close();
	}

	async rememberRef(hub: string, repo: string, revision: string, commit: string): Promise<void> {
		await this.#db.put('refs', { hub, repo, revision, commit, resolvedAt: Date.now() });
	}

	async lookupRef(hub: string, repo: string, revision: string): Promise<string | null> {
		return (await this.#db.get('refs', [hub, repo, revision]))?.commit ?? null;
	}

	/** Records which files make up a model; files not stored yet get a partial record with their hashes. */
	async recordModel(
		hub: string,
		repo: string,
		commit: string,
		info: { task?: string; files: RemoteFile[] }
	): Promise<void> {
		const now = Date.now();
		// Keys are hashed before the transaction opens: awaiting anything but IndexedDB would commit it early.
		const keyed = await Promise.all(
			info.files.map(async (remote) => {
				const ref = { hub, repo, commit, path: remote.path };
				return { ref, remote, key: await fileKey(ref) };
			})
		);
		const tx = this.#db.transaction(['models', 'files'], 'readwrite');
		const models = tx.objectStore('models');
		const files = tx.objectStore('files');
		const existing = await models.get([hub, repo, commit]);
		const model: ModelRecord = {
			hub,
			repo,
			commit,
			files: info.files.map((file) => file.path),
			totalSize: info.files.reduce((sum, file) => sum + file.size, 0),
			firstUsed: existing?.firstUsed ?? now,
			lastUsed: now
		};
		const task = info.task ?? existing?.task;
		if (task !== undefined) model.task = task;
		await models.put(model);
		for (const { ref, remote, key } of keyed) {
			if (await files.get(fileRecordKey(ref))) continue;
			await files.put(this.#newRecord(ref, key, remote, now));
		}
		await tx.done;
	}

	/** Stored models, most recently used first. */
	async listModels(): Promise<StoredModel[]> {
		const tx = this.#db.transaction(['models', 'files']);
		const [models, files] = await Promise.all([
			tx.objectStore('models').getAll(),
			tx.objectStore('files').getAll()
		]);
		const filesByModel = new Map<string, FileRecord[]>();
		for (const file of files) {
			const id = modelId([file.hub, file.repo, file.commit]);
			filesByModel.set(id, [...(filesByModel.get(id) ?? []), file]);
		}
		return models
			.map((model) =>
				summarizeModel(model, filesByModel.get(modelId([model.hub, model.repo, model.commit])) ?? [])
			)
			.sort((a, b) => b.lastUsed - a.lastUsed);
	}

	/** Stored models, least recently used first: the order to evict in. */
	async leastRecentlyUsed(): Promise<StoredModel[]> {
		return (await this.listModels()).reverse();
	}

	async touch(hub: string, repo: string, commit: string): Promise<void> {
		const tx = this.#db.transaction('models', 'readwrite');
		const model = await tx.store.get([hub, repo, commit]);
		if (model) await tx.store.put({ ...model, lastUsed: Date.now() });
		await tx.done;
	}

	/** Removes a model's bytes and records, and the refs that point at its commit. */
	async deleteModel(hub: string, repo: string, commit: string): Promise<void> {
		const files = await this.#db.getAllFromIndex('files', 'byModel', [hub, repo, commit]);
		for (const file of files) await this.#deleteFile(file);
		const tx = this.#db.transaction(['models', 'refs'], 'readwrite');
		const refs = tx.objectStore('refs');
		for (const key of await refs.index('byCommit').getAllKeys([hub, repo, commit])) await refs.delete(key);
		await tx.objectStore('models').delete([hub, repo, commit]);
		await tx.done;
	}

	async deleteAll(): Promise<void> {
		for (const file of await this.#db.getAll('files')) await this.#deleteFile(file);
		const tx = this.#db.transaction(['models', 'refs'], 'readwrite');
		await Promise.all([tx.objectStore('models').clear(), tx.objectStore('refs').clear(), tx.done]);
		// Bytes whose record never made it (a crash between the two) are swept too.
		for (const bytes of Object.values(this.#byteStores)) {
			const recorded = new Set((await this.#db.getAll('files')).map((file) => file.key));
			for (const key of await bytes.keys()) {
				if (!recorded.has(key)) await withFileLock(key, undefined, () => bytes.delete(key));
			}
		}
	}

	getFile(ref: FileRef): Promise<FileRecord | undefined> {
		return this.#db.get('files', fileRecordKey(ref));
	}

	/** Downloads a file into the store, resuming a partial one; returns at once if it is already stored. */
	async download(ref: FileRef, remote: RemoteFile, options: DownloadOptions = {}): Promise<FileRecord> {
		const key = await fileKey(ref);
		return withFileLock(key, options.signal, async () => {
			const found = await this.getFile(ref);
			// Another tab or worker may have finished it while this one waited for the lock.
			if (found && found.state !== 'partial' && sameContent(found, remote)) return found;
			const record = await this.#resumableRecord(found, ref, key, remote);
			return downloadFile(this.#downloadContext(record.backend), record, remote, options);
		});
	}

	/**
	 * Opens a stored file for reading: checks that all its bytes are there (a file whose bytes vanished is
	 * marked partial, so the next load downloads the rest) and marks it used. One open serves any number of reads.
	 */
	async open(ref: FileRef): Promise<StoredFile> {
		const record = await this.getFile(ref);
		if (!record || record.state === 'partial') {
			throw new ModelLoadError(`${ref.path} of ${ref.repo} is not stored completely.`, {
				repo: ref.repo,
				path: ref.path
			});
		}
		return this.#openRecord(record);
	}

	/**
	 * A stored file as a Response that opens it only when its bytes are first read (its headers come from the
	 * record): what transformers.js' custom cache answers, since it asks for some files only to learn their size.
	 */
	respond(record: FileRecord): StoredFileResponse {
		return StoredFileResponse.lazy(record, () => this.#openRecord(record));
	}

	/** The stored bytes as a Response: a stream read in large blocks, or one buffer through arrayBuffer(). */
	async read(ref: FileRef): Promise<Response> {
		return StoredFileResponse.of(await this.open(ref));
	}

	/** The stored bytes in one exact-size buffer, for consumers that need the whole file in memory anyway. */
	async readBytes(ref: FileRef): Promise<Uint8Array<ArrayBuffer>> {
		return (await this.open(ref)).bytes();
	}

	/** Re-hashes a stored file; a mismatch discards its bytes so the next load downloads it again. */
	async verify(ref: FileRef): Promise<boolean> {
		const key = await fileKey(ref);
		return withFileLock(key, undefined, async () => {
			const record = await this.getFile(ref);
			if (!record || record.state === 'partial') return false;
			const bytes = this.#bytesOf(record);
			const stored = await bytes.size(record.key);
			if (stored < record.size) {
				await this.#db.put('files', { ...record, state: 'partial', bytesStored: stored });
				return false;
			}
			const expected = expectedHash(record);
			const hasher = await createFileHasher(expected, record.size);
			if (hasher) {
				await hashStoredPrefix(bytes, record.key, record.size, hasher, this.#readBlockSize);
				if (hasher.digest('hex') !== expected?.hex) {
					await bytes.delete(record.key);
					await this.#db.put('files', { ...record, state: 'partial', bytesStored: 0, etag: null });
					return false;
				}
			}
			await this.#db.put('files', { ...record, state: 'verified', verifiedAt: Date.now() });
			return true;
		});
	}

	/** Bytes held by stored files, partial ones included. */
	async storedBytes(): Promise<number> {
		return (await this.#db.getAll('files')).reduce((sum, file) => sum + file.bytesStored, 0);
	}

	#bytesOf(record: FileRecord): ByteStore {
		const bytes = this.#byteStores[record.backend];
		if (!bytes)
			throw new ModelLoadError(`${record.path} is stored in ${record.backend}, which is not available here.`);
		return bytes;
	}

	#downloadContext(backend: ByteBackend): DownloadContext {
		const bytes = this.#byteStores[backend];
		if (!bytes) throw new Error(`No ${backend} byte store.`);
		return {
			bytes,
			chunkSize: this.#chunkSize,
			readBlockSize: this.#readBlockSize,
			save: async (record) => void (await this.#db.put('files', record))
		};
	}

	#newRecord(ref: FileRef, key: string, remote: RemoteFile, now: number): FileRecord {
		const { hub, repo, commit, path } = ref;
		return {
			...{ hub, repo, commit, path, key, size: remote.size, sha256: remote.sha256, gitOid: remote.gitOid },
			...{ etag: null, state: 'partial', bytesStored: 0, firstUsed: now, lastUsed: now, verifiedAt: null },
			backend: this.backend
		};
	}

	/** The record to download into: the stored one if its prefix can be resumed here, else a fresh one. */
	async #resumableRecord(
		found: FileRecord | undefined,
		ref: FileRef,
		key: string,
		remote: RemoteFile
	): Promise<FileRecord> {
		const now = Date.now();
		let record: FileRecord;
		if (found && sameContent(found, remote) && this.#byteStores[found.backend]?.writable) {
			record = { ...found, state: 'partial', lastUsed: now };
		} else {
			if (found) await this.#byteStores[found.backend]?.delete(found.key);
			record = { ...this.#newRecord(ref, key, remote, now), firstUsed: found?.firstUsed ?? now };
		}
		await this.#db.put('files', record);
		return record;
	}

	async #openRecord(record: FileRecord): Promise<StoredFile> {
		const bytes = this.#bytesOf(record);
		const stored = await bytes.size(record.key);
		if (stored < record.size) {
			await withFileLock(record.key, undefined, () =>
				this.#db.put('files', { ...record, state: 'partial', bytesStored: stored })
			);
			throw new ModelLoadError(
				`${record.path} of ${record.repo} lost ${record.size - stored} stored bytes.`,
				{ repo: record.repo, path: record.path }
			);
		}
		this.#markUsed(record);
		// A file that cannot be read back in full is re-checked, so the next load downloads it again.
		return new StoredFile(
			record,
			bytes,
			this.#readBlockSize,
			() => void this.verify(record).catch(() => undefined)
		);
	}

	/**
	 * Moves a file and its model to the front of the LRU order. Reads do not wait for it: the write is queued in
	 * IndexedDB (so a listing that starts after the read sees it), and a file read again within a minute by
	 * this store (transformers.js opens some files twice per load) is not written again.
	 */
	#markUsed(record: FileRecord): void {
		const now = Date.now();
		if (now - (this.#lastMarked.get(record.key) ?? -Infinity) < MARK_USED_INTERVAL_MS) return;
		this.#lastMarked.set(record.key, now);
		const tx = this.#db.transaction(['files', 'models'], 'readwrite');
		const files = tx.objectStore('files');
		const models = tx.objectStore('models');
		// Re-read inside the transaction: a verify or a download may have changed the records meanwhile.
		const update = async (): Promise<void> => {
			const file = await files.get(fileRecordKey(record));
			if (file?.key === record.key) await files.put({ ...file, lastUsed: now });
			const model = await models.get([record.hub, record.repo, record.commit]);
			if (model) await models.put({ ...model, lastUsed: now });
		};
		Promise.all([update(), tx.done]).catch(() => this.#lastMarked.delete(record.key));
	}

	async #deleteFile(file: FileRecord): Promise<void> {
		await withFileLock(file.key, undefined, async () => {
			// Without access to the file's backend here its bytes stay until a context that has it sweeps them.
			await this.#byteStores[file.backend]?.delete(file.key);
			await this.#db.delete('files', fileRecordKey(file));
		});
	}
}

function modelId(key: ModelKey): string {
	return JSON.stringify(key);
}

function sameContent(record: FileRecord, remote: RemoteFile): boolean {
	const same = (a: string | null, b: string | null): boolean =>
		(a ?? '').toLowerCase() === (b ?? '').toLowerCase();
	return (
		record.size === remote.size && same(record.sha256, remote.sha256) && same(record.gitOid, remote.gitOid)
	);
}

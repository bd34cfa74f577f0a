// Where stored file bytes live, behind one interface so the model store does not care: OPFS files in
// dedicated workers (opfs-byte-store.ts), IndexedDB chunks everywhere else (here).

import { chunkLength, chunkRange, type ChunkRecord, type StoreDb } from './records';
import type { ByteBackend } from './types';

/** Appends to one file. Bytes count as stored only once `durable` covers them. */
export interface ByteWriter {
	/** The end of what was written, flushed or not. */
	readonly position: number;
	/** The end of what would survive a crash now. */
	readonly durable: number;
	/**
	 * Writes at `position`; flushes by itself whenever a chunk's worth is pending. The bytes may be reused by
	 * the caller once the promise resolves (a download's body buffer is), so a writer copies what it keeps.
	 */
	write(bytes: Uint8Array): Promise<void>;
	flush(): Promise<void>;
	/** Releases the file. Bytes past `durable` may or may not survive: only `durable` counts. */
	close(): Promise<void>;
}

export interface ByteStore {
	readonly kind: ByteBackend;
	/** False where this backend can only be read and deleted (OPFS outside a dedicated worker). */
	readonly writable: boolean;
	/** Opens a file for appending at `offset`, dropping whatever was stored past it. */
	openWriter(key: string, offset: number): Promise<ByteWriter>;
	/** Fills `target` from `offset`; returns how many bytes there were (fewer at the end of the file). */
	readInto(key: string, target: Uint8Array, offset: number): Promise<number>;
	/** How many bytes are stored for the file, 0 if none. */
	size(key: string): Promise<number>;
	delete(key: string): Promise<void>;
	/** Every file key with bytes here, to sweep bytes whose record is gone. */
	keys(): Promise<string[]>;
}

export function isQuotaError(error: unknown): boolean {
	return error instanceof Object && 'name' in error && error.name === 'QuotaExceededError';
}

/**
 * Bytes as IndexedDB records of up to `chunkSize` bytes keyed by (file key, offset). Chunks may be
 * shorter (a flush before a pause), so a resume just appends at the stored offset.
 *
 * Chunks are stored as Blobs, not Uint8Arrays. Chromium keeps any value over 64 KiB in a blob file anyway:
 * a Uint8Array is serialized (a copy), then wrapped into a blob (a second copy), and reading it back unwraps
 * and deserializes it again; a Blob goes in with one copy and reads back with one. Measured here on 219 MB
 * in 4 MiB chunks: writes 10 % faster, reads 1.55× faster, ~70 MB less renderer memory at peak.
 */
export class IdbByteStore implements ByteStore {
	readonly kind = 'idb';
	readonly writable = true;
	readonly #db: StoreDb;
	readonly #chunkSize: number;

	constructor(db: StoreDb, chunkSize: number) {
		this.#db = db;
		this.#chunkSize = chunkSize;
	}

	async openWriter(key: string, offset: number): Promise<ByteWriter> {
		const stored = await this.#truncate(key, offset);
		if (stored !== offset)
			throw new RangeError(`Cannot append at ${offset}: only ${stored} bytes are stored.`);
		return new IdbChunkWriter(this.#db, key, offset, this.#chunkSize);
	}

	async readInto(key: string, target: Uint8Array, offset: number): Promise<number> {
		const end = offset + target.length;
		const tx = this.#db.transaction('chunks');
		// The chunk holding `offset` may start before it: find the last chunk starting at or before it.
		const first = await tx.store.openCursor(chunkRange(key, 0, offset), 'prev');
		const from = first ? first.value.offset : offset;
		const chunks = await tx.store.getAll(chunkRange(key, from, end, true));
		// The contiguous pieces that cover [offset, end), as far as the stored chunks reach.
		const pieces: { chunk: ChunkRecord; start: number; length: number; at: number }[] = [];
		let filled = 0;
		for (const chunk of chunks) {
			const chunkEnd = chunk.offset + chunkLength(chunk);
			if (chunkEnd <= offset + filled) continue;
			if (chunk.offset > offset + filled) break;
			const start = offset + filled - chunk.offset;
			const length = Math.min(chunkEnd, end) - (offset + filled);
			pieces.push({ chunk, start, length, at: filled });
			filled += length;
		}
		// Blobs are read in parallel: each read is a round trip to the browser's blob storage.
		await Promise.all(
			pieces.map(async ({ chunk, start, length, at }) => {
				const { bytes } = chunk;
				const piece =
					bytes instanceof Blob
						? new Uint8Array(await bytes.slice(start, start + length).arrayBuffer())
						: bytes.subarray(start, start + length);
				if (piece.length !== length) throw new Error(`A stored chunk of ${key} changed while it was read.`);
				target.set(piece, at);
			})
		);
		return filled;
	}

	async size(key: string): Promise<number> {
		const last = await this.#db.transaction('chunks').store.openCursor(chunkRange(key), 'prev');
		return last ? last.value.offset + chunkLength(last.value) : 0;
	}

	async delete(key: string): Promise<void> {
		await this.#db.delete('chunks', chunkRange(key));
	}

	async keys(): Promise<string[]> {
		const keys = new Set<string>();
		let cursor = await this.#db.transaction('chunks').store.openKeyCursor();
		while (cursor) {
			const [key] = cursor.key;
			keys.add(key);
			// Skip the rest of this file's chunks in one step.
			cursor = await cursor.continue([key, Infinity]);
		}
		return [...keys];
	}

	/** Drops bytes at and past `offset` (a chunk that straddles it is cut); returns the new size. */
	async #truncate(key: string, offset: number): Promise<number> {
		const tx = this.#db.transaction('chunks', 'readwrite');
		let cursor = await tx.store.openCursor(chunkRange(key), 'prev');
		let size = 0;
		while (cursor) {
			const chunk = cursor.value;
			if (chunk.offset >= offset) {
				await cursor.delete();
			} else {
				if (chunk.offset + chunkLength(chunk) > offset) {
					await cursor.update({ ...chunk, bytes: chunk.bytes.slice(0, offset - chunk.offset) });
				}
				size = Math.min(offset, chunk.offset + chunkLength(chunk));
				break;
			}
			cursor = await cursor.continue();
		}
		await tx.done;
		return size;
	}
}

class IdbChunkWriter implements ByteWriter {
	readonly #db: StoreDb;
	readonly #key: string;
	readonly #chunkSize: number;
	readonly #buffer: Uint8Array<ArrayBuffer>;
	#pending = 0;
	#durable: number;

	constructor(db: StoreDb, key: string, offset: number, chunkSize: number) {
		this.#db = db;
		this.#key = key;
		this.#chunkSize = chunkSize;
		this.#buffer = new Uint8Array(chunkSize);
		this.#durable = offset;
	}

	get position(): number {
		return this.#durable + this.#pending;
	}

	get durable(): number {
		return this.#durable;
	}

	async write(bytes: Uint8Array): Promise<void> {
		let at = 0;
		while (at < bytes.length) {
			const take = Math.min(bytes.length - at, this.#chunkSize - this.#pending);
			this.#buffer.set(bytes.subarray(at, at + take), this.#pending);
			this.#pending += take;
			at += take;
			if (this.#pending === this.#chunkSize) await this.flush();
		}
	}

	async flush(): Promise<void> {
		if (this.#pending === 0) return;
		// The Blob copies the pending bytes (only those, unlike a structured clone of a view), so the buffer can
		// be refilled at once.
		const bytes = new Blob([this.#buffer.subarray(0, this.#pending)]);
		await this.#db.put('chunks', { key: this.#key, offset: this.#durable, bytes });
		this.#durable += this.#pending;
		this.#pending = 0;
	}

	async close(): Promise<void> {
		this.#pending = 0;
	}
}

// Bytes as files in the origin private file system, one per stored file, named by the file key.
// Reads and writes go through sync access handles (about twice as fast as getFile() here), which only
// dedicated workers have; elsewhere the same files can still be read through getFile() and deleted.

import type { ByteStore, ByteWriter } from './byte-store';

// TypeScript's DOM library leaves these out: they exist only in dedicated workers.
interface SyncAccessHandle {
	read(buffer: Uint8Array, options?: { at?: number }): number;
	write(buffer: Uint8Array, options?: { at?: number }): number;
	truncate(size: number): void;
	getSize(): number;
	flush(): void;
	close(): void;
}
type SyncAccessMode = 'readwrite' | 'read-only';
interface SyncCapableFileHandle extends FileSystemFileHandle {
	createSyncAccessHandle(options?: { mode?: SyncAccessMode }): Promise<SyncAccessHandle>;
}

/** True in a dedicated worker of a browser with OPFS sync access handles. */
export function hasSyncAccessHandles(): boolean {
	return (
		typeof FileSystemFileHandle !== 'undefined' && 'createSyncAccessHandle' in FileSystemFileHandle.prototype
	);
}

function isNotFound(error: unknown): boolean {
	return error instanceof Object && 'name' in error && error.name === 'NotFoundError';
}

export class OpfsByteStore implements ByteStore {
	readonly kind = 'opfs';
	readonly writable: boolean;
	readonly #directory: FileSystemDirectoryHandle;
	readonly #flushEvery: number;

	private constructor(directory: FileSystemDirectoryHandle, flushEvery: number, writable: boolean) {
		this.#directory = directory;
		this.#flushEvery = flushEvery;
		this.writable = writable;
	}

	/** The store in OPFS folder `name`, or null where this browser (or its private mode) has no OPFS. */
	static async open(name: string, flushEvery: number): Promise<OpfsByteStore | null> {
		const storage = globalThis.navigator?.storage;
		if (typeof storage?.getDirectory !== 'function') return null;
		try {
			const root = await storage.getDirectory();
			const directory = await root.getDirectoryHandle(name, { create: true });
			return new OpfsByteStore(directory, flushEvery, hasSyncAccessHandles());
		} catch {
			// Some private modes expose getDirectory() but reject it (SecurityError).
			return null;
		}
	}

	async openWriter(key: string, offset: number): Promise<ByteWriter> {
		if (!this.writable) throw new Error('OPFS files can only be written from a dedicated worker.');
		const file = await this.#directory.getFileHandle(key, { create: true });
		const handle = await (file as SyncCapableFileHandle).createSyncAccessHandle();
		try {
			const size = handle.getSize();
			if (size < offset) throw new RangeError(`Cannot append at ${offset}: only ${size} bytes are stored.`);
			if (size > offset) handle.truncate(offset);
			return new OpfsWriter(handle, offset, this.#flushEvery);
		} catch (error) {
			handle.close();
			throw error;
		}
	}

	async readInto(key: string, target: Uint8Array, offset: number): Promise<number> {
		const file = await this.#file(key);
		if (!file) return 0;
		if (!this.writable) {
			const blob = (await file.getFile()).slice(offset, offset + target.length);
			const bytes = new Uint8Array(await blob.arrayBuffer());
			target.set(bytes);
			return bytes.length;
		}
		// Read-only handles may be held by several readers at once (an exclusive one would fail if the same
		// file is read twice concurrently); the handle is closed at once so writers are never locked out.
		const handle = await (file as SyncCapableFileHandle).createSyncAccessHandle({ mode: 'read-only' });
		try {
			let filled = 0;
			while (filled < target.length) {
				const read = handle.read(target.subarray(filled), { at: offset + filled });
				if (read === 0) break;
				filled += read;
			}
			return filled;
		} finally {
			handle.close();
		}
	}

	async size(key: string): Promise<number> {
		const file = await this.#file(key);
		return file ? (await file.getFile()).size : 0;
	}

	async delete(key: string): Promise<void> {
		try {
			await this.#directory.removeEntry(key);
		} catch (error) {
			if (!isNotFound(error)) throw error;
		}
	}

	async keys(): Promise<string[]> {
		const keys: string[] = [];
		for await (const [name, handle] of this.#directory.entries()) if (handle.kind === 'file') keys.push(name);
		return keys;
	}

	async #file(key: string): Promise<FileSystemFileHandle | null> {
		try {
			return await this.#directory.getFileHandle(key);
		} catch (error) {
			if (isNotFound(error)) return null;
			throw error;
		}
	}
}

class OpfsWriter implements ByteWriter {
	readonly #handle: SyncAccessHandle;
	readonly #flushEvery: number;
	#position: number;
	#durable: number;
	#open = true;

	constructor(handle: SyncAccessHandle, offset: number, flushEvery: number) {
		this.#handle = handle;
		this.#flushEvery = flushEvery;
		this.#position = offset;
		this.#durable = offset;
	}

	get position(): number {
		return this.#position;
	}

	get durable(): number {
		return this.#durable;
	}

	async write(bytes: Uint8Array): Promise<void> {
		let at = 0;
		while (at < bytes.length) {
			const written = this.#handle.write(bytes.subarray(at), { at: this.#position });
			if (written === 0) throw new Error('OPFS accepted no bytes.');
			at += written;
			this.#position += written;
		}
		if (this.#position - this.#durable >= this.#flushEvery) await this.flush();
	}

	async flush(): Promise<void> {
		if (!this.#open || this.#position === this.#durable) return;
		this.#handle.flush();
		this.#durable = this.#position;
	}

	async close(): Promise<void> {
		if (!this.#open) return;
		this.#open = false;
		this.#handle.close();
	}
}

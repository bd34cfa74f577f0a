// An in-memory ByteStore for the store's specs: lets a test fill the "disk" up (QuotaExceededError after a
// set number of bytes), corrupt stored bytes, and see exactly what is stored.

import type { ByteStore, ByteWriter } from '../byte-store';

export class MemoryByteStore implements ByteStore {
	readonly kind = 'idb';
	readonly writable = true;
	readonly files = new Map<string, Uint8Array>();
	/** Total bytes the store accepts before writes fail with QuotaExceededError. */
	quota = Infinity;
	readonly #flushEvery: number;

	constructor(flushEvery: number) {
		this.#flushEvery = flushEvery;
	}

	get used(): number {
		let used = 0;
		for (const bytes of this.files.values()) used += bytes.length;
		return used;
	}

	async openWriter(key: string, offset: number): Promise<ByteWriter> {
		const stored = this.files.get(key) ?? new Uint8Array(0);
		if (stored.length < offset)
			throw new RangeError(`Cannot append at ${offset}: only ${stored.length} stored.`);
		this.files.set(key, stored.slice(0, offset));
		return new MemoryWriter(this, key, offset, this.#flushEvery);
	}

	async readInto(key: string, target: Uint8Array, offset: number): Promise<number> {
		const piece = (this.files.get(key) ?? new Uint8Array(0)).subarray(offset, offset + target.length);
		target.set(piece);
		return piece.length;
	}

	async size(key: string): Promise<number> {
		return this.files.get(key)?.length ?? 0;
	}

	async delete(key: string): Promise<void> {
		this.files.delete(key);
	}

	async keys(): Promise<string[]> {
		return [...this.files.keys()];
	}

	append(key: string, bytes: Uint8Array): void {
		if (this.used + bytes.length > this.quota) {
			throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
		}
		const stored = this.files.get(key) ?? new Uint8Array(0);
		const grown = new Uint8Array(stored.length + bytes.length);
		grown.set(stored);
		grown.set(bytes, stored.length);
		this.files.set(key, grown);
	}
}

class MemoryWriter implements ByteWriter {
	readonly #store: MemoryByteStore;
	readonly #key: string;
	readonly #flushEvery: number;
	position: number;
	durable: number;

	constructor(store: MemoryByteStore, key: string, offset: number, flushEvery: number) {
		this.#store = store;
		this.#key = key;
		this.#flushEvery = flushEvery;
		this.position = offset;
		this.durable = offset;
	}

	async write(bytes: Uint8Array): Promise<void> {
		this.#store.append(this.#key, bytes);
		this.position += bytes.length;
		if (this.position - this.durable >= this.#flushEvery) await this.flush();
	}

	async flush(): Promise<void> {
		this.durable = this.position;
	}

	async close(): Promise<void> {}
}

// The browser's storage as the page sees it: how much is used and allowed (navigator.storage.estimate) and
// whether the origin's storage is persistent. Asks for persistence once, the first time a model is kept.

import { StorageFullError } from '$lib/runtime/errors';
import { formatBytes } from '$lib/format';

const ASKED_KEY = 'browserve:persist-asked';

export class StorageStatus {
	usage = $state<number | null>(null);
	quota = $state<number | null>(null);
	persisted = $state<boolean | null>(null);
	readonly free = $derived(
		this.usage !== null && this.quota !== null ? Math.max(0, this.quota - this.usage) : null
	);

	async refresh(): Promise<void> {
		const storage = globalThis.navigator?.storage;
		if (!storage) return;
		const [estimate, persisted] = await Promise.all([
			storage.estimate?.().catch(() => null) ?? null,
			storage.persisted?.().catch(() => null) ?? null
		]);
		this.usage = estimate?.usage ?? null;
		this.quota = estimate?.quota ?? null;
		this.persisted = persisted;
	}

	/** Throws StorageFullError, with what is needed and what is free, when a download of `bytes` cannot fit. */
	async ensureRoomFor(bytes: number, what: string): Promise<void> {
		await this.refresh();
		if (bytes <= 0 || this.free === null || bytes <= this.free) return;
		throw new StorageFullError(
			`${what} needs ${formatBytes(bytes)} of storage, but only ${formatBytes(this.free)} is free in this browser. Remove models you no longer need, or free space on the device.`,
			{ needed: bytes, free: this.free }
		);
	}

	/** Asks once per browser for persistent storage, so stored models survive storage pressure. */
	async askPersistenceOnce(): Promise<void> {
		const storage = globalThis.navigator?.storage;
		if (!storage?.persist || localStorage.getItem(ASKED_KEY)) return;
		localStorage.setItem(ASKED_KEY, '1');
		this.persisted = await storage.persist().catch(() => false);
	}
}

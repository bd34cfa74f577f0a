// State of the models page: what the store holds, the storage used and allowed, and the outcome of each
// action (delete, verify, check for update). The store itself is read and changed in the worker.

import type { WorkerPool } from '$lib/runtime/pool.svelte';
import type { StoredModelRef } from '$lib/runtime/protocol';
import type { StoredModel } from '$lib/store/types';
import { StorageStatus } from './storage.svelte';

export type ModelNote = { kind: 'ok' | 'warning' | 'error'; text: string };

export function storedModelKey(model: StoredModelRef): string {
	return `${model.hub}|${model.repo}@${model.commit}`;
}

export class ModelsPageState {
	readonly #pool: WorkerPool;
	readonly storage = new StorageStatus();
	models = $state.raw<StoredModel[]>([]);
	backend = $state<'opfs' | 'idb' | null>(null);
	loaded = $state(false);
	error = $state<string | null>(null);
	/** The action running per model key, to disable its buttons. */
	busy = $state<Record<string, string>>({});
	/** The last outcome per model key. */
	notes = $state<Record<string, ModelNote>>({});
	readonly totalBytes = $derived(this.models.reduce((sum, model) => sum + model.bytesStored, 0));

	constructor(pool: WorkerPool) {
		this.#pool = pool;
	}

	async refresh(): Promise<void> {
		try {
			const [{ models, backend }] = await Promise.all([
				this.#pool.control.storedModels(),
				this.storage.refresh()
			]);
			this.models = models;
			this.backend = backend;
			this.error = null;
		} catch (error) {
			this.error = error instanceof Error ? error.message : String(error);
		} finally {
			this.loaded = true;
		}
	}

	async #act(model: StoredModelRef, action: string, work: () => Promise<ModelNote | null>): Promise<void> {
		const key = storedModelKey(model);
		this.busy = { ...this.busy, [key]: action };
		try {
			const note = await work();
			if (note) this.notes = { ...this.notes, [key]: note };
		} catch (error) {
			this.notes = {
				...this.notes,
				[key]: { kind: 'error', text: error instanceof Error ? error.message : String(error) }
			};
		} finally {
			const { [key]: _done, ...rest } = this.busy;
			this.busy = rest;
		}
	}

	remove(model: StoredModelRef): Promise<void> {
		return this.#act(model, 'deleting', async () => {
			// A loaded copy must not keep running from bytes that are gone.
			this.#pool.forgetStored(model);
			await this.#pool.control.deleteStored(model);
			await this.refresh();
			return null;
		});
	}

	async removeAll(): Promise<void> {
		this.#pool.forgetStored('all');
		await this.#pool.control.deleteStored('all');
		this.notes = {};
		await this.refresh();
	}

	verify(model: StoredModelRef): Promise<void> {
		return this.#act(model, 'verifying', async () => {
			const files = await this.#pool.control.verifyStored(model);
			const bad = files.filter((file) => !file.ok).map((file) => file.path);
			await this.refresh();
			return bad.length === 0
				? { kind: 'ok', text: `All ${files.length} files match their hashes.` }
				: { kind: 'error', text: `Damaged and removed (will download again when used): ${bad.join(', ')}.` };
		});
	}

	checkForUpdate(model: StoredModelRef, revision: string): Promise<void> {
		return this.#act(model, 'checking', async () => {
			const { latest } = await this.#pool.control.checkForUpdate(model, revision);
			return latest === model.commit
				? { kind: 'ok', text: `Up to date: ${revision} is still ${latest.slice(0, 10)}.` }
				: {
						kind: 'warning',
						text: `${revision} now points to ${latest.slice(0, 10)}; the next load with ${revision} downloads it.`
					};
		});
	}
}

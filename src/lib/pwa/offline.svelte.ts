// What runs with no network: whether the browser is online, and which tasks have a model stored on this
// device (their default model, or the model they last downloaded) that loads from the store alone. The home
// page shows this; a task without one needs a connection to download its model first.

import { hubBaseUrl } from '$lib/hub/client';
import { ModelStore } from '$lib/store/model-store';
import { getTask, TASK_IDS, type TaskId } from '$lib/tasks/registry';
import type { DeploymentConfig } from '$lib/config/deployment';
import { NONE_READY, offlineTasks, type OfflineReady } from './offline-tasks';

export { offlineTasks, type OfflineReady };

/** navigator.onLine as state: false means the browser knows it has no network at all. */
export class ConnectionStatus {
	online = $state(typeof navigator === 'undefined' ? true : navigator.onLine);

	/** Follows the browser's online/offline events until the returned function is called. */
	watch(target: Pick<Window, 'addEventListener' | 'removeEventListener'> = window): () => void {
		const update = () => (this.online = navigator.onLine);
		target.addEventListener('online', update);
		target.addEventListener('offline', update);
		update();
		return () => {
			target.removeEventListener('online', update);
			target.removeEventListener('offline', update);
		};
	}
}

/** The home page's view of offline readiness, read from the model store on the page (no worker needed). */
export class OfflineTasks {
	readonly connection = new ConnectionStatus();
	ready = $state.raw<ReadonlyMap<TaskId, OfflineReady>>(NONE_READY);
	loaded = $state(false);
	readonly #config: DeploymentConfig;

	constructor(config: DeploymentConfig) {
		this.#config = config;
	}

	async refresh(
		openStore: () => Promise<Pick<ModelStore, 'listModels' | 'close'>> = () => ModelStore.open(),
		origin: string = location.origin
	): Promise<void> {
		try {
			const store = await openStore();
			try {
				// The store records hubs as absolute base URLs, as the worker resolved them.
				const hubs = this.#config.hubs.map((hub) => hubBaseUrl(hub, origin));
				this.ready = offlineTasks(
					TASK_IDS,
					(task) => this.#config.defaultModels[task] ?? getTask(task).defaultModels.huggingface,
					await store.listModels(),
					hubs
				);
			} finally {
				store.close();
			}
		} catch {
			// No storage (a private window that refuses IndexedDB): nothing is stored, nothing claims otherwise.
			this.ready = NONE_READY;
		} finally {
			this.loaded = true;
		}
	}
}

// Which tasks run with no network: those with a model stored on this device (their default model, or the
// model they last downloaded) that loads from the store alone. Pure, so it is tested as a table.

import type { StoredModel } from '$lib/store/types';
import type { TaskId } from '$lib/tasks/registry';

/** A task that runs offline, and with which stored model. */
export interface OfflineReady {
	model: string;
	/** The model is the task's default, so the task's plain page runs it (else a link must name it). */
	isDefault: boolean;
}

/** A stored copy loads offline only when every file is there, from a hub the deployment still uses. */
function usable(model: StoredModel, hubs: ReadonlySet<string>): boolean {
	return model.state !== 'partial' && model.missing.length === 0 && hubs.has(model.hub);
}

/**
 * The tasks that run offline. A task's default model counts when it is stored (whatever task stored it: one
 * model can serve several); otherwise the most recently used model stored for the task itself.
 */
export function offlineTasks(
	tasks: readonly TaskId[],
	defaultModel: (task: TaskId) => string,
	stored: readonly StoredModel[],
	hubs: readonly string[]
): ReadonlyMap<TaskId, OfflineReady> {
	const allowed = new Set(hubs);
	const ready = stored.filter((model) => usable(model, allowed));
	const result = new Map<TaskId, OfflineReady>();
	for (const task of tasks) {
		const fallback = defaultModel(task);
		if (ready.some((model) => model.repo === fallback)) {
			result.set(task, { model: fallback, isDefault: true });
			continue;
		}
		const own = ready.filter((model) => model.task === task).sort((a, b) => b.lastUsed - a.lastUsed)[0];
		if (own) result.set(task, { model: own.repo, isDefault: false });
	}
	return result;
}

export const NONE_READY: ReadonlyMap<TaskId, OfflineReady> = new Map();

// The one table of tasks Browserve runs. TaskId is derived from its keys, so adding a task is one entry
// here and the compiler then points at every place (worker, widgets, catalog) that must handle it.

import { textClassification } from './text-classification';
import type { TaskSpec } from './types';

export const TASKS = {
	'text-classification': textClassification
} as const satisfies Record<string, TaskSpec<unknown, unknown>>;

export type TaskId = keyof typeof TASKS;
export type TaskInput<T extends TaskId> = Parameters<(typeof TASKS)[T]['serializeInput']>[0];
export type TaskOutput<T extends TaskId> = Awaited<ReturnType<(typeof TASKS)[T]['run']>>;

export const TASK_IDS = Object.keys(TASKS) as TaskId[];

export function isTaskId(value: string): value is TaskId {
	return Object.hasOwn(TASKS, value);
}

export function getTask<T extends TaskId>(id: T): (typeof TASKS)[T] {
	return TASKS[id];
}

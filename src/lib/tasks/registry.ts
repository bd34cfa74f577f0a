// The one table of tasks Browserve runs. TaskId is derived from its keys, so adding a task is one entry
// here and the compiler then points at every place (worker, widgets, catalog) that must handle it.

import { textClassification } from './text-classification';
import { textGeneration } from './text-generation';
import type { RunContext, TaskSpec } from './types';

export const TASKS = {
	'text-classification': textClassification,
	'text-generation': textGeneration
} as const satisfies Record<string, TaskSpec<unknown, unknown, unknown>>;

export type TaskId = keyof typeof TASKS;
export type TaskInput<T extends TaskId> = Parameters<(typeof TASKS)[T]['serializeInput']>[0];
export type TaskOutput<T extends TaskId> = Awaited<ReturnType<(typeof TASKS)[T]['run']>>;
/** What a task streams while it runs (never for tasks that do not stream). */
export type TaskPartial<T extends TaskId> =
	Parameters<(typeof TASKS)[T]['run']>[2] extends RunContext<infer P> ? P : never;

export const TASK_IDS = Object.keys(TASKS) as TaskId[];

export function isTaskId(value: string): value is TaskId {
	return Object.hasOwn(TASKS, value);
}

export function getTask<T extends TaskId>(id: T): (typeof TASKS)[T] {
	return TASKS[id];
}

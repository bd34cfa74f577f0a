// The share target's page half: which task opens what was shared (text → the text task used last, else
// text classification; an image → the vision task used last, else image classification; a sound likewise),
// and the share link that opens it. "Used last" is remembered per kind of input each time a task runs.

import { getTask, isTaskId, TASK_IDS, type TaskId } from '$lib/tasks/registry';
import type { MediaKind } from './share-target';

export type SharedKind = 'text' | MediaKind;

/** The share-link parameter each kind of input travels in; a task takes a kind when it has that parameter. */
const PARAM: Record<SharedKind, string> = { text: 'text', image: 'image', audio: 'audio' };
export const DEFAULT_TASKS: Record<SharedKind, TaskId> = {
	text: 'text-classification',
	image: 'image-classification',
	audio: 'audio-classification'
};

const LAST_USED_KEY = 'browserve:last-task';

export type LastUsed = Partial<Record<SharedKind, TaskId>>;

/** The kinds of shared input a task can be opened with. */
export function kindsOf(task: TaskId): SharedKind[] {
	const params: readonly string[] = getTask(task).params;
	return (Object.keys(PARAM) as SharedKind[]).filter((kind) => params.includes(PARAM[kind]));
}

/** The tasks a kind of input can open, for the page to offer. */
export function tasksTaking(kind: SharedKind): TaskId[] {
	return TASK_IDS.filter((task) => kindsOf(task).includes(kind));
}

/** Reads what was remembered; anything malformed (an older version, a hand edit) counts as nothing. */
export function parseLastUsed(raw: string | null): LastUsed {
	let json: unknown;
	try {
		json = JSON.parse(raw ?? '{}');
	} catch {
		return {};
	}
	if (typeof json !== 'object' || json === null) return {};
	const last: LastUsed = {};
	for (const kind of Object.keys(PARAM) as SharedKind[]) {
		const task: unknown = (json as Record<string, unknown>)[kind];
		if (typeof task === 'string' && isTaskId(task) && kindsOf(task).includes(kind)) last[kind] = task;
	}
	return last;
}

/** The record after a task ran: it becomes the last used for every kind of input it takes. */
export function withTaskUsed(last: LastUsed, task: TaskId): LastUsed {
	const next = { ...last };
	for (const kind of kindsOf(task)) next[kind] = task;
	return next;
}

export function readLastUsed(storage: Pick<Storage, 'getItem'> = localStorage): LastUsed {
	try {
		return parseLastUsed(storage.getItem(LAST_USED_KEY));
	} catch {
		// Storage can be off (privacy settings): sharing then opens the default tasks.
		return {};
	}
}

export function rememberTaskUse(task: TaskId, storage: Storage = localStorage): void {
	try {
		storage.setItem(LAST_USED_KEY, JSON.stringify(withTaskUsed(readLastUsed(storage), task)));
	} catch {
		// Same as above: remembering is a convenience, never a failure.
	}
}

/** The text a share carries: its text, else its title, with its link added when the text does not hold it. */
export function sharedText(title: string, text: string, url: string): string {
	const body = text || title;
	if (!url || body.includes(url)) return body;
	return body ? `${body}\n${url}` : url;
}

export type ShareDestination =
	{ kind: SharedKind; task: TaskId; params: URLSearchParams } | { kind: null; problem: string };

/** Where the share-target page sends the user, from its query (see shareQuery in share-target.ts). */
export function shareDestination(query: URLSearchParams, last: LastUsed): ShareDestination {
	const problem = query.get('problem');
	if (problem) return { kind: null, problem };
	const open = (kind: SharedKind, value: string): ShareDestination => ({
		kind,
		task: last[kind] ?? DEFAULT_TASKS[kind],
		params: new URLSearchParams({ [PARAM[kind]]: value })
	});
	// A shared file wins over its caption: the file is what a task can work on.
	for (const kind of ['image', 'audio'] as const) {
		const address = query.get(kind);
		if (address) return open(kind, address);
	}
	const text = sharedText(query.get('title') ?? '', query.get('text') ?? '', query.get('url') ?? '');
	if (text) return open('text', text);
	return {
		kind: null,
		problem:
			'Nothing was shared. Share a text, a link, an image or a sound with Browserve from another app, or open an image or sound file with it.'
	};
}

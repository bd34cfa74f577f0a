// Share links: a task page's whole state in its URL, so a link reproduces a run. Parsing is strict at the
// edge: every value that cannot be used becomes a message for the page, and nothing in a link is ever
// executed, navigated to or fetched unchecked.

import { getTask, type TaskId, type TaskInput } from '$lib/tasks/registry';
import type { ParamIssue } from '$lib/tasks/types';
import { DTYPES, type Dtype } from '$lib/runtime/backend';

export type DeviceChoice = 'auto' | 'webgpu' | 'wasm';
export const DEVICE_CHOICES: readonly DeviceChoice[] = ['auto', 'webgpu', 'wasm'];

/** What every task page shares: which model, which revision, which backend, and whether to run at once. */
export interface RunSettings {
	model: string | null;
	revision: string;
	device: DeviceChoice;
	/** Weights to load (fp32, q8, …); null lets the planner choose for the device. */
	dtype: Dtype | null;
	run: boolean;
}

export interface ShareState<T extends TaskId> {
	settings: RunSettings;
	input: TaskInput<T>;
	issues: ParamIssue[];
}

// Hugging Face repo ids: an optional namespace and a name, each of letters, digits, '-', '_' and '.',
// never starting with a '.' or '-', and never containing '--' or '..' (the hub rejects those too).
const REPO_PART = /^(?!.*(?:--|\.\.))[A-Za-z0-9][A-Za-z0-9._-]{0,95}$/;
// Branch, tag or commit names: git ref characters only, no '..' and no leading '-' or '/'.
const REVISION = /^(?!.*\.\.)(?![-/])[A-Za-z0-9._/-]{1,200}$/;
const UNSAFE_SCHEME = /^\s*(?:javascript|data|vbscript|file):/i;

export function describeValue(value: string): string {
	return value.length > 60 ? `${JSON.stringify(value.slice(0, 57))}…` : JSON.stringify(value);
}

/** Checks a model id (`org/name` or `name`); returns why it is not one, or null when it is. */
export function whyNotModelId(value: string): string | null {
	if (UNSAFE_SCHEME.test(value))
		return `${describeValue(value)} is a script or data address, not a model id.`;
	const parts = value.split('/');
	if (parts.length > 2 || !parts.every((part) => REPO_PART.test(part))) {
		return `${describeValue(value)} is not a model id. Model ids look like "organisation/model-name".`;
	}
	return null;
}

export function whyNotRevision(value: string): string | null {
	if (UNSAFE_SCHEME.test(value) || !REVISION.test(value)) {
		return `${describeValue(value)} is not a branch, tag or commit name.`;
	}
	return null;
}

function readModel(params: URLSearchParams, issues: ParamIssue[]): string | null {
	const value = params.get('model');
	if (value === null || value === '') return null;
	const problem = whyNotModelId(value);
	if (problem) {
		issues.push({ param: 'model', message: problem });
		return null;
	}
	return value;
}

function readRevision(params: URLSearchParams, issues: ParamIssue[]): string {
	const value = params.get('revision');
	if (value === null || value === '') return 'main';
	const problem = whyNotRevision(value);
	if (problem) {
		issues.push({ param: 'revision', message: problem });
		return 'main';
	}
	return value;
}

function readDtype(params: URLSearchParams, issues: ParamIssue[]): Dtype | null {
	const value = params.get('dtype');
	if (value === null || value === '' || value === 'auto') return null;
	if ((DTYPES as readonly string[]).includes(value)) return value as Dtype;
	issues.push({
		param: 'dtype',
		message: `dtype=${describeValue(value)} is not a weight type; use one of ${DTYPES.join(', ')}.`
	});
	return null;
}

function readDevice(params: URLSearchParams, issues: ParamIssue[]): DeviceChoice {
	const value = params.get('device');
	if (value === null || value === '') return 'auto';
	if ((DEVICE_CHOICES as readonly string[]).includes(value)) return value as DeviceChoice;
	issues.push({
		param: 'device',
		message: `device=${describeValue(value)} is not a backend here; use webgpu or wasm (or leave it out to choose automatically).`
	});
	return 'auto';
}

/** Parameters every task page understands. */
export const COMMON_PARAMS = ['model', 'revision', 'device', 'dtype', 'run'] as const;

export function parseShareLink<T extends TaskId>(task: T, params: URLSearchParams): ShareState<T> {
	const issues: ParamIssue[] = [];
	const known = new Set<string>([...COMMON_PARAMS, ...getTask(task).params]);
	for (const name of new Set(params.keys())) {
		if (!known.has(name)) {
			issues.push({
				param: name,
				message: `${describeValue(name)} is not a parameter of this page and was ignored.`,
				severity: 'notice'
			});
		}
	}
	const settings: RunSettings = {
		model: readModel(params, issues),
		revision: readRevision(params, issues),
		device: readDevice(params, issues),
		dtype: readDtype(params, issues),
		run: params.get('run') === '1' || params.get('run') === 'true'
	};
	const input = getTask(task).parseInput(params, issues) as TaskInput<T>;
	// A link with unusable values must not run something other than what it asked for.
	if (issues.some((issue) => issue.severity !== 'notice')) settings.run = false;
	return { settings, input, issues };
}

/** The query string that reproduces a run; defaults are left out so links stay short. */
export function serializeShareLink<T extends TaskId>(
	task: T,
	settings: RunSettings,
	input: TaskInput<T>
): string {
	const params = new URLSearchParams();
	if (settings.model) params.set('model', settings.model);
	if (settings.revision !== 'main') params.set('revision', settings.revision);
	if (settings.device !== 'auto') params.set('device', settings.device);
	if (settings.dtype) params.set('dtype', settings.dtype);
	const spec = getTask(task) as { serializeInput(input: TaskInput<T>): Record<string, string> };
	for (const [key, value] of Object.entries(spec.serializeInput(input))) params.set(key, value);
	if (settings.run) params.set('run', '1');
	return params.toString();
}

// State of a task page's form: model, revision, backend and the task's input, filled from a share link and
// turned back into one. Problems with the link are kept for the page to show; nothing here touches the DOM.

import type { DeploymentConfig } from '$lib/config/deployment';
import {
	parseShareLink,
	serializeShareLink,
	whyNotModelId,
	type DeviceChoice,
	type RunSettings
} from '$lib/share/link';
import { getTask, type TaskId, type TaskInput } from '$lib/tasks/registry';
import type { Dtype } from '$lib/runtime/backend';
import type { ParamIssue } from '$lib/tasks/types';

export class TaskPageState<T extends TaskId> {
	readonly task: T;
	readonly defaultModel: string;
	model = $state('');
	revision = $state('main');
	device = $state<DeviceChoice>('auto');
	dtype = $state<Dtype | 'auto'>('auto');
	input = $state() as TaskInput<T>;
	issues = $state<ParamIssue[]>([]);
	/** The link asked to run at once (and had nothing wrong with it). */
	autorun = $state(false);

	readonly modelProblem = $derived(this.model.trim() === '' ? null : whyNotModelId(this.model.trim()));
	readonly inputProblem = $derived.by(() =>
		(getTask(this.task) as { whyNotRunnable(input: TaskInput<T>): string | null }).whyNotRunnable(this.input)
	);
	readonly settings = $derived<RunSettings>({
		model: this.model.trim() || null,
		revision: this.revision.trim() || 'main',
		device: this.device,
		dtype: this.dtype === 'auto' ? null : this.dtype,
		run: false
	});
	readonly effectiveModel = $derived.by(() => this.settings.model ?? this.defaultModel);

	constructor(task: T, config: DeploymentConfig, params: URLSearchParams) {
		this.task = task;
		this.defaultModel = config.defaultModels[task] ?? getTask(task).defaultModels.huggingface;
		this.applyLink(params);
	}

	applyLink(params: URLSearchParams): void {
		const state = parseShareLink(this.task, params);
		this.model = state.settings.model ?? '';
		this.revision = state.settings.revision;
		this.device = state.settings.device;
		this.dtype = state.settings.dtype ?? 'auto';
		this.input = state.input;
		this.issues = state.issues;
		this.autorun = state.settings.run;
	}

	useExample(example: TaskInput<T>): void {
		this.input = structuredClone($state.snapshot(example)) as TaskInput<T>;
	}

	/** The query string of the current form; with run=1 it reproduces the run when opened. */
	query(run: boolean): string {
		return serializeShareLink(
			this.task,
			{ ...this.settings, run },
			$state.snapshot(this.input) as TaskInput<T>
		);
	}
}

// State of one task page's run: loading the model (phases, per-file download progress), running it, and the
// result, timings and backend to show. Components only render this and call start/cancel.

import type { FileProgress, LoadedModel, LoadPhase, ModelRef, LoadOptions } from '$lib/runtime/protocol';
import type { InferenceClient } from '$lib/runtime/client';
import { CancelledError } from '$lib/runtime/errors';
import type { TaskId, TaskInput, TaskOutput } from '$lib/tasks/registry';

export type RunStatus = 'idle' | 'loading' | 'running' | 'done' | 'error' | 'cancelled';

export class TaskRun<T extends TaskId> {
	readonly task: T;
	readonly #client: InferenceClient;
	status = $state<RunStatus>('idle');
	phase = $state<LoadPhase | null>(null);
	files = $state<Record<string, FileProgress>>({});
	model = $state.raw<LoadedModel | null>(null);
	output = $state.raw<TaskOutput<T> | null>(null);
	error = $state.raw<Error | null>(null);
	inferenceMs = $state<number | null>(null);
	#current: string | null = null;
	#generation = 0;

	readonly bytes = $derived.by(() => {
		let loaded = 0;
		let total = 0;
		for (const file of Object.values(this.files)) {
			loaded += file.loaded;
			total += file.total;
		}
		return { loaded, total };
	});
	readonly busy = $derived(this.status === 'loading' || this.status === 'running');

	constructor(task: T, client: InferenceClient) {
		this.task = task;
		this.#client = client;
	}

	async start(ref: ModelRef, options: LoadOptions, input: TaskInput<T>): Promise<void> {
		const generation = ++this.#generation;
		if (this.#current) this.#client.cancel(this.#current);
		this.status = 'loading';
		this.phase = null;
		this.files = {};
		this.output = null;
		this.error = null;
		this.inferenceMs = null;
		try {
			const load = this.#client.load(this.task, ref, options, {
				onPhase: (phase) => {
					if (generation === this.#generation) this.phase = phase;
				},
				onProgress: (file) => {
					if (generation !== this.#generation) return;
					const previous = this.files[file.file];
					// 'done' carries no sizes: keep the last known ones and mark the file complete.
					this.files[file.file] = file.done
						? { file: file.file, loaded: previous?.total ?? 0, total: previous?.total ?? 0, done: true }
						: file;
				}
			});
			this.#current = load.id;
			const model = await load.done;
			if (generation !== this.#generation) return;
			this.model = model;
			this.status = 'running';
			const run = this.#client.run(this.task, model.key, input);
			this.#current = run.id;
			const result = await run.done;
			if (generation !== this.#generation) return;
			this.output = result.output;
			this.inferenceMs = result.inferenceMs;
			this.status = 'done';
		} catch (error) {
			if (generation !== this.#generation) return;
			this.error = error instanceof Error ? error : new Error(String(error));
			this.status = error instanceof CancelledError ? 'cancelled' : 'error';
		} finally {
			if (generation === this.#generation) this.#current = null;
		}
	}

	cancel(): void {
		if (!this.#current) return;
		this.#generation++;
		this.#client.cancel(this.#current);
		this.#current = null;
		this.status = 'cancelled';
		this.phase = null;
	}
}

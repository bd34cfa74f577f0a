// State of one task page's run: loading the model (phases, per-file download progress), running it, and the
// result, timings and backend to show. Components only render this and call start/cancel.

import type {
	DownloadPlan,
	FileProgress,
	LoadedModel,
	LoadPhase,
	ModelRef,
	LoadOptions
} from '$lib/runtime/protocol';
import { StorageStatus } from './storage.svelte';
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
	/** What loading takes, known before the download starts. */
	plan = $state.raw<DownloadPlan | null>(null);
	readonly storage = new StorageStatus();
	output = $state.raw<TaskOutput<T> | null>(null);
	error = $state.raw<Error | null>(null);
	inferenceMs = $state<number | null>(null);
	#current: string | null = null;
	#generation = 0;

	/** When the download started, how much was already stored then, and when progress last came. */
	#downloadStart = $state<{ at: number; stored: number } | null>(null);
	#lastProgressAt = $state(0);

	/** Bytes stored so far of what the plan needs (resumed prefixes included), and the plan's total. */
	readonly bytes = $derived.by(() => {
		if (!this.plan) return { loaded: 0, total: 0 };
		let loaded = 0;
		for (const file of this.plan.files) loaded += this.files[file.path]?.loaded ?? file.bytesStored;
		return { loaded, total: this.plan.totalBytes };
	});
	/** Download rate in bytes per second and the seconds left at that rate, once there is a rate to tell. */
	readonly rate = $derived.by(() => {
		const start = this.#downloadStart;
		if (!start) return null;
		const seconds = (this.#lastProgressAt - start.at) / 1000;
		const fetched = this.bytes.loaded - start.stored;
		if (seconds < 0.2 || fetched <= 0) return null;
		const perSecond = fetched / seconds;
		return { perSecond, secondsLeft: (this.bytes.total - this.bytes.loaded) / perSecond };
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
		this.phase = 'resolving';
		this.files = {};
		this.plan = null;
		this.#downloadStart = null;
		this.output = null;
		this.error = null;
		this.inferenceMs = null;
		try {
			const planning = this.#client.plan(this.task, ref, options);
			this.#current = planning.id;
			const plan = await planning.done;
			if (generation !== this.#generation) return;
			this.plan = plan;
			if (plan.missingBytes > 0) {
				await this.storage.ensureRoomFor(plan.missingBytes, `${plan.model} (${plan.files.length} files)`);
				await this.storage.askPersistenceOnce();
			}
			if (generation !== this.#generation) return;
			// Pin the commit the plan resolved, so the load fetches exactly what was planned and sized.
			const pinned: ModelRef = { model: plan.model, revision: plan.commit };
			const load = this.#client.load(
				this.task,
				pinned,
				{ ...options, hubs: [plan.hub], dtype: plan.backend.dtype },
				{
					onPhase: (phase) => {
						if (generation !== this.#generation) return;
						this.phase = phase;
						if (phase === 'downloading')
							this.#downloadStart = { at: performance.now(), stored: this.bytes.loaded };
					},
					onProgress: (file) => {
						if (generation !== this.#generation) return;
						this.#lastProgressAt = performance.now();
						const previous = this.files[file.file];
						// 'done' carries no sizes: keep the last known ones and mark the file complete.
						this.files[file.file] = file.done
							? { file: file.file, loaded: previous?.total ?? 0, total: previous?.total ?? 0, done: true }
							: file;
					}
				}
			);
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

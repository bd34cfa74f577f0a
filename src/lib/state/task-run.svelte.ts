// State of one task page's run: planning (what will download, does it fit), loading the model (phases,
// per-file progress, rate, time left), running it (streamed partials), and the result, timings and backend
// to show. Components only render this and call start/cancel; the pool does the work.

import type {
	DownloadPlan,
	FileProgress,
	LoadedModel,
	LoadPhase,
	ModelRef,
	LoadOptions
} from '$lib/runtime/protocol';
import type { WorkerPool } from '$lib/runtime/pool.svelte';
import { CancelledError } from '$lib/runtime/errors';
import type { TaskId, TaskInput, TaskOutput, TaskPartial } from '$lib/tasks/registry';
import { StorageStatus } from './storage.svelte';

export type RunStatus = 'idle' | 'loading' | 'running' | 'done' | 'error' | 'cancelled';

export class TaskRun<T extends TaskId> {
	readonly task: T;
	readonly #pool: WorkerPool;
	readonly storage = new StorageStatus();
	status = $state<RunStatus>('idle');
	phase = $state<LoadPhase | null>(null);
	files = $state<Record<string, FileProgress>>({});
	model = $state.raw<LoadedModel | null>(null);
	/** What loading takes, known before the download starts. */
	plan = $state.raw<DownloadPlan | null>(null);
	partial = $state.raw<TaskPartial<T> | null>(null);
	output = $state.raw<TaskOutput<T> | null>(null);
	error = $state.raw<Error | null>(null);
	inferenceMs = $state<number | null>(null);
	batchSize = $state(1);
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

	/** Asked before a download starts (the deployment's size limit); throws to stop it. */
	readonly #beforeDownload: ((plan: DownloadPlan) => Promise<void>) | null;

	constructor(task: T, pool: WorkerPool, beforeDownload?: (plan: DownloadPlan) => Promise<void>) {
		this.task = task;
		this.#pool = pool;
		this.#beforeDownload = beforeDownload ?? null;
	}

	#reset(): void {
		this.status = 'loading';
		this.phase = 'resolving';
		this.files = {};
		this.plan = null;
		this.partial = null;
		this.output = null;
		this.error = null;
		this.inferenceMs = null;
		this.#downloadStart = null;
	}

	async start(ref: ModelRef, options: LoadOptions, input: TaskInput<T>): Promise<void> {
		const generation = ++this.#generation;
		if (this.#current) this.#pool.cancel(this.#current);
		const live = () => generation === this.#generation;
		this.#reset();
		try {
			const planning = this.#pool.plan(this.task, ref, options);
			this.#current = planning.id;
			const plan = await planning.done;
			if (!live()) return;
			this.plan = plan;
			if (plan.missingBytes > 0) {
				await this.#beforeDownload?.(plan);
				if (!live()) return;
				await this.storage.ensureRoomFor(plan.missingBytes, `${plan.model} (${plan.files.length} files)`);
				await this.storage.askPersistenceOnce();
			}
			if (!live()) return;
			const load = this.#pool.load(plan, {
				onPhase: (phase) => {
					if (!live()) return;
					this.phase = phase;
					if (phase === 'downloading')
						this.#downloadStart = { at: performance.now(), stored: this.bytes.loaded };
				},
				onProgress: (file) => {
					if (!live()) return;
					this.#lastProgressAt = performance.now();
					const previous = this.files[file.file];
					// 'done' carries no sizes: keep the last known ones and mark the file complete.
					this.files[file.file] = file.done
						? {
								file: file.file,
								loaded: previous?.total ?? file.total,
								total: previous?.total ?? file.total,
								done: true
							}
						: file;
				}
			});
			this.#current = load.id;
			const model = await load.done;
			if (!live()) return;
			this.model = model;
			this.status = 'running';
			const run = this.#pool.run(this.task, model.key, input, (partial) => {
				if (live()) this.partial = partial;
			});
			this.#current = run.id;
			const result = await run.done;
			if (!live()) return;
			this.output = result.output;
			this.inferenceMs = result.inferenceMs;
			this.batchSize = result.batchSize;
			// A WebGPU failure mid-run moved the model to WASM: show the backend that produced this result.
			if (result.fallback) this.model = this.#pool.models[model.key]?.loaded ?? model;
			this.status = 'done';
		} catch (error) {
			if (!live()) return;
			this.error = error instanceof Error ? error : new Error(String(error));
			this.status = error instanceof CancelledError ? 'cancelled' : 'error';
		} finally {
			if (live()) this.#current = null;
		}
	}

	/** Stops following the current work without stopping it (the page is going away; the pool keeps the model). */
	detach(): void {
		this.#generation++;
		this.#current = null;
	}

	/**
	 * Stops what is going on. A run that can stop between steps (generation) finishes with what it made;
	 * anything else ends at once as cancelled.
	 */
	cancel(): void {
		const current = this.#current;
		if (!current) return;
		this.#pool.cancel(current);
		if (this.status === 'running' && this.partial !== null) return; // the run returns what it has
		this.#generation++;
		this.#current = null;
		this.status = 'cancelled';
		this.phase = null;
		this.error = new CancelledError('Cancelled. Stored bytes are kept; running again resumes.');
	}
}

// What loading the chosen model would take, shown before Run: its size, whether it is already on this
// device, the backend it would get, or why it cannot load (not found, no ONNX weights). Re-planned a
// moment after the model, revision, backend or weights change.

import type { WorkerPool } from '$lib/runtime/pool.svelte';
import type { DownloadPlan, LoadOptions, ModelRef } from '$lib/runtime/protocol';
import type { TaskId } from '$lib/tasks/registry';

const DEBOUNCE_MS = 400;

export class PlanPreview {
	readonly #pool: WorkerPool;
	readonly #task: TaskId;
	plan = $state.raw<DownloadPlan | null>(null);
	problem = $state<string | null>(null);
	pending = $state(false);
	#timer: ReturnType<typeof setTimeout> | null = null;
	#request: string | null = null;
	#generation = 0;

	constructor(pool: WorkerPool, task: TaskId) {
		this.#pool = pool;
		this.#task = task;
	}

	update(ref: ModelRef | null, options: LoadOptions): void {
		if (this.#timer) clearTimeout(this.#timer);
		const generation = ++this.#generation;
		if (!ref) {
			this.plan = null;
			this.problem = null;
			return;
		}
		this.pending = true;
		this.#timer = setTimeout(async () => {
			if (this.#request) this.#pool.control.cancel(this.#request);
			const planning = this.#pool.plan(this.#task, ref, options);
			this.#request = planning.id;
			try {
				const plan = await planning.done;
				if (generation !== this.#generation) return;
				this.plan = plan;
				this.problem = null;
			} catch (error) {
				if (generation !== this.#generation || (error instanceof Error && error.name === 'CancelledError'))
					return;
				this.plan = null;
				this.problem = error instanceof Error ? error.message : String(error);
			} finally {
				if (generation === this.#generation) this.pending = false;
			}
		}, DEBOUNCE_MS);
	}

	dispose(): void {
		if (this.#timer) clearTimeout(this.#timer);
		this.#generation++;
	}
}

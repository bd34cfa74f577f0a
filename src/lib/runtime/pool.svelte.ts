// The page's worker pool: one worker per loaded model (so unloading one gives all its memory back), up to a
// limit, least recently used first out; plus one control worker that plans loads and looks after the
// store. A model loads once and every page of the app shares it. The pool knows each model's state and
// metrics, which the task pages and /status show, and it turns cancel into the right action per stage.

import { getTask, type TaskId, type TaskInput, type TaskPartial } from '$lib/tasks/registry';
import { InferenceClient, type LoadListener, type WorkerFactory } from './client';
import { CancelledError, WorkerCrashedError } from './errors';
import { ModelMetrics, type MetricsSnapshot } from './metrics';
import type {
	DownloadPlan,
	LoadedModel,
	LoadOptions,
	LoadPhase,
	ModelRef,
	RunResultOf,
	RuntimeFiles,
	StoredModelRef
} from './protocol';

export type ModelState = 'downloading' | 'loading' | 'warming-up' | 'ready' | 'error';

/** A model the pool knows about (absent models are not in the table). */
export interface PooledModel {
	key: string;
	task: TaskId;
	model: string;
	hub: string;
	commit: string;
	state: ModelState;
	loaded: LoadedModel | null;
	error: string | null;
	metrics: MetricsSnapshot;
	lastUsed: number;
}

interface Slot {
	client: InferenceClient;
	metrics: ModelMetrics;
	loading: Promise<LoadedModel> | null;
	loadRequest: string | null;
}

interface Tracked {
	key: string;
	kind: 'load' | 'run';
	task: TaskId;
}

const STATE_OF_PHASE: Partial<Record<LoadPhase, ModelState>> = {
	downloading: 'downloading',
	loading: 'loading',
	'warming-up': 'warming-up'
};

export class WorkerPool {
	readonly maxModels: number;
	readonly control: InferenceClient;
	/** Every model the pool holds or tried to, by key. */
	models = $state<Record<string, PooledModel>>({});
	readonly #factory: WorkerFactory;
	// Bookkeeping nothing renders (the rendered table is `models`), so plain Maps, not reactive ones.
	// eslint-disable-next-line svelte/prefer-svelte-reactivity
	readonly #slots = new Map<string, Slot>();
	// eslint-disable-next-line svelte/prefer-svelte-reactivity
	readonly #requests = new Map<string, Tracked>();

	readonly #ortFiles: RuntimeFiles | undefined;

	constructor(factory: WorkerFactory, options: { maxModels?: number; ortFiles?: RuntimeFiles } = {}) {
		this.#factory = factory;
		this.maxModels = Math.max(1, options.maxModels ?? 3);
		this.#ortFiles = options.ortFiles;
		this.control = new InferenceClient(factory, { ortFiles: options.ortFiles });
	}

	/** True while any model is downloading, loading, warming up or running. */
	get busy(): boolean {
		return (
			Object.values(this.models).some((model) => model.state !== 'ready' && model.state !== 'error') ||
			[...this.#requests.values()].some((request) => request.kind === 'run')
		);
	}

	/** Models that hold a worker now. */
	get workerCount(): number {
		return this.#slots.size;
	}

	plan(task: TaskId, ref: ModelRef, options: LoadOptions): { id: string; done: Promise<DownloadPlan> } {
		return this.control.plan(task, ref, options);
	}

	#update(key: string, changes: Partial<PooledModel>): void {
		const current = this.models[key];
		if (current) this.models[key] = { ...current, ...changes };
	}

	#evictFor(key: string): void {
		while (this.#slots.size >= this.maxModels) {
			const oldest = Object.values(this.models)
				.filter((model) => model.key !== key && this.#slots.has(model.key))
				.sort((a, b) => a.lastUsed - b.lastUsed)[0];
			if (!oldest) return;
			this.unload(oldest.key);
		}
	}

	/** Loads a planned model in its own worker, or joins the load already under way, or returns it if ready. */
	load(plan: DownloadPlan, listener: LoadListener = {}): { id: string; done: Promise<LoadedModel> } {
		const existing = this.#slots.get(plan.key);
		const model = this.models[plan.key];
		if (existing && model?.state === 'ready' && model.loaded) {
			this.#update(plan.key, { lastUsed: Date.now() });
			return { id: crypto.randomUUID(), done: Promise.resolve(model.loaded) };
		}
		if (existing?.loading && existing.loadRequest) {
			return { id: existing.loadRequest, done: existing.loading };
		}
		this.#evictFor(plan.key);
		const metrics = new ModelMetrics();
		const client = new InferenceClient(this.#factory, {
			onCrash: (error) => this.#crashed(plan.key, error),
			ortFiles: this.#ortFiles
		});
		this.models[plan.key] = {
			key: plan.key,
			task: plan.task,
			model: plan.model,
			hub: plan.hub,
			commit: plan.commit,
			state: plan.missingBytes > 0 ? 'downloading' : 'loading',
			loaded: null,
			error: null,
			metrics: metrics.snapshot(),
			lastUsed: Date.now()
		};
		const request = client.load(plan, {
			...listener,
			onPhase: (phase) => {
				const state = STATE_OF_PHASE[phase];
				if (state) this.#update(plan.key, { state });
				listener.onPhase?.(phase);
			}
		});
		const slot: Slot = { client, metrics, loading: null, loadRequest: request.id };
		this.#slots.set(plan.key, slot);
		this.#requests.set(request.id, { key: plan.key, kind: 'load', task: plan.task });
		slot.loading = request.done.then(
			(loaded) => {
				slot.loading = null;
				this.#update(plan.key, { state: 'ready', loaded, lastUsed: Date.now() });
				return loaded;
			},
			(error: unknown) => {
				slot.loading = null;
				// A failed or cancelled load leaves nothing behind (its worker included): the next attempt starts clean.
				this.#drop(plan.key);
				client.terminate(error instanceof Error ? error : undefined);
				if (!(error instanceof CancelledError)) {
					this.models[plan.key] = { ...this.models[plan.key]!, state: 'error', error: describe(error) };
				}
				throw error;
			}
		);
		void slot.loading.catch(() => undefined).finally(() => this.#requests.delete(request.id));
		return { id: request.id, done: slot.loading };
	}

	run<T extends TaskId>(
		task: T,
		key: string,
		input: TaskInput<T>,
		onPartial?: (partial: TaskPartial<T>) => void
	): { id: string; done: Promise<RunResultOf<T>> } {
		const slot = this.#slots.get(key);
		if (!slot) {
			const error = new WorkerCrashedError(
				'The model is no longer loaded (it was unloaded or its worker stopped); run again to reload it.'
			);
			return { id: crypto.randomUUID(), done: Promise.reject(error) };
		}
		this.#update(key, { lastUsed: Date.now() });
		const request = slot.client.run(task, key, input, onPartial);
		this.#requests.set(request.id, { key, kind: 'run', task });
		const done = request.done.then(
			(result) => {
				slot.metrics.recordRun(result.inferenceMs, result.batchSize);
				const loaded = this.models[key]?.loaded;
				const changes: Partial<PooledModel> = { metrics: slot.metrics.snapshot() };
				if (result.fallback && loaded) {
					changes.loaded = {
						...loaded,
						plan: result.fallback.plan,
						notes: [...loaded.notes, `${result.fallback.reason}; fell back to WASM.`]
					};
				}
				this.#update(key, changes);
				return result;
			},
			(error: unknown) => {
				if (!(error instanceof CancelledError)) slot.metrics.recordError();
				this.#update(key, { metrics: slot.metrics.snapshot() });
				throw error;
			}
		);
		void done.catch(() => undefined).finally(() => this.#requests.delete(request.id));
		return { id: request.id, done };
	}

	/**
	 * Cancels a load or run at whatever stage it is. Downloads stop fetching (stored bytes stay resumable);
	 * a session being created cannot be interrupted, so its worker is terminated; a run stops at its next
	 * step where the task allows it (generation keeps what it made), otherwise its worker is terminated.
	 */
	cancel(requestId: string): void {
		const tracked = this.#requests.get(requestId);
		if (!tracked) {
			this.control.cancel(requestId);
			return;
		}
		const slot = this.#slots.get(tracked.key);
		if (!slot) return;
		const state = this.models[tracked.key]?.state;
		if (tracked.kind === 'load' && state === 'downloading') {
			// The worker stops fetching and records what it stored (resumable); then the load fails and its worker goes.
			slot.client.interrupt(requestId);
		} else if (
			tracked.kind === 'run' &&
			(getTask(tracked.task) as { interruptible?: boolean }).interruptible
		) {
			slot.client.interrupt(requestId);
		} else {
			this.unload(tracked.key, new CancelledError('Cancelled.'));
		}
	}

	/** Terminates a model's worker; the model becomes absent. */
	unload(key: string, reason?: Error): void {
		const slot = this.#slots.get(key);
		this.#drop(key);
		slot?.client.terminate(reason);
	}

	/** Models removed from the store must not keep running from bytes that are gone. */
	forgetStored(model: StoredModelRef | 'all'): void {
		for (const pooled of Object.values(this.models)) {
			if (
				model === 'all' ||
				(pooled.hub === model.hub && pooled.model === model.repo && pooled.commit === model.commit)
			) {
				this.unload(pooled.key);
			}
		}
	}

	#drop(key: string): void {
		this.#slots.delete(key);
		const { [key]: _removed, ...rest } = this.models;
		this.models = rest;
	}

	#crashed(key: string, error: Error): void {
		const model = this.models[key];
		this.#slots.delete(key);
		if (model) this.models[key] = { ...model, state: 'error', error: error.message };
	}
}

function describe(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}

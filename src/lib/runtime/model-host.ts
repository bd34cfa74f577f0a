// Worker side: one loaded model. Creates the transformers.js pipeline on the planned backend (falling back to
// WASM once if WebGPU fails to load it), warms it up, and serves runs through a micro-batching queue. A run
// that fails on WebGPU moves the model to WASM once, says why, and runs again there.

import type { TransformersLibrary, PipelineCall } from '$lib/tasks/types';
import { getTask, type TaskId, type TaskInput, type TaskOutput, type TaskPartial } from '$lib/tasks/registry';
import { planBackend, type BackendPlan, type DeviceCapabilities } from './backend';
import { CancelledError, InferenceError } from './errors';
import type { DownloadPlan } from './protocol';
import { RunQueue, type QueuedRun } from './run-queue';

type Pipeline = PipelineCall & { dispose(): Promise<void> };

/** How the worker builds a pipeline; injected so the host does not depend on global library settings. */
export type PipelineFactory = (plan: DownloadPlan, backend: BackendPlan) => Promise<Pipeline>;

export interface RunJob {
	id: string;
	task: TaskId;
	input: TaskInput<TaskId>;
	signal: AbortSignal;
	emit(partial: TaskPartial<TaskId>): void;
}

export interface RunOutcome {
	output: TaskOutput<TaskId>;
	inferenceMs: number;
	batchSize: number;
	fallback?: { reason: string; plan: BackendPlan };
}

const MAX_BATCH = 8;

export class ModelHost {
	readonly plan: DownloadPlan;
	readonly #library: TransformersLibrary;
	readonly #create: PipelineFactory;
	readonly #caps: DeviceCapabilities;
	#pipe: Pipeline | null = null;
	backend: BackendPlan;
	readonly notes: string[] = [];
	readonly #queue: RunQueue<RunJob, RunOutcome>;

	constructor(
		plan: DownloadPlan,
		caps: DeviceCapabilities,
		library: TransformersLibrary,
		create: PipelineFactory
	) {
		this.plan = plan;
		this.backend = plan.backend;
		this.notes.push(...plan.backend.notes);
		this.#caps = caps;
		this.#library = library;
		this.#create = create;
		this.#queue = new RunQueue<RunJob, RunOutcome>({
			maxBatch: MAX_BATCH,
			runOne: (run) => this.#runOne(run.input),
			runBatch: (runs) => this.#runBatch(runs)
		});
	}

	/** Creates the session (WebGPU falling back to WASM once) and warms it up; returns session and warm-up ms. */
	async load(): Promise<{ sessionMs: number; warmupMs: number }> {
		const started = performance.now();
		try {
			this.#pipe = await this.#create(this.plan, this.backend);
		} catch (error) {
			if (this.backend.device !== 'webgpu') throw error;
			// WebGPU can fail where WASM works (unsupported op, lost device, no memory): fall back once, and say why.
			this.#useWasm(`WebGPU failed to load this model (${describe(error)})`);
			this.#pipe = await this.#create(this.plan, this.backend);
		}
		const sessionMs = performance.now() - started;
		// One small run compiles WebGPU shaders and sizes WASM buffers before the model counts as ready.
		const spec = getTask(this.plan.task) as { examples: readonly unknown[]; warmup?: unknown };
		const example = spec.warmup ?? spec.examples[0];
		const warmStart = performance.now();
		if (example !== undefined)
			await this.#call(example as TaskInput<TaskId>, new AbortController().signal, () => undefined);
		return { sessionMs, warmupMs: performance.now() - warmStart };
	}

	#useWasm(reason: string): void {
		this.backend = planBackend(this.#caps, {
			device: 'wasm',
			dtype: this.backend.dtype,
			files: this.plan.remote.map((file) => file.path)
		});
		this.notes.push(`${reason}; fell back to WASM.`);
	}

	#call(
		input: TaskInput<TaskId>,
		signal: AbortSignal,
		emit: (partial: TaskPartial<TaskId>) => void
	): Promise<TaskOutput<TaskId>> {
		const pipe = this.#pipe;
		if (!pipe) throw new InferenceError('The model is not loaded.');
		const spec = getTask(this.plan.task) as unknown as {
			run(pipe: PipelineCall, input: unknown, context: object): Promise<TaskOutput<TaskId>>;
		};
		return spec.run(pipe, input, { signal, emit, library: this.#library });
	}

	async #runOne(job: RunJob): Promise<RunOutcome> {
		if (job.signal.aborted) throw new CancelledError('Cancelled.');
		const started = performance.now();
		try {
			const output = await this.#call(job.input, job.signal, job.emit);
			return { output, inferenceMs: performance.now() - started, batchSize: 1 };
		} catch (error) {
			if (job.signal.aborted) throw new CancelledError('Cancelled.');
			if (this.backend.device !== 'webgpu')
				throw new InferenceError(describe(error), { model: this.plan.model });
			// A WebGPU failure at run time (device lost, out of memory): rebuild on WASM once and run again.
			const reason = `WebGPU failed while running (${describe(error)})`;
			await this.#pipe?.dispose().catch(() => undefined);
			this.#useWasm(reason);
			this.#pipe = await this.#create(this.plan, this.backend);
			const retried = performance.now();
			const output = await this.#call(job.input, job.signal, job.emit);
			return {
				output,
				inferenceMs: performance.now() - retried,
				batchSize: 1,
				fallback: { reason, plan: this.backend }
			};
		}
	}

	async #runBatch(runs: readonly QueuedRun<RunJob, RunOutcome>[]): Promise<RunOutcome[]> {
		const pipe = this.#pipe;
		const batch = (
			getTask(this.plan.task) as {
				batch?: { run(pipe: PipelineCall, inputs: readonly unknown[]): Promise<unknown[]> };
			}
		).batch;
		if (!pipe || !batch) throw new InferenceError('This task cannot batch.');
		const live = runs.filter((run) => !run.input.signal.aborted);
		const started = performance.now();
		const outputs =
			live.length > 0
				? await batch.run(
						pipe,
						live.map((run) => run.input.input)
					)
				: [];
		const inferenceMs = performance.now() - started;
		return runs.map((run) => {
			const index = live.indexOf(run);
			// A run cancelled while queued is rejected here; the queue's later resolve of it is a no-op.
			if (index < 0) run.reject(new CancelledError('Cancelled.'));
			return { output: outputs[index] as TaskOutput<TaskId>, inferenceMs, batchSize: live.length };
		});
	}

	/** Queues a run; runs that queue while the model is busy may share one batched call. */
	run(job: RunJob): Promise<RunOutcome> {
		const spec = getTask(this.plan.task) as { batch?: { key(input: unknown): string } };
		return new Promise((resolve, reject) => {
			this.#queue.push({
				id: job.id,
				input: job,
				batchKey: spec.batch ? `${job.task}:${spec.batch.key(job.input)}` : null,
				resolve,
				reject
			});
		});
	}

	/** Takes a run out of the queue if it has not started; true when it had not. */
	dequeue(id: string): boolean {
		const removed = this.#queue.remove(id);
		removed?.reject(new CancelledError('Cancelled.'));
		return removed !== null;
	}

	async dispose(): Promise<void> {
		await this.#pipe?.dispose();
		this.#pipe = null;
	}
}

function describe(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}

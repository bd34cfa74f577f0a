// The page's side of the worker protocol: sends typed requests, keeps a map of pending promises by id,
// forwards progress, and turns the worker's errors back into named error classes. A crashed worker
// rejects everything it had in flight and is replaced on the next request.

import type { TaskId, TaskInput, TaskPartial } from '$lib/tasks/registry';
import { transferablesOf } from './transfer';
import type { DeviceCapabilities } from './backend';
import type { StoredModel } from '$lib/store/types';
import { CancelledError, deserializeError, WorkerCrashedError } from './errors';
import {
	isFinal,
	type DownloadPlan,
	type FileProgress,
	type FinalMessage,
	type LoadedModel,
	type LoadOptions,
	type LoadPhase,
	type ModelRef,
	type PageToWorker,
	type RunResultOf,
	type RuntimeFiles,
	type StoredModelRef,
	type WorkerToPage
} from './protocol';

export interface LoadListener {
	onPhase?(phase: LoadPhase): void;
	onProgress?(file: FileProgress): void;
	/** Partial results of a streaming run (typed by the run's task). */
	onPartial?(partial: unknown): void;
}

interface Pending {
	resolve(message: FinalMessage): void;
	reject(error: Error): void;
	listener?: LoadListener;
}

type Distribute<M, K> = M extends { kind: K } ? M : never;
type RequestBody = PageToWorker extends infer M ? (M extends { id: string } ? Omit<M, 'id'> : never) : never;

export type WorkerFactory = () => Worker;

export class InferenceClient {
	readonly #createWorker: WorkerFactory;
	#worker: Worker | null = null;
	readonly #pending = new Map<string, Pending>();

	readonly #onCrash: ((error: Error) => void) | undefined;
	readonly #ortFiles: RuntimeFiles | undefined;

	/** onCrash: told when the worker dies, after its pending requests were rejected. */
	constructor(
		createWorker: WorkerFactory,
		options: { onCrash?: (error: Error) => void; ortFiles?: RuntimeFiles } = {}
	) {
		this.#createWorker = createWorker;
		this.#onCrash = options.onCrash;
		this.#ortFiles = options.ortFiles;
	}

	/** Whether a worker is running (one is started by the first request). */
	get started(): boolean {
		return this.#worker !== null;
	}

	#ensureWorker(): Worker {
		if (this.#worker) return this.#worker;
		const worker = this.#createWorker();
		worker.addEventListener('message', (event: MessageEvent<WorkerToPage>) => this.#receive(event.data));
		worker.addEventListener('error', (event) => {
			event.preventDefault();
			this.#crash(
				new WorkerCrashedError(`The inference worker stopped: ${event.message || 'it could not start'}.`)
			);
		});
		worker.addEventListener('messageerror', () =>
			this.#crash(new WorkerCrashedError('A message from the inference worker could not be read.'))
		);
		if (this.#ortFiles)
			worker.postMessage({
				kind: 'init',
				id: crypto.randomUUID(),
				ortFiles: this.#ortFiles
			} satisfies PageToWorker);
		this.#worker = worker;
		return worker;
	}

	#crash(error: Error, notify = true): void {
		const had = this.#worker !== null;
		this.#worker?.terminate();
		this.#worker = null;
		for (const pending of this.#pending.values()) pending.reject(error);
		this.#pending.clear();
		if (had && notify) this.#onCrash?.(error);
	}

	#receive(message: WorkerToPage): void {
		const pending = this.#pending.get(message.id);
		if (!pending) return; // a request the page already gave up on
		if (message.kind === 'phase') pending.listener?.onPhase?.(message.phase);
		else if (message.kind === 'progress') pending.listener?.onProgress?.(message.file);
		else if (message.kind === 'partial') pending.listener?.onPartial?.(message.partial);
		else if (isFinal(message)) {
			this.#pending.delete(message.id);
			if (message.kind === 'error') pending.reject(deserializeError(message.error));
			else pending.resolve(message);
		}
	}

	#request<K extends FinalMessage['kind']>(
		body: RequestBody,
		expect: K,
		listener?: LoadListener
	): { id: string; done: Promise<Distribute<FinalMessage, K>> } {
		const id = crypto.randomUUID();
		const worker = this.#ensureWorker();
		const done = new Promise<Distribute<FinalMessage, K>>((resolve, reject) => {
			this.#pending.set(id, {
				resolve: (message) => {
					if (message.kind === expect) resolve(message as Distribute<FinalMessage, K>);
					else reject(new WorkerCrashedError(`Expected ${expect} from the worker, got ${message.kind}.`));
				},
				reject,
				listener
			});
		});
		const message = { ...body, id } as PageToWorker;
		// Buffers in the request (images, audio) move to the worker instead of being copied.
		worker.postMessage(message, transferablesOf(message));
		return { id, done };
	}

	async capabilities(): Promise<DeviceCapabilities> {
		return (await this.#request({ kind: 'probe' }, 'capabilities').done).capabilities;
	}

	/** Resolves the model and says what loading it will download, before anything is downloaded. */
	plan(task: TaskId, ref: ModelRef, options: LoadOptions): { id: string; done: Promise<DownloadPlan> } {
		const { id, done } = this.#request({ kind: 'plan', task, ref, options }, 'planned');
		return { id, done: done.then((message) => message.plan) };
	}

	async storedModels(): Promise<{ models: StoredModel[]; backend: 'opfs' | 'idb' }> {
		const { models, backend } = await this.#request({ kind: 'store-list' }, 'store-listing').done;
		return { models, backend };
	}

	async deleteStored(model: StoredModelRef | 'all'): Promise<void> {
		await this.#request({ kind: 'store-delete', model }, 'store-done').done;
	}

	async verifyStored(model: StoredModelRef): Promise<{ path: string; ok: boolean }[]> {
		return (await this.#request({ kind: 'store-verify', model }, 'store-verified').done).files;
	}

	async checkForUpdate(
		model: StoredModelRef,
		revision: string
	): Promise<{ current: string; latest: string }> {
		const { current, latest } = await this.#request(
			{ kind: 'store-check-update', model, revision },
			'store-update'
		).done;
		return { current, latest };
	}

	/** Stores an .onnx file opened from disk (the buffer moves to the worker) and names the model it became. */
	async storeLocal(bytes: ArrayBuffer): Promise<ModelRef & { graph: string }> {
		return (await this.#request({ kind: 'store-local', bytes }, 'stored-local').done).ref;
	}

	/** Downloads what the plan misses, creates the session and warms it up. */
	load(plan: DownloadPlan, listener?: LoadListener): { id: string; done: Promise<LoadedModel> } {
		const { id, done } = this.#request({ kind: 'load', plan }, 'loaded', listener);
		return { id, done: done.then((message) => message.model) };
	}

	run<T extends TaskId>(
		task: T,
		key: string,
		input: TaskInput<T>,
		onPartial?: (partial: TaskPartial<T>) => void
	): { id: string; done: Promise<RunResultOf<T>> } {
		const { id, done } = this.#request({ kind: 'run', task, key, input } as RequestBody, 'result', {
			onPartial: onPartial as ((partial: unknown) => void) | undefined
		});
		return { id, done: done as Promise<RunResultOf<T>> };
	}

	/** Sends a buffer to the worker and back, transferred both ways (the status page's diagnostics). */
	async echo(payload: ArrayBuffer): Promise<ArrayBuffer> {
		return (await this.#request({ kind: 'echo', payload }, 'echoed').done).payload;
	}

	/** Asks the worker to stop a request at its next step, and keeps waiting for what it returns. */
	interrupt(target: string): void {
		this.#worker?.postMessage({ kind: 'cancel', id: crypto.randomUUID(), target } satisfies PageToWorker);
	}

	/** Stops waiting for a request at once; the worker drops its result when it comes. */
	cancel(target: string): void {
		const pending = this.#pending.get(target);
		if (!pending) return;
		this.#pending.delete(target);
		pending.reject(new CancelledError('Cancelled.'));
		this.#worker?.postMessage({ kind: 'cancel', id: crypto.randomUUID(), target } satisfies PageToWorker);
	}

	/** Stops the worker and everything in it, at once (memory comes back only this way). */
	terminate(reason: Error = new CancelledError('The runtime was shut down.')): void {
		this.#crash(reason, false);
	}
}

// Worker side: runs of one model, one after another, with micro-batching. A run that arrives while the
// model is idle starts at once (no added latency); runs that arrive while it is busy queue up, and when it
// frees up, queued runs that can share a batch (same task and batch key) go as one call, up to maxBatch.

export interface QueuedRun<Input, Output> {
	id: string;
	input: Input;
	/** Runs with the same batch key may go in one batch; null means this run always goes alone. */
	batchKey: string | null;
	resolve(output: Output): void;
	reject(error: unknown): void;
}

export interface RunQueueOptions<Input, Output> {
	maxBatch: number;
	runOne(run: QueuedRun<Input, Output>): Promise<Output>;
	runBatch(runs: readonly QueuedRun<Input, Output>[]): Promise<Output[]>;
}

export class RunQueue<Input, Output> {
	readonly #options: RunQueueOptions<Input, Output>;
	readonly #waiting: QueuedRun<Input, Output>[] = [];
	#busy = false;
	/** Sizes of the batches run so far, for metrics and tests. */
	readonly batchSizes: number[] = [];

	constructor(options: RunQueueOptions<Input, Output>) {
		this.#options = options;
	}

	get pending(): number {
		return this.#waiting.length;
	}

	push(run: QueuedRun<Input, Output>): void {
		this.#waiting.push(run);
		if (!this.#busy) void this.#drain();
	}

	/** Drops a run that has not started; returns whether it was still waiting. */
	remove(id: string): QueuedRun<Input, Output> | null {
		const index = this.#waiting.findIndex((run) => run.id === id);
		if (index < 0) return null;
		const [removed] = this.#waiting.splice(index, 1);
		return removed ?? null;
	}

	#takeBatch(): QueuedRun<Input, Output>[] {
		const first = this.#waiting.shift();
		if (!first) return [];
		if (first.batchKey === null) return [first];
		const batch = [first];
		for (let index = 0; index < this.#waiting.length && batch.length < this.#options.maxBatch;) {
			const run = this.#waiting[index];
			if (run && run.batchKey === first.batchKey) {
				batch.push(run);
				this.#waiting.splice(index, 1);
			} else index++;
		}
		return batch;
	}

	async #drain(): Promise<void> {
		this.#busy = true;
		try {
			for (let batch = this.#takeBatch(); batch.length > 0; batch = this.#takeBatch()) {
				this.batchSizes.push(batch.length);
				if (batch.length === 1) {
					const [run] = batch as [QueuedRun<Input, Output>];
					await this.#options.runOne(run).then(run.resolve, run.reject);
					continue;
				}
				try {
					const outputs = await this.#options.runBatch(batch);
					batch.forEach((run, index) => run.resolve(outputs[index] as Output));
				} catch (error) {
					for (const run of batch) run.reject(error);
				}
			}
		} finally {
			this.#busy = false;
		}
	}
}

// The worker pool against fake workers that speak the real protocol: one worker per model, LRU unloading
// beyond the limit, shared loads, crash handling, and cancel per stage.
import { describe, expect, it } from 'vitest';
import { WorkerPool } from './pool.svelte';
import type { DownloadPlan, PageToWorker, WorkerToPage } from './protocol';
import { CancelledError, WorkerCrashedError } from './errors';

/** A stand-in Worker: answers load and run after a tick, or holds them until released. */
class FakeWorker extends EventTarget {
	static all: FakeWorker[] = [];
	terminated = false;
	received: PageToWorker[] = [];
	hold = false;
	held: (() => void)[] = [];

	constructor() {
		super();
		FakeWorker.all.push(this);
	}

	postMessage(message: PageToWorker): void {
		this.received.push(message);
		const reply = (answer: WorkerToPage) => {
			const send = () => {
				if (!this.terminated) this.dispatchEvent(new MessageEvent('message', { data: answer }));
			};
			// Whether to hold is decided when the answer would go out, so a test can hold right after asking.
			queueMicrotask(() => (this.hold ? this.held.push(send) : send()));
		};
		if (message.kind === 'load') {
			const { plan } = message;
			reply({
				kind: 'loaded',
				id: message.id,
				model: {
					key: plan.key,
					task: plan.task,
					model: plan.model,
					commit: plan.commit,
					hub: plan.hub,
					plan: plan.backend,
					loadMs: 1,
					timings: { downloadMs: 0, sessionMs: 1, warmupMs: 0, totalMs: 1 },
					notes: []
				}
			});
		} else if (message.kind === 'cancel') {
			const target = this.received.find((sent) => sent.id === message.target);
			if (target) {
				const send = () =>
					this.dispatchEvent(
						new MessageEvent('message', {
							data: { kind: 'error', id: target.id, error: { name: 'CancelledError', message: 'Cancelled.' } }
						})
					);
				queueMicrotask(send);
			}
		} else if (message.kind === 'run') {
			reply({
				kind: 'result',
				id: message.id,
				task: 'text-classification',
				output: [{ label: 'POSITIVE', score: 1 }],
				inferenceMs: 2,
				batchSize: 1
			});
		}
	}

	terminate(): void {
		this.terminated = true;
	}

	crash(message: string): void {
		this.dispatchEvent(Object.assign(new Event('error'), { message }));
	}
}

function plan(model: string): DownloadPlan {
	return {
		task: 'text-classification',
		model,
		revision: 'main',
		hub: 'http://hub/',
		commit: 'c'.repeat(40),
		backend: { device: 'wasm', dtype: 'q8', threads: 2, notes: [] },
		files: [],
		totalBytes: 0,
		missingBytes: 0,
		remote: [],
		known: [],
		key: `key:${model}`
	};
}

function makePool(maxModels: number) {
	FakeWorker.all = [];
	const pool = new WorkerPool(() => new FakeWorker() as unknown as Worker, { maxModels });
	return pool;
}

const input = { text: 'hi', topK: 0 };

describe('WorkerPool', () => {
	it('gives each model its own worker and unloads the least recently used beyond the limit', async () => {
		const pool = makePool(2);
		await pool.load(plan('a')).done;
		await pool.load(plan('b')).done;
		expect(FakeWorker.all).toHaveLength(2);
		await new Promise((resolve) => setTimeout(resolve, 2));
		await pool.run('text-classification', 'key:a', input).done; // a is now more recent than b
		await new Promise((resolve) => setTimeout(resolve, 2));
		await pool.load(plan('c')).done;
		expect(Object.keys(pool.models).sort()).toEqual(['key:a', 'key:c']);
		expect(FakeWorker.all.map((worker) => worker.terminated)).toEqual([false, true, false]);
		expect(pool.workerCount).toBe(2);
	});

	it('loads a model once for everyone who asks, and returns it ready afterwards', async () => {
		const pool = makePool(3);
		const [one, two] = [pool.load(plan('a')), pool.load(plan('a'))];
		expect(one.id).toBe(two.id);
		await Promise.all([one.done, two.done]);
		const again = await pool.load(plan('a')).done;
		expect(again.model).toBe('a');
		expect(FakeWorker.all).toHaveLength(1);
		expect(FakeWorker.all[0]!.received.filter((message) => message.kind === 'load')).toHaveLength(1);
		expect(pool.models['key:a']?.state).toBe('ready');
	});

	it('records runs and their latency in the model metrics', async () => {
		const pool = makePool(3);
		await pool.load(plan('a')).done;
		await pool.run('text-classification', 'key:a', input).done;
		await pool.run('text-classification', 'key:a', input).done;
		expect(pool.models['key:a']?.metrics).toMatchObject({ runs: 2, errors: 0, p50Ms: 2 });
	});

	it('a crashed worker rejects what it had in flight, marks the model, and the next load starts a fresh one', async () => {
		const pool = makePool(3);
		await pool.load(plan('a')).done;
		const worker = FakeWorker.all[0]!;
		worker.hold = true;
		const run = pool.run('text-classification', 'key:a', input).done;
		worker.crash('out of memory');
		await expect(run).rejects.toBeInstanceOf(WorkerCrashedError);
		expect(pool.models['key:a']).toMatchObject({ state: 'error' });
		expect(pool.models['key:a']?.error).toContain('out of memory');
		await pool.load(plan('a')).done;
		expect(FakeWorker.all).toHaveLength(2);
		expect(pool.models['key:a']?.state).toBe('ready');
	});

	it('cancel during a load that is past the download terminates the worker and forgets the model', async () => {
		const pool = makePool(3);
		FakeWorker.all = [];
		const load = pool.load(plan('a'));
		const worker = FakeWorker.all[0]!;
		worker.hold = true;
		pool.cancel(load.id);
		await expect(load.done).rejects.toBeInstanceOf(CancelledError);
		expect(worker.terminated).toBe(true);
		expect(pool.models['key:a']).toBeUndefined();
	});

	it('cancel during a download asks the worker to stop, waits for it to say so, then lets the worker go', async () => {
		const pool = makePool(3);
		FakeWorker.all = [];
		const load = pool.load({ ...plan('a'), missingBytes: 100 });
		const worker = FakeWorker.all[0]!;
		worker.hold = true;
		pool.cancel(load.id);
		expect(worker.terminated).toBe(false);
		await expect(load.done).rejects.toBeInstanceOf(CancelledError);
		expect(worker.received.some((message) => message.kind === 'cancel' && message.target === load.id)).toBe(
			true
		);
		expect(worker.terminated).toBe(true);
		expect(pool.models['key:a']).toBeUndefined();
	});
});

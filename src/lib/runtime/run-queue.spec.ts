import { describe, expect, it } from 'vitest';
import { RunQueue, type QueuedRun } from './run-queue';

function harness(maxBatch = 4) {
	const calls: string[][] = [];
	let release: () => void = () => undefined;
	let gate = Promise.resolve();
	const queue = new RunQueue<string, string>({
		maxBatch,
		async runOne(run) {
			calls.push([run.input]);
			await gate;
			if (run.input === 'boom') throw new Error('boom');
			return run.input.toUpperCase();
		},
		async runBatch(runs) {
			calls.push(runs.map((run) => run.input));
			await gate;
			return runs.map((run) => run.input.toUpperCase());
		}
	});
	const hold = () => {
		gate = new Promise((resolve) => (release = resolve));
	};
	const push = (input: string, batchKey: string | null = 'k') =>
		new Promise<string>((resolve, reject) => {
			const run: QueuedRun<string, string> = { id: input, input, batchKey, resolve, reject };
			queue.push(run);
		});
	return { queue, calls, hold, release: () => release(), push };
}

describe('RunQueue', () => {
	it('runs an idle call at once, alone', async () => {
		const { calls, push } = harness();
		expect(await push('a')).toBe('A');
		expect(calls).toEqual([['a']]);
	});

	it('batches what queued while busy, by key, up to maxBatch, and gives each caller its own result', async () => {
		const { queue, calls, hold, release, push } = harness(3);
		hold();
		const results = [
			push('first'),
			push('b1'),
			push('x', 'other'),
			push('b2'),
			push('b3'),
			push('b4'),
			push('solo', null)
		];
		release();
		expect(await Promise.all(results)).toEqual(['FIRST', 'B1', 'X', 'B2', 'B3', 'B4', 'SOLO']);
		expect(calls).toEqual([['first'], ['b1', 'b2', 'b3'], ['x'], ['b4'], ['solo']]);
		expect(queue.batchSizes).toEqual([1, 3, 1, 1, 1]);
	});

	it('a failing run rejects only its caller and the queue goes on', async () => {
		const { push } = harness();
		const failed = push('boom', null);
		const next = push('ok');
		await expect(failed).rejects.toThrow('boom');
		expect(await next).toBe('OK');
	});

	it('removes a run that has not started', async () => {
		const { queue, calls, hold, release, push } = harness();
		hold();
		const running = push('running');
		void push('dropped').catch(() => undefined);
		expect(queue.remove('dropped')?.input).toBe('dropped');
		expect(queue.remove('running')).toBeNull();
		release();
		await running;
		expect(calls).toEqual([['running']]);
	});
});

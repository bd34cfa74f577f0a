// ModelHost with the real transformers.js (Node) on the generated sentiment model: warm-up, and runs that
// arrive while the model is busy going as one batch, each caller still getting its own result.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as transformers from '@huggingface/transformers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateFixtures } from '../../../scripts/fixtures/index.ts';
import { CancelledError } from './errors';
import { ModelHost, type PipelineFactory } from './model-host';
import type { DownloadPlan } from './protocol';

let dir: string;

beforeAll(async () => {
	dir = await mkdtemp(join(tmpdir(), 'browserve-host-'));
	await generateFixtures(dir);
	transformers.env.allowRemoteModels = false;
	transformers.env.allowLocalModels = true;
	transformers.env.localModelPath = `${dir}/`;
});
afterAll(async () => {
	await rm(dir, { recursive: true, force: true });
});

const plan: DownloadPlan = {
	task: 'text-classification',
	model: 'browserve/tiny-sentiment',
	revision: 'main',
	hub: 'local',
	commit: 'c'.repeat(40),
	backend: { device: 'wasm', dtype: 'fp32', threads: 1, notes: [] },
	files: [],
	totalBytes: 0,
	missingBytes: 0,
	remote: [],
	known: [],
	key: 'k'
};
const caps = { webgpu: null, crossOriginIsolated: false, hardwareConcurrency: 1, deviceMemoryGiB: null };

function host(calls: unknown[][]): ModelHost {
	// In Node the CPU backend stands in for WASM; the host only cares that the pipeline answers.
	const create: PipelineFactory = async () => {
		const pipe = await transformers.pipeline('text-classification', plan.model, { dtype: 'fp32' });
		const counting = (async (input: unknown, options?: Record<string, unknown>) => {
			calls.push(Array.isArray(input) ? input : [input]);
			return pipe(input as string, options);
		}) as unknown as Awaited<ReturnType<PipelineFactory>>;
		return Object.assign(counting, { dispose: () => pipe.dispose() });
	};
	return new ModelHost(plan, caps, transformers, create);
}

const job = (id: string, text: string, signal = new AbortController().signal) => ({
	id,
	task: 'text-classification' as const,
	input: { text, topK: 0 },
	signal,
	emit: () => undefined
});

describe('ModelHost', () => {
	it('warms up before it is ready, then batches the runs that queued while it was busy', async () => {
		const calls: unknown[][] = [];
		const model = host(calls);
		const timings = await model.load();
		expect(calls).toHaveLength(1); // the warm-up run
		expect(timings.sessionMs).toBeGreaterThan(0);
		calls.length = 0;

		const texts = [
			'I love this',
			'I hate this',
			'What a wonderful day',
			'The service was terrible',
			'I love it'
		];
		const outcomes = await Promise.all(texts.map((text, index) => model.run(job(String(index), text))));
		// The first started alone; the four that arrived while it ran went as one call.
		expect(calls.map((call) => call.length)).toEqual([1, 4]);
		expect(outcomes.map((outcome) => outcome.batchSize)).toEqual([1, 4, 4, 4, 4]);
		const top = outcomes.map((outcome) => (outcome.output as { label: string }[])[0]?.label);
		expect(top).toEqual(['POSITIVE', 'NEGATIVE', 'POSITIVE', 'NEGATIVE', 'POSITIVE']);
		await model.dispose();
	});

	it('a run cancelled while queued is rejected and left out of the batch', async () => {
		const calls: unknown[][] = [];
		const model = host(calls);
		await model.load();
		calls.length = 0;
		const first = model.run(job('a', 'I love this'));
		const second = model.run(job('b', 'I hate this'));
		const third = model.run(job('c', 'What a wonderful day'));
		expect(model.dequeue('b')).toBe(true);
		await expect(second).rejects.toBeInstanceOf(CancelledError);
		await Promise.all([first, third]);
		expect(calls).toEqual([['I love this'], ['What a wonderful day']]);
		await model.dispose();
	});
});

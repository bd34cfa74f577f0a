import { describe, expect, it } from 'vitest';
import { CancelledError } from '$lib/runtime/errors';
import type { DownloadPlan } from '$lib/runtime/protocol';
import { DownloadGate } from './download-gate.svelte';

function plan(missingBytes: number): DownloadPlan {
	return { model: 'org/model', missingBytes, files: [{}, {}] } as unknown as DownloadPlan;
}

describe('DownloadGate', () => {
	it('lets downloads up to the limit (or with no limit) start at once', async () => {
		await expect(new DownloadGate(1000).check(plan(1000))).resolves.toBeUndefined();
		await expect(new DownloadGate(null).check(plan(10 ** 12))).resolves.toBeUndefined();
	});

	it('holds a larger one until it is confirmed, showing its size', async () => {
		const gate = new DownloadGate(1000);
		const waiting = gate.check(plan(5000));
		expect(gate.pending).toEqual({ model: 'org/model', bytes: 5000, files: 2, limit: 1000 });
		gate.confirm();
		await expect(waiting).resolves.toBeUndefined();
		expect(gate.pending).toBeNull();
	});

	it('cancels a declined one, and a newer question declines the older', async () => {
		const gate = new DownloadGate(1000);
		const declined = gate.check(plan(5000));
		gate.decline();
		await expect(declined).rejects.toThrow(CancelledError);
		const older = gate.check(plan(5000));
		const newer = gate.check(plan(6000));
		await expect(older).rejects.toThrow('was not started');
		expect(gate.pending?.bytes).toBe(6000);
		gate.confirm();
		await expect(newer).resolves.toBeUndefined();
	});
});

// Which /bench items run on which device: WebGPU only with an adapter, one thread without cross-origin
// isolation, and never more threads than the app's planner would use.

import { describe, expect, it } from 'vitest';
import type { DeviceCapabilities } from '$lib/runtime/backend';
import { allThreads, measurementsOf, planSteps, QUICK_SET, STANDARD_SET } from './standard-set';

const caps = (changes: Partial<DeviceCapabilities> = {}): DeviceCapabilities => ({
	webgpu: null,
	crossOriginIsolated: true,
	hardwareConcurrency: 4,
	deviceMemoryGiB: null,
	...changes
});
const gpu = {
	isFallbackAdapter: false,
	vendor: 'nvidia',
	architecture: 'ada',
	shaderF16: true,
	maxBufferSize: 2 ** 30,
	maxStorageBufferBindingSize: 2 ** 30
};

describe('planSteps', () => {
	it.each([
		['no WebGPU', caps(), ['text-wasm-1', 'text-wasm-all', 'vad-wasm-1', 'vad-wasm-all', 'store']],
		[
			'a WebGPU adapter',
			caps({ webgpu: gpu }),
			['text-wasm-1', 'text-wasm-all', 'text-webgpu', 'vad-wasm-1', 'vad-wasm-all', 'store']
		]
	])('with %s runs %j', (_, given, ids) => {
		expect(planSteps(given).map((step) => step.id)).toEqual(ids);
	});

	it('labels a software adapter as one', () => {
		const step = planSteps(caps({ webgpu: { ...gpu, isFallbackAdapter: true } })).find(
			(s) => s.id === 'text-webgpu'
		);
		expect(step?.label).toContain('software adapter');
	});

	it('gives the store step two measurements', () => {
		const store = planSteps(caps()).find((step) => step.kind === 'store');
		expect(store && measurementsOf(store)).toEqual(['store-write', 'store-read']);
	});
});

describe('allThreads', () => {
	it.each([
		[caps({ hardwareConcurrency: 2 }), 2],
		[caps({ hardwareConcurrency: 32 }), 8],
		[caps({ crossOriginIsolated: false, hardwareConcurrency: 8 }), 1]
	])('%#: %i threads', (given, expected) => {
		expect(allThreads(given)).toBe(expected);
	});
});

describe('the sets', () => {
	it('keeps the quick set smaller than the standard one in every dimension', () => {
		expect(QUICK_SET.quick).toBe(true);
		expect(QUICK_SET.textCalls).toBeLessThan(STANDARD_SET.textCalls);
		expect(QUICK_SET.audioSeconds).toBeLessThan(STANDARD_SET.audioSeconds);
		expect(QUICK_SET.storeBytes).toBeLessThan(STANDARD_SET.storeBytes);
	});
});

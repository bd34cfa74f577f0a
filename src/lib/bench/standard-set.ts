// The /bench page's standard set, as data: which items run on this device (the text model on WASM with one
// thread and with all, on WebGPU where there is an adapter; Silero VAD on WASM with one thread and all; the
// model store's write and read), how many calls each, and on how much audio. Pure, so it is tested as a table.

import type { DeviceCapabilities } from '$lib/runtime/backend';
import type { MeasurementId } from './report';

export interface BenchSettings {
	quick: boolean;
	/** Timed calls of the text model per item (after the load's own warm-up). */
	textCalls: number;
	/** Timed calls of Silero VAD per item. */
	vadCalls: number;
	audioSeconds: number;
	storeBytes: number;
	storeRounds: number;
}

export const STANDARD_SET: BenchSettings = {
	quick: false,
	textCalls: 20,
	vadCalls: 3,
	audioSeconds: 10,
	storeBytes: 64 * 1024 * 1024,
	storeRounds: 3
};

/** A few seconds on any device: what the page's end-to-end test runs. */
export const QUICK_SET: BenchSettings = {
	quick: true,
	textCalls: 5,
	vadCalls: 2,
	audioSeconds: 2,
	storeBytes: 8 * 1024 * 1024,
	storeRounds: 2
};

export type BenchStep =
	| {
			id: 'text-wasm-1' | 'text-wasm-all' | 'text-webgpu';
			kind: 'text';
			device: 'wasm' | 'webgpu';
			threads: number;
			label: string;
	  }
	| { id: 'vad-wasm-1' | 'vad-wasm-all'; kind: 'vad'; device: 'wasm'; threads: number; label: string }
	| { id: 'store'; kind: 'store'; label: string };

/** ORT's threads on this device: all cores (at most 8, as the app's planner), one without isolation. */
export function allThreads(caps: DeviceCapabilities): number {
	return caps.crossOriginIsolated ? Math.max(1, Math.min(caps.hardwareConcurrency, 8)) : 1;
}

/** The steps to run here, in order; WebGPU only where the browser has an adapter. */
export function planSteps(caps: DeviceCapabilities): BenchStep[] {
	const all = allThreads(caps);
	const steps: BenchStep[] = [
		{ id: 'text-wasm-1', kind: 'text', device: 'wasm', threads: 1, label: 'Text model, WASM, 1 thread' },
		{
			id: 'text-wasm-all',
			kind: 'text',
			device: 'wasm',
			threads: all,
			label: `Text model, WASM, ${all} threads`
		}
	];
	if (caps.webgpu) {
		const software = caps.webgpu.isFallbackAdapter ? ' (software adapter)' : '';
		steps.push({
			id: 'text-webgpu',
			kind: 'text',
			device: 'webgpu',
			threads: 0,
			label: `Text model, WebGPU${software}`
		});
	}
	steps.push(
		{ id: 'vad-wasm-1', kind: 'vad', device: 'wasm', threads: 1, label: 'Silero VAD, WASM, 1 thread' },
		{
			id: 'vad-wasm-all',
			kind: 'vad',
			device: 'wasm',
			threads: all,
			label: `Silero VAD, WASM, ${all} threads`
		},
		{ id: 'store', kind: 'store', label: 'Model store, write and read' }
	);
	return steps;
}

/** The measurements a step produces (the store step gives two). */
export function measurementsOf(step: BenchStep): MeasurementId[] {
	return step.kind === 'store' ? ['store-write', 'store-read'] : [step.id];
}

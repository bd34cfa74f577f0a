// A /bench result for the unit specs: a device with a software WebGPU adapter, every kind of measurement.

import { REPORT_VERSION, type BenchReport } from './report';

export const SAMPLE: BenchReport = {
	version: REPORT_VERSION,
	date: '2026-11-27T12:00:00.000Z',
	quick: false,
	device: {
		cores: 8,
		crossOriginIsolated: true,
		webgpu: { vendor: 'google', architecture: 'swiftshader', software: true },
		browser: 'Chromium 156'
	},
	models: { text: 'browserve/tiny-sentiment@0123456789ab', vad: 'snakers4/silero-vad@0123456789ab' },
	audioSeconds: 10,
	storeBytes: 64 * 2 ** 20,
	storeBackend: 'opfs',
	measurements: [
		{
			id: 'text-wasm-1',
			label: 'Text model, WASM, 1 thread',
			unit: 'ms',
			median: 1.5,
			p90: 2,
			runs: 20,
			threads: 1
		},
		{
			id: 'text-wasm-all',
			label: 'Text model, WASM, 8 threads',
			unit: 'ms',
			median: 1,
			p90: 1.2,
			runs: 20,
			threads: 8
		},
		{
			id: 'text-webgpu',
			label: 'Text model, WebGPU',
			unit: 'ms',
			median: 9,
			p90: 11,
			runs: 20,
			threads: 0,
			note: 'software adapter, not a speed figure'
		},
		{
			id: 'vad-wasm-1',
			label: 'Silero VAD, 1 thread',
			unit: 'ms',
			median: 190,
			p90: 200,
			runs: 3,
			threads: 1
		},
		{ id: 'store-read', label: 'Model store read', unit: 'MB/s', median: 900, p90: 700, runs: 3, threads: 0 }
	]
};

import { describe, expect, it } from 'vitest';
import { availableDtypes, planBackend, type DeviceCapabilities, type PlanRequest } from './backend';

const gpu = (over: Partial<NonNullable<DeviceCapabilities['webgpu']>> = {}) => ({
	isFallbackAdapter: false,
	vendor: 'acme',
	architecture: 'rdna',
	shaderF16: false,
	maxBufferSize: 2 ** 30,
	maxStorageBufferBindingSize: 2 ** 30,
	...over
});
const caps = (over: Partial<DeviceCapabilities> = {}): DeviceCapabilities => ({
	webgpu: gpu(),
	crossOriginIsolated: true,
	hardwareConcurrency: 4,
	deviceMemoryGiB: 8,
	...over
});
const BOTH = ['config.json', 'onnx/model.onnx', 'onnx/model_quantized.onnx'];
const ALL = [...BOTH, 'onnx/model_fp16.onnx', 'onnx/model_q4f16.onnx'];

describe('availableDtypes', () => {
	it.each([
		[BOTH, ['fp32', 'q8']],
		[ALL, ['fp32', 'q8', 'fp16', 'q4f16']],
		[
			['onnx/encoder_model.onnx', 'onnx/decoder_model_merged.onnx', 'onnx/encoder_model_quantized.onnx'],
			['fp32']
		],
		[['config.json'], []]
	])('%j → %j', (files, expected) => {
		expect([...availableDtypes(files)].sort()).toEqual([...expected].sort());
	});
});

describe('planBackend', () => {
	const cases: [
		string,
		DeviceCapabilities,
		PlanRequest,
		{ device: string; dtype: string; threads: number; note?: string }
	][] = [
		[
			'auto on a real GPU picks webgpu fp32',
			caps(),
			{ device: 'auto', files: BOTH },
			{ device: 'webgpu', dtype: 'fp32', threads: 4 }
		],
		[
			'fp16 only with shader-f16',
			caps({ webgpu: gpu({ shaderF16: true }) }),
			{ device: 'auto', files: ALL },
			{ device: 'webgpu', dtype: 'fp16', threads: 4 }
		],
		[
			'no shader-f16 never gets fp16',
			caps(),
			{ device: 'webgpu', files: ALL },
			{ device: 'webgpu', dtype: 'fp32', threads: 4 }
		],
		[
			'asked fp16 without shader-f16',
			caps(),
			{ device: 'webgpu', dtype: 'fp16', files: ALL },
			{ device: 'webgpu', dtype: 'fp32', threads: 4, note: 'shader-f16' }
		],
		[
			'no adapter falls back to wasm q8',
			caps({ webgpu: null }),
			{ device: 'auto', files: BOTH },
			{ device: 'wasm', dtype: 'q8', threads: 4 }
		],
		[
			'webgpu asked, none there',
			caps({ webgpu: null }),
			{ device: 'webgpu', files: BOTH },
			{ device: 'wasm', dtype: 'q8', threads: 4, note: 'no WebGPU adapter' }
		],
		[
			'software adapter: auto prefers wasm',
			caps({ webgpu: gpu({ isFallbackAdapter: true }) }),
			{ device: 'auto', files: BOTH },
			{ device: 'wasm', dtype: 'q8', threads: 4, note: 'software' }
		],
		[
			'software adapter when asked explicitly',
			caps({ webgpu: gpu({ isFallbackAdapter: true }) }),
			{ device: 'webgpu', files: BOTH },
			{ device: 'webgpu', dtype: 'fp32', threads: 4 }
		],
		['wasm asked', caps(), { device: 'wasm', files: BOTH }, { device: 'wasm', dtype: 'q8', threads: 4 }],
		[
			'wasm without q8 weights uses fp32',
			caps(),
			{ device: 'wasm', files: ['onnx/model.onnx'] },
			{ device: 'wasm', dtype: 'fp32', threads: 4 }
		],
		[
			'dtype that is not published',
			caps(),
			{ device: 'wasm', dtype: 'q4', files: BOTH },
			{ device: 'wasm', dtype: 'q8', threads: 4, note: 'no q4 weights' }
		],
		[
			'dtype honoured when published',
			caps(),
			{ device: 'wasm', dtype: 'fp32', files: BOTH },
			{ device: 'wasm', dtype: 'fp32', threads: 4 }
		],
		[
			'not isolated means one thread',
			caps({ crossOriginIsolated: false }),
			{ device: 'wasm', files: BOTH },
			{ device: 'wasm', dtype: 'q8', threads: 1, note: 'one thread' }
		],
		[
			'threads capped at 8',
			caps({ hardwareConcurrency: 32 }),
			{ device: 'wasm', files: BOTH },
			{ device: 'wasm', dtype: 'q8', threads: 8 }
		]
	];
	it.each(cases)('%s', (_name, capabilities, request, expected) => {
		const plan = planBackend(capabilities, request);
		expect({ device: plan.device, dtype: plan.dtype, threads: plan.threads }).toEqual({
			device: expected.device,
			dtype: expected.dtype,
			threads: expected.threads
		});
		if (expected.note) expect(plan.notes.join(' ')).toContain(expected.note);
		else expect(plan.notes).toEqual([]);
	});
});

// The backend planner: from what the device can do (probed once, in the worker) and which weight files a
// model publishes, choose device, dtype and threads before a single byte of weights is fetched.
// Pure and synchronous so it can be tested as a table.

export type Device = 'webgpu' | 'wasm';
export type DeviceRequest = Device | 'auto';
export const DTYPES = ['fp32', 'fp16', 'q8', 'int8', 'uint8', 'q4', 'q4f16', 'bnb4'] as const;
export type Dtype = (typeof DTYPES)[number];

export interface WebGpuCapabilities {
	/** SwiftShader and other software adapters: correct but far slower than WASM. */
	isFallbackAdapter: boolean;
	vendor: string;
	architecture: string;
	shaderF16: boolean;
	maxBufferSize: number;
	maxStorageBufferBindingSize: number;
}

export interface DeviceCapabilities {
	/** null when navigator.gpu is missing or requestAdapter() gave nothing. */
	webgpu: WebGpuCapabilities | null;
	crossOriginIsolated: boolean;
	hardwareConcurrency: number;
	/** navigator.deviceMemory in GiB where the browser tells it. */
	deviceMemoryGiB: number | null;
}

export interface PlanRequest {
	device: DeviceRequest;
	dtype?: Dtype;
	/** The repo's file paths (the hub's siblings). */
	files: readonly string[];
}

export interface BackendPlan {
	device: Device;
	dtype: Dtype;
	threads: number;
	/** Why the plan differs from what was asked or from the obvious choice, in words for the page. */
	notes: string[];
}

// transformers.js' file-name suffix for each dtype (onnx/model_quantized.onnx is q8, model.onnx is fp32).
const DTYPE_SUFFIX: Record<Dtype, string> = {
	fp32: '',
	fp16: '_fp16',
	q8: '_quantized',
	int8: '_int8',
	uint8: '_uint8',
	q4: '_q4',
	q4f16: '_q4f16',
	bnb4: '_bnb4'
};

const SUFFIXES = (Object.entries(DTYPE_SUFFIX) as [Dtype, string][])
	.filter(([, suffix]) => suffix !== '')
	.sort((a, b) => b[1].length - a[1].length);

/** The dtypes in which every ONNX graph of the repo is published. */
export function availableDtypes(files: readonly string[]): Set<Dtype> {
	const byStem = new Map<string, Set<Dtype>>();
	for (const file of files) {
		const match = /^onnx\/(.+)\.onnx$/.exec(file);
		if (!match?.[1]) continue;
		const name = match[1];
		const found = SUFFIXES.find(([, suffix]) => name.endsWith(suffix));
		const [dtype, stem] = found ? [found[0], name.slice(0, -found[1].length)] : (['fp32', name] as const);
		const set = byStem.get(stem) ?? new Set<Dtype>();
		set.add(dtype);
		byStem.set(stem, set);
	}
	const sets = [...byStem.values()];
	if (sets.length === 0) return new Set();
	return new Set([...sets[0]!].filter((dtype) => sets.every((set) => set.has(dtype))));
}

// Preference order per device: WebGPU wants float weights (fp16 only with shader-f16), WASM wants
// 8-bit weights (smaller download, faster integer kernels on CPU).
const PREFERENCE: Record<Device, (gpu: WebGpuCapabilities | null) => Dtype[]> = {
	webgpu: (gpu) =>
		gpu?.shaderF16 ? ['fp16', 'fp32', 'q4f16', 'q8', 'q4'] : ['fp32', 'q8', 'q4', 'int8', 'uint8'],
	wasm: () => ['q8', 'int8', 'uint8', 'fp32', 'q4', 'fp16', 'bnb4']
};

const NEEDS_SHADER_F16: ReadonlySet<Dtype> = new Set(['fp16', 'q4f16']);

export function planBackend(caps: DeviceCapabilities, request: PlanRequest): BackendPlan {
	const notes: string[] = [];
	let device: Device;
	if (request.device === 'wasm') device = 'wasm';
	else if (caps.webgpu === null) {
		device = 'wasm';
		if (request.device === 'webgpu')
			notes.push('WebGPU was requested but this browser has no WebGPU adapter; using WASM.');
	} else if (request.device === 'webgpu') device = 'webgpu';
	else if (caps.webgpu.isFallbackAdapter) {
		device = 'wasm';
		notes.push('The only WebGPU adapter is a software one, which is slower than WASM; using WASM.');
	} else device = 'webgpu';

	const available = availableDtypes(request.files);
	let dtype: Dtype | undefined;
	if (request.dtype) {
		if (!available.has(request.dtype)) {
			notes.push(`This model has no ${request.dtype} weights; choosing another dtype.`);
		} else if (device === 'webgpu' && NEEDS_SHADER_F16.has(request.dtype) && !caps.webgpu?.shaderF16) {
			notes.push(
				`${request.dtype} needs the shader-f16 GPU feature, which this adapter lacks; choosing another dtype.`
			);
		} else dtype = request.dtype;
	}
	dtype ??= PREFERENCE[device](caps.webgpu).find((candidate) => available.has(candidate));
	if (!dtype) {
		// No weights this device can use: fall back to whatever is published, and let loading explain.
		dtype = [...available][0] ?? 'fp32';
	}

	// Without cross-origin isolation there is no SharedArrayBuffer, so ORT can only run one thread.
	const threads = caps.crossOriginIsolated ? Math.max(1, Math.min(caps.hardwareConcurrency, 8)) : 1;
	if (device === 'wasm' && !caps.crossOriginIsolated && caps.hardwareConcurrency > 1) {
		notes.push('The page is not cross-origin isolated, so WASM runs on one thread.');
	}
	return { device, dtype, threads, notes };
}

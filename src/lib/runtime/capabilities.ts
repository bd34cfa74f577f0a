// Probes what this browser can run: the WebGPU adapter and its features and limits, cross-origin isolation
// (threads), cores and memory. Runs in the worker, once; the result feeds the pure planner in backend.ts.

import type { DeviceCapabilities, WebGpuCapabilities } from './backend';

interface NavigatorWithExtras {
	gpu?: GPU;
	hardwareConcurrency?: number;
	deviceMemory?: number;
}

async function probeWebGpu(gpu: GPU | undefined): Promise<WebGpuCapabilities | null> {
	if (!gpu) return null;
	try {
		const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
		if (!adapter) return null;
		// `info` replaced requestAdapterInfo(); older Chromium only has the method.
		const info: Partial<GPUAdapterInfo> = adapter.info ?? {};
		const fallback = (adapter as GPUAdapter & { isFallbackAdapter?: boolean }).isFallbackAdapter;
		return {
			isFallbackAdapter: Boolean(info.isFallbackAdapter ?? fallback ?? false),
			vendor: info.vendor ?? '',
			architecture: info.architecture ?? '',
			shaderF16: adapter.features.has('shader-f16'),
			maxBufferSize: adapter.limits.maxBufferSize,
			maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize
		};
	} catch {
		// requestAdapter can throw (blocklisted driver, policy) instead of returning null.
		return null;
	}
}

export async function probeCapabilities(
	nav: NavigatorWithExtras = navigator as NavigatorWithExtras,
	isolated: boolean = globalThis.crossOriginIsolated === true
): Promise<DeviceCapabilities> {
	return {
		webgpu: await probeWebGpu(nav.gpu),
		crossOriginIsolated: isolated,
		hardwareConcurrency: nav.hardwareConcurrency ?? 1,
		deviceMemoryGiB: typeof nav.deviceMemory === 'number' ? nav.deviceMemory : null
	};
}

// The inference worker: resolves models on the hubs, plans the backend, loads transformers.js pipelines,
// warms them up and runs them, so nothing heavy ever touches the page's main thread.
/// <reference lib="webworker" />

import { env, pipeline } from '@huggingface/transformers';
// ORT's runtime files ship with the app (hashed, cacheable), never from a CDN: the app must work offline.
import ortWasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url';
import ortMjsUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.mjs?url';
import { HubClient, hubBaseUrl, type ResolvedModel } from '$lib/hub/client';
import { planBackend, type BackendPlan, type DeviceCapabilities } from '$lib/runtime/backend';
import { probeCapabilities } from '$lib/runtime/capabilities';
import {
	CancelledError,
	InferenceError,
	ModelLoadError,
	ProtocolError,
	serializeError
} from '$lib/runtime/errors';
import {
	modelKey,
	type LoadedModel,
	type PageToWorker,
	type WorkerToPage,
	type LoadOptions,
	type ModelRef
} from '$lib/runtime/protocol';
import { getTask, type TaskId } from '$lib/tasks/registry';
import type { PipelineCall } from '$lib/tasks/types';

declare const self: DedicatedWorkerGlobalScope;

interface LoadedPipeline {
	info: LoadedModel;
	call: PipelineCall;
	dispose(): Promise<void>;
}

const onnx = env.backends.onnx;
if (onnx.wasm)
	onnx.wasm.wasmPaths = {
		wasm: new URL(ortWasmUrl, self.location.href).href,
		mjs: new URL(ortMjsUrl, self.location.href).href
	};
env.allowLocalModels = false;
env.remotePathTemplate = '{model}/resolve/{revision}/';

let capabilities: Promise<DeviceCapabilities> | null = null;
const loaded = new Map<string, Promise<LoadedPipeline>>();
const cancelled = new Set<string>();

function post(message: WorkerToPage): void {
	self.postMessage(message);
}

function checkCancelled(id: string): void {
	if (cancelled.has(id)) throw new CancelledError('Cancelled.');
}

async function createPipeline(
	task: TaskId,
	resolved: ResolvedModel,
	plan: BackendPlan,
	id: string
): Promise<PipelineCall & { dispose(): Promise<void> }> {
	// transformers.js reads the hub from global settings; one worker loads one model at a time, so setting
	// them just before the call is safe.
	env.remoteHost = resolved.hub;
	if (onnx.wasm) onnx.wasm.numThreads = plan.threads;
	const pipe = await pipeline(getTask(task).pipeline, resolved.model, {
		revision: resolved.commit,
		device: plan.device,
		dtype: plan.dtype,
		progress_callback: (info) => {
			if (info.status === 'progress') {
				post({
					kind: 'progress',
					id,
					file: { file: info.file, loaded: info.loaded, total: info.total, done: false }
				});
			} else if (info.status === 'done') {
				post({ kind: 'progress', id, file: { file: info.file, loaded: 0, total: 0, done: true } });
			}
		}
	});
	return pipe as unknown as PipelineCall & { dispose(): Promise<void> };
}

async function load(id: string, task: TaskId, ref: ModelRef, options: LoadOptions): Promise<LoadedModel> {
	const started = performance.now();
	post({ kind: 'phase', id, phase: 'resolving' });
	capabilities ??= probeCapabilities();
	const caps = await capabilities;
	const hubs = new HubClient(options.hubs.map((hub) => hubBaseUrl(hub, self.location.origin)));
	const resolved = await hubs.resolve(ref.model, ref.revision);
	checkCancelled(id);
	if (resolved.pipelineTag && resolved.pipelineTag !== task) {
		// Not fatal: many models serve several tasks; the page shows the note.
	}
	const plan = planBackend(caps, { device: options.device, dtype: options.dtype, files: resolved.files });
	const notes = [...plan.notes];
	const key = modelKey(resolved.hub, resolved.model, resolved.commit, plan);
	let entry = loaded.get(key);
	if (!entry) {
		entry = (async () => {
			post({ kind: 'phase', id, phase: 'downloading' });
			let activePlan = plan;
			let call: PipelineCall & { dispose(): Promise<void> };
			try {
				call = await createPipeline(task, resolved, plan, id);
			} catch (error) {
				if (plan.device !== 'webgpu') throw error;
				// WebGPU can fail where WASM works (unsupported op, lost device, no memory): fall back once, and say why.
				const reason = error instanceof Error ? error.message : String(error);
				activePlan = planBackend(caps, { device: 'wasm', files: resolved.files });
				notes.push(`WebGPU failed to load this model (${reason}); fell back to WASM.`);
				call = await createPipeline(task, resolved, activePlan, id);
			}
			post({ kind: 'phase', id, phase: 'warming-up' });
			const spec = getTask(task);
			const example = spec.examples[0];
			if (example) await spec.run(call, example);
			const info: LoadedModel = {
				key,
				task,
				model: resolved.model,
				commit: resolved.commit,
				hub: resolved.hub,
				plan: activePlan,
				loadMs: 0,
				notes
			};
			return { info, call, dispose: () => call.dispose() };
		})();
		loaded.set(key, entry);
		entry.catch(() => loaded.delete(key));
	}
	let ready: LoadedPipeline;
	try {
		ready = await entry;
	} catch (error) {
		if (error instanceof Error && error.name !== 'Error') throw error;
		throw new ModelLoadError(
			`Could not load ${ref.model}: ${error instanceof Error ? error.message : String(error)}`,
			{
				model: ref.model
			}
		);
	}
	checkCancelled(id);
	return { ...ready.info, loadMs: performance.now() - started };
}

async function run(message: Extract<PageToWorker, { kind: 'run' }>): Promise<void> {
	const entry = loaded.get(message.key);
	if (!entry) throw new ProtocolError(`No model is loaded under ${message.key}; load it first.`);
	const ready = await entry;
	const started = performance.now();
	const spec = getTask(message.task);
	let output;
	try {
		output = await spec.run(ready.call, message.input);
	} catch (error) {
		throw new InferenceError(error instanceof Error ? error.message : String(error), {
			model: ready.info.model
		});
	}
	checkCancelled(message.id);
	post({
		kind: 'result',
		id: message.id,
		task: message.task,
		output,
		inferenceMs: performance.now() - started
	});
}

async function handle(message: PageToWorker): Promise<void> {
	switch (message.kind) {
		case 'probe':
			capabilities ??= probeCapabilities();
			post({ kind: 'capabilities', id: message.id, capabilities: await capabilities });
			return;
		case 'load':
			post({
				kind: 'loaded',
				id: message.id,
				model: await load(message.id, message.task, message.ref, message.options)
			});
			return;
		case 'run':
			return run(message);
		case 'cancel':
			cancelled.add(message.target);
			return;
		case 'dispose': {
			const entry = loaded.get(message.key);
			loaded.delete(message.key);
			if (entry) await (await entry).dispose();
			post({ kind: 'disposed', id: message.id });
			return;
		}
	}
}

self.addEventListener('message', (event: MessageEvent<PageToWorker>) => {
	const message = event.data;
	handle(message)
		.catch((error: unknown) => post({ kind: 'error', id: message.id, error: serializeError(error) }))
		.finally(() => cancelled.delete(message.id));
});

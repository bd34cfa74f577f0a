// The inference worker: plans and downloads models into the on-device store, loads transformers.js pipelines
// from it, warms them up and runs them, and answers the models page's store requests, so nothing heavy
// ever touches the page's main thread.
/// <reference lib="webworker" />

import { env, pipeline } from '@huggingface/transformers';
// ORT's runtime files ship with the app (hashed, cacheable), never from a CDN: the app must work offline.
import ortWasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url';
import ortMjsUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.mjs?url';
import { HubClient } from '$lib/hub/client';
import { planBackend, type DeviceCapabilities } from '$lib/runtime/backend';
import { probeCapabilities } from '$lib/runtime/capabilities';
import {
	CancelledError,
	InferenceError,
	ModelLoadError,
	ProtocolError,
	serializeError
} from '$lib/runtime/errors';
import { ModelSource, type ResolvedPlan } from '$lib/runtime/model-source';
import { modelKey, type LoadedModel, type PageToWorker, type WorkerToPage } from '$lib/runtime/protocol';
import { StoreBridge } from '$lib/runtime/store-bridge';
import { ModelStore } from '$lib/store/model-store';
import { getTask, type TaskId } from '$lib/tasks/registry';
import type { PipelineCall } from '$lib/tasks/types';

declare const self: DedicatedWorkerGlobalScope;

interface LoadedPipeline {
	info: LoadedModel;
	call: PipelineCall & { dispose(): Promise<void> };
}

const onnx = env.backends.onnx;
if (onnx.wasm) {
	onnx.wasm.wasmPaths = {
		wasm: new URL(ortWasmUrl, self.location.href).href,
		mjs: new URL(ortMjsUrl, self.location.href).href
	};
}
env.allowLocalModels = false;
env.useBrowserCache = false;
env.useWasmCache = false;
env.remotePathTemplate = '{model}/resolve/{revision}/';

const store = ModelStore.open();
const bridge = store.then((opened) => {
	const created = new StoreBridge(opened);
	env.useCustomCache = true;
	env.customCache = created.cache;
	env.fetch = created.fetch;
	return created;
});
let capabilities: Promise<DeviceCapabilities> | null = null;
const loaded = new Map<string, Promise<LoadedPipeline>>();
const controllers = new Map<string, AbortController>();

function post(message: WorkerToPage): void {
	self.postMessage(message);
}

function caps(): Promise<DeviceCapabilities> {
	capabilities ??= probeCapabilities();
	return capabilities;
}

async function createPipeline(task: TaskId, plan: ResolvedPlan, backend: ResolvedPlan['backend']) {
	// transformers.js reads the hub from global settings; loads are serialised per worker, so this is safe.
	env.remoteHost = plan.hub;
	if (onnx.wasm) onnx.wasm.numThreads = backend.threads;
	const pipe = await pipeline(getTask(task).pipeline, plan.model, {
		revision: plan.commit,
		device: backend.device,
		dtype: backend.dtype
	});
	return pipe as unknown as PipelineCall & { dispose(): Promise<void> };
}

async function makePlan(
	message: Extract<PageToWorker, { kind: 'plan' | 'load' }>,
	signal: AbortSignal
): Promise<ResolvedPlan> {
	const source = new ModelSource(await store, self.location.origin);
	return source.plan(message.task, message.ref, message.options, await caps(), signal);
}

async function load(
	message: Extract<PageToWorker, { kind: 'load' }>,
	signal: AbortSignal
): Promise<LoadedModel> {
	const started = performance.now();
	const { id, task } = message;
	post({ kind: 'phase', id, phase: 'resolving' });
	const plan = await makePlan(message, signal);
	const key = modelKey(plan.hub, plan.model, plan.commit, plan.backend);
	let entry = loaded.get(key);
	if (!entry) {
		entry = (async () => {
			if (plan.missingBytes > 0) post({ kind: 'phase', id, phase: 'downloading' });
			const source = new ModelSource(await store, self.location.origin);
			await source.download(plan, (file) => post({ kind: 'progress', id, file }), signal);
			(await bridge).register({ hub: plan.hub, repo: plan.model, commit: plan.commit, known: plan.known });
			post({ kind: 'phase', id, phase: 'loading' });
			const notes = [...plan.backend.notes];
			let backend = plan.backend;
			let call;
			try {
				call = await createPipeline(task, plan, backend);
			} catch (error) {
				if (backend.device !== 'webgpu') throw error;
				// WebGPU can fail where WASM works (unsupported op, lost device, no memory): fall back once, and say why.
				const reason = error instanceof Error ? error.message : String(error);
				backend = planBackend(await caps(), {
					device: 'wasm',
					dtype: backend.dtype,
					files: plan.remote.map((f) => f.path)
				});
				notes.push(`WebGPU failed to load this model (${reason}); fell back to WASM.`);
				call = await createPipeline(task, plan, backend);
			}
			post({ kind: 'phase', id, phase: 'warming-up' });
			const spec = getTask(task);
			const example = spec.examples[0];
			if (example) await spec.run(call, example);
			const info: LoadedModel = {
				key,
				task,
				model: plan.model,
				commit: plan.commit,
				hub: plan.hub,
				plan: backend,
				loadMs: 0,
				notes
			};
			return { info, call };
		})();
		loaded.set(key, entry);
		entry.catch(() => loaded.delete(key));
	}
	let ready: LoadedPipeline;
	try {
		ready = await entry;
	} catch (error) {
		if (error instanceof Error && error.name !== 'Error') throw error;
		const reason = error instanceof Error ? error.message : String(error);
		throw new ModelLoadError(`Could not load ${message.ref.model}: ${reason}`, { model: message.ref.model });
	}
	if (signal.aborted) throw new CancelledError('Cancelled.');
	return { ...ready.info, loadMs: performance.now() - started };
}

async function run(message: Extract<PageToWorker, { kind: 'run' }>, signal: AbortSignal): Promise<void> {
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
	if (signal.aborted) throw new CancelledError('Cancelled.');
	post({
		kind: 'result',
		id: message.id,
		task: message.task,
		output,
		inferenceMs: performance.now() - started
	});
}

async function handle(message: PageToWorker, signal: AbortSignal): Promise<void> {
	switch (message.kind) {
		case 'probe':
			post({ kind: 'capabilities', id: message.id, capabilities: await caps() });
			return;
		case 'plan': {
			const { remote: _remote, known: _known, ...plan } = await makePlan(message, signal);
			post({ kind: 'planned', id: message.id, plan });
			return;
		}
		case 'load':
			post({ kind: 'loaded', id: message.id, model: await load(message, signal) });
			return;
		case 'run':
			return run(message, signal);
		case 'cancel':
			controllers.get(message.target)?.abort(new CancelledError('Cancelled.'));
			return;
		case 'dispose': {
			const entry = loaded.get(message.key);
			loaded.delete(message.key);
			if (entry) await (await entry).call.dispose();
			post({ kind: 'disposed', id: message.id });
			return;
		}
		case 'store-list': {
			const opened = await store;
			post({
				kind: 'store-listing',
				id: message.id,
				models: await opened.listModels(),
				backend: opened.backend
			});
			return;
		}
		case 'store-delete': {
			const opened = await store;
			// A model being deleted must not stay loaded from bytes that are gone.
			for (const [key, entry] of loaded) {
				const info = (await entry.catch(() => null))?.info;
				if (
					!info ||
					message.model === 'all' ||
					(info.hub === message.model.hub &&
						info.model === message.model.repo &&
						info.commit === message.model.commit)
				) {
					loaded.delete(key);
					await entry.then((ready) => ready.call.dispose()).catch(() => undefined);
				}
			}
			if (message.model === 'all') await opened.deleteAll();
			else await opened.deleteModel(message.model.hub, message.model.repo, message.model.commit);
			post({ kind: 'store-done', id: message.id });
			return;
		}
		case 'store-verify': {
			const opened = await store;
			const model = (await opened.listModels()).find(
				(item) =>
					item.hub === message.model.hub &&
					item.repo === message.model.repo &&
					item.commit === message.model.commit
			);
			const files = [];
			for (const file of model?.files ?? []) {
				files.push({ path: file.path, ok: await opened.verify({ ...message.model, path: file.path }) });
			}
			post({ kind: 'store-verified', id: message.id, files });
			return;
		}
		case 'store-check-update': {
			const resolved = await new HubClient([message.model.hub]).resolve(
				message.model.repo,
				message.revision,
				signal
			);
			// The next load of this revision must use the new commit, not the one remembered for offline use.
			await (
				await store
			).rememberRef(message.model.hub, message.model.repo, message.revision, resolved.commit);
			post({ kind: 'store-update', id: message.id, current: message.model.commit, latest: resolved.commit });
			return;
		}
	}
}

self.addEventListener('message', (event: MessageEvent<PageToWorker>) => {
	const message = event.data;
	const controller = new AbortController();
	controllers.set(message.id, controller);
	handle(message, controller.signal)
		.catch((error: unknown) => {
			const reason = controller.signal.aborted ? controller.signal.reason : error;
			post({ kind: 'error', id: message.id, error: serializeError(reason) });
		})
		.finally(() => controllers.delete(message.id));
});

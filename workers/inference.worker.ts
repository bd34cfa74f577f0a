// The inference worker. The page's pool starts one per loaded model (its ModelHost downloads into the store,
// loads, warms up and runs it) and one more for planning and the store's housekeeping, so nothing heavy
// ever touches the page's main thread and terminating a worker gives all of a model's memory back.
/// <reference lib="webworker" />

import * as transformers from '@huggingface/transformers';
// The very module transformers.js imports, so a task's own sessions share its environment and WASM.
import * as ort from 'onnxruntime-web/webgpu';
import { HubClient } from '$lib/hub/client';
import type { DeviceCapabilities } from '$lib/runtime/backend';
import { probeCapabilities } from '$lib/runtime/capabilities';
import { CancelledError, ModelLoadError, ProtocolError, serializeError } from '$lib/runtime/errors';
import { ModelHost, type PipelineFactory } from '$lib/runtime/model-host';
import { ModelSource } from '$lib/runtime/model-source';
import { isOnnxPipeline, openOnnxModel } from '$lib/runtime/onnx-model';
import type { LoadedModel, PageToWorker, WorkerToPage } from '$lib/runtime/protocol';
import { StoreBridge } from '$lib/runtime/store-bridge';
import { transferablesOf } from '$lib/runtime/transfer';
import { ModelStore } from '$lib/store/model-store';
import { getTask } from '$lib/tasks/registry';

declare const self: DedicatedWorkerGlobalScope;

const { env } = transformers;
const onnx = env.backends.onnx;
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
const hosts = new Map<string, Promise<ModelHost>>();
const controllers = new Map<string, AbortController>();

function post(message: WorkerToPage): void {
	self.postMessage(message, transferablesOf(message));
}

function caps(): Promise<DeviceCapabilities> {
	capabilities ??= probeCapabilities();
	return capabilities;
}

const createPipeline: PipelineFactory = async (plan, backend) => {
	// transformers.js reads the hub from global settings; one worker serves one model, so this is safe.
	env.remoteHost = plan.hub;
	// Threads are fixed when ORT's WASM starts; one model per worker means its plan decides.
	if (onnx.wasm) onnx.wasm.numThreads = backend.threads;
	const pipeline = getTask(plan.task).pipeline;
	if (isOnnxPipeline(pipeline)) {
		// A task's own pipeline: the same ORT module (and so the same env) as transformers.js, bytes from the store.
		const opened = await store;
		const model = openOnnxModel({
			files: plan.remote.map((file) => file.path),
			backend,
			ort,
			read: (path) => opened.readBytes({ hub: plan.hub, repo: plan.model, commit: plan.commit, path })
		});
		try {
			return (await pipeline.load(model)) as unknown as Awaited<ReturnType<PipelineFactory>>;
		} catch (error) {
			await model.release();
			throw error;
		}
	}
	const pipe = await transformers.pipeline(pipeline, plan.model, {
		revision: plan.commit,
		device: backend.device,
		dtype: backend.dtype
	});
	return pipe as unknown as Awaited<ReturnType<PipelineFactory>>;
};

async function load(
	message: Extract<PageToWorker, { kind: 'load' }>,
	signal: AbortSignal
): Promise<LoadedModel> {
	const { id, plan } = message;
	const started = performance.now();
	let entry = hosts.get(plan.key);
	let downloadMs = 0;
	let session = { sessionMs: 0, warmupMs: 0 };
	if (!entry) {
		entry = (async () => {
			if (plan.missingBytes > 0) post({ kind: 'phase', id, phase: 'downloading' });
			const source = new ModelSource(await store, self.location.origin);
			await source.download(plan, (file) => post({ kind: 'progress', id, file }), signal);
			downloadMs = performance.now() - started;
			(await bridge).register({
				hub: plan.hub,
				repo: plan.model,
				commit: plan.commit,
				known: new Set(plan.known)
			});
			post({ kind: 'phase', id, phase: 'loading' });
			const host = new ModelHost(plan, await caps(), transformers, createPipeline);
			session = await host.load();
			return host;
		})();
		hosts.set(plan.key, entry);
		entry.catch(() => hosts.delete(plan.key));
	}
	let host: ModelHost;
	try {
		host = await entry;
	} catch (error) {
		// Named errors (download, integrity, storage) say what happened; the library's plain ones get context.
		if (error instanceof Error && error.name !== 'Error') throw error;
		const reason = error instanceof Error ? error.message : String(error);
		throw new ModelLoadError(`Could not load ${plan.model}: ${reason}`, { model: plan.model });
	}
	if (signal.aborted) throw new CancelledError('Cancelled.');
	const totalMs = performance.now() - started;
	return {
		key: plan.key,
		task: plan.task,
		model: plan.model,
		commit: plan.commit,
		hub: plan.hub,
		plan: host.backend,
		loadMs: totalMs,
		timings: { downloadMs, sessionMs: session.sessionMs, warmupMs: session.warmupMs, totalMs },
		notes: [...host.notes]
	};
}

async function run(message: Extract<PageToWorker, { kind: 'run' }>, signal: AbortSignal): Promise<void> {
	const entry = hosts.get(message.key);
	if (!entry) throw new ProtocolError(`No model is loaded under ${message.key}; load it first.`);
	const host = await entry;
	const outcome = await host.run({
		id: message.id,
		task: message.task,
		input: message.input,
		signal,
		emit: (partial) => post({ kind: 'partial', id: message.id, task: message.task, partial } as WorkerToPage)
	});
	post({ kind: 'result', id: message.id, task: message.task, ...outcome } as WorkerToPage);
}

async function handle(message: PageToWorker, signal: AbortSignal): Promise<void> {
	switch (message.kind) {
		case 'init':
			// ORT's files come with the app (precached by the service worker), never from transformers.js' CDN.
			if (onnx.wasm) onnx.wasm.wasmPaths = { ...message.ortFiles };
			return;
		case 'probe':
			post({ kind: 'capabilities', id: message.id, capabilities: await caps() });
			return;
		case 'plan': {
			const source = new ModelSource(await store, self.location.origin);
			post({
				kind: 'planned',
				id: message.id,
				plan: await source.plan(message.task, message.ref, message.options, await caps(), signal)
			});
			return;
		}
		case 'load':
			post({ kind: 'loaded', id: message.id, model: await load(message, signal) });
			return;
		case 'run':
			return run(message, signal);
		case 'echo':
			post({ kind: 'echoed', id: message.id, payload: message.payload });
			return;
		case 'cancel': {
			controllers.get(message.target)?.abort(new CancelledError('Cancelled.'));
			for (const entry of hosts.values())
				void entry.then((host) => host.dequeue(message.target)).catch(() => undefined);
			return;
		}
		case 'dispose': {
			const entry = hosts.get(message.key);
			hosts.delete(message.key);
			if (entry) await (await entry).dispose();
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
			if (message.model === 'all') await opened.deleteAll();
			else await opened.deleteModel(message.model.hub, message.model.repo, message.model.commit);
			post({ kind: 'store-done', id: message.id });
			return;
		}
		case 'store-verify': {
			const opened = await store;
			const { hub, repo, commit } = message.model;
			const model = (await opened.listModels()).find(
				(item) => item.hub === hub && item.repo === repo && item.commit === commit
			);
			const files = [];
			for (const file of model?.files ?? [])
				files.push({ path: file.path, ok: await opened.verify({ hub, repo, commit, path: file.path }) });
			post({ kind: 'store-verified', id: message.id, files });
			return;
		}
		case 'store-local': {
			const source = new ModelSource(await store, self.location.origin);
			post({ kind: 'stored-local', id: message.id, ref: await source.storeLocal(message.bytes, 'onnx') });
			return;
		}
		case 'store-check-update': {
			const { hub, repo } = message.model;
			const resolved = await new HubClient([hub]).resolve(repo, message.revision, signal);
			// The next load of this revision must use the new commit, not the one remembered for offline use.
			await (await store).rememberRef(hub, repo, message.revision, resolved.commit);
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

// The bench worker: does one measured thing per call (download into the store, read it back, or load the
// big model through one source) the way the app's inference worker does it, and reports worker-side times.
// The page starts a fresh one for every load, so each load starts from the same state: an empty WASM heap.
/// <reference lib="webworker" />

import { env, pipeline } from '@huggingface/transformers';
import { InferenceSession } from 'onnxruntime-web/webgpu';
// The app's own copy of ORT's runtime, as workers/inference.worker.ts uses it: never a CDN.
import ortWasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url';
import ortMjsUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.mjs?url';
import { HubClient } from '$lib/hub/client';
import { serializeError } from '$lib/runtime/errors';
import { StoreBridge } from '$lib/runtime/store-bridge';
import { ModelStore } from '$lib/store/model-store';
import type { ByteBackend, FileRef } from '$lib/store/types';
import {
	STORE_NAMES,
	type BenchKind,
	type BenchModel,
	type BenchReplyOf,
	type LoadSource,
	type BenchRequestOf,
	type WorkerReply,
	type WorkerRequest
} from './protocol';

declare const self: DedicatedWorkerGlobalScope;

const onnx = env.backends.onnx;
if (onnx.wasm) {
	onnx.wasm.wasmPaths = {
		wasm: new URL(ortWasmUrl, self.location.href).href,
		mjs: new URL(ortMjsUrl, self.location.href).href
	};
}
env.allowLocalModels = false;
// Both sources get ORT's wasm the same way (from the page's server), so only model files differ between them.
env.useWasmCache = false;
env.remotePathTemplate = '{model}/resolve/{revision}/';

const stores = new Map<ByteBackend, Promise<ModelStore>>();
/** The model the next load reads and where from; set once per worker by `prepare`. */
let prepared: { model: BenchModel; source: LoadSource } | null = null;
let loadedOnce = false;
/** Every URL transformers.js sent to the network, counted here because the HTTP cache hides some from the hub. */
const fetched: string[] = [];

const networkFetch: typeof fetch = (input, init) => {
	fetched.push(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
	return fetch(input, init);
};

function storeOf(backend: ByteBackend): Promise<ModelStore> {
	let store = stores.get(backend);
	if (!store) {
		store = ModelStore.open({ dbName: STORE_NAMES[backend], backend });
		stores.set(backend, store);
	}
	return store;
}

function refOf(model: BenchModel, path: string): FileRef {
	return { hub: model.hub, repo: model.repo, commit: model.commit, path };
}

/**
 * A Response over bytes the worker already holds whose arrayBuffer() hands them over without a copy: what a
 * load costs once storage is out of the way (only ORT's own copy into its heap is left), the floor for A and B.
 * transformers.js reads a cached file with arrayBuffer() alone when no progress callback is given.
 */
class HeldResponse extends Response {
	readonly #buffer: ArrayBuffer;

	constructor(buffer: ArrayBuffer) {
		super(null, { headers: { 'Content-Length': String(buffer.byteLength) } });
		this.#buffer = buffer;
	}

	override async arrayBuffer(): Promise<ArrayBuffer> {
		return this.#buffer;
	}
}

/** A Cache-like object over the model's files, read into memory from the store before the timed load. */
async function memoryCache(store: ModelStore, model: BenchModel) {
	const held = new Map<string, ArrayBuffer>();
	for (const file of model.files) {
		const bytes = await store.readBytes(refOf(model, file.path));
		// readBytes allocates an exact-size buffer, so the whole buffer is the file.
		if (!(bytes.buffer instanceof ArrayBuffer) || bytes.byteLength !== bytes.buffer.byteLength) {
			throw new Error('readBytes returned a view into a larger or shared buffer.');
		}
		// transformers.js 4.3.1 asks for some files under `main` (see StoreBridge.register).
		for (const revision of [model.commit, 'main']) {
			held.set(`${StoreBridge.prefix(model.hub, model.repo, revision)}${file.path}`, bytes.buffer);
		}
	}
	return {
		match: async (request: string | Request): Promise<Response | undefined> => {
			const buffer = held.get(typeof request === 'string' ? request : request.url);
			return buffer && new HeldResponse(buffer);
		},
		put: async (): Promise<void> => {}
	};
}

/** Reads a body to its end block by block, as transformers.js' readResponse does, and counts the bytes. */
async function streamedBytes(response: Response): Promise<number> {
	const reader = response.body?.getReader();
	if (!reader) throw new Error('The response has no body.');
	let bytes = 0;
	for (let block = await reader.read(); !block.done; block = await reader.read())
		bytes += block.value.byteLength;
	return bytes;
}

function dot(a: readonly number[] | undefined, b: readonly number[] | undefined): number {
	if (!a || !b || a.length !== b.length) throw new Error('The pipeline returned rows of different sizes.');
	return a.reduce((sum, value, i) => sum + value * (b[i] ?? 0), 0);
}

type Handlers = { [K in BenchKind]: (request: BenchRequestOf<K>) => Promise<BenchReplyOf<K>> };

const handlers: Handlers = {
	async resolve({ hub, repo }) {
		const client = new HubClient([hub]);
		const resolved = await client.resolve(repo, 'main');
		const files = await client.listFiles(resolved.hub, repo, resolved.commit);
		return { hub: resolved.hub, repo, commit: resolved.commit, files };
	},

	async download({ model, backend, paths, fresh }) {
		const store = await storeOf(backend);
		if (fresh) {
			await store.deleteModel(model.hub, model.repo, model.commit);
			await store.recordModel(model.hub, model.repo, model.commit, {
				task: 'feature-extraction',
				files: model.files
			});
		}
		const remotes = paths.map((path) => {
			const remote = model.files.find((file) => file.path === path);
			if (!remote) throw new Error(`${path} is not a file of ${model.repo}.`);
			return remote;
		});
		const started = performance.now();
		for (const remote of remotes) await store.download(refOf(model, remote.path), remote);
		return { ms: performance.now() - started, bytes: remotes.reduce((sum, file) => sum + file.size, 0) };
	},

	async fetch({ url, reader, bufferSize }) {
		const started = performance.now();
		// no-store, as the store's downloads: neither may be answered from the HTTP cache.
		const response = await fetch(url, { cache: 'no-store' });
		if (!response.ok || !response.body) throw new Error(`${url} answered HTTP ${response.status}.`);
		let bytes = 0;
		if (reader === 'byob') {
			const byob = response.body.getReader({ mode: 'byob' });
			let buffer = new ArrayBuffer(bufferSize);
			for (;;) {
				const { done, value } = await byob.read(new Uint8Array(buffer));
				if (done || !value) break;
				bytes += value.byteLength;
				// The read hands the (transferred) buffer back: reuse it, so nothing is left for the GC.
				buffer = value.buffer;
			}
		} else {
			const chunks = response.body.getReader();
			for (let chunk = await chunks.read(); !chunk.done; chunk = await chunks.read())
				bytes += chunk.value.byteLength;
		}
		return { ms: performance.now() - started, bytes };
	},

	async prepare({ model, source, threads, warmupModelUrl }) {
		if (prepared) throw new Error('This worker is already prepared: restart it for another source.');
		const started = performance.now();
		env.remoteHost = model.hub;
		if (onnx.wasm) onnx.wasm.numThreads = threads;
		if (source === 'cache-api') {
			env.useCustomCache = false;
			env.useBrowserCache = true;
			env.fetch = networkFetch;
		} else {
			// Opening the store happens once when the app's worker starts, not per load, so it is not timed either.
			const store = await storeOf('opfs');
			const bridge = new StoreBridge(store, networkFetch);
			bridge.register({
				hub: model.hub,
				repo: model.repo,
				commit: model.commit,
				known: new Set(model.files.map((file) => file.path))
			});
			env.useBrowserCache = false;
			env.useCustomCache = true;
			env.customCache = source === 'memory' ? await memoryCache(store, model) : bridge.cache;
			env.fetch = bridge.fetch;
		}
		// Starting ORT (compiling its 27 MB wasm, spawning its threads) is the same for every source and the app
		// does it once per worker; a tiny session gets it out of the way before the timed load.
		const warmup = await fetch(warmupModelUrl);
		if (!warmup.ok) throw new Error(`${warmupModelUrl} answered HTTP ${warmup.status}.`);
		const session = await InferenceSession.create(new Uint8Array(await warmup.arrayBuffer()), {
			executionProviders: ['wasm']
		});
		await session.release();
		prepared = { model, source };
		return {
			ms: performance.now() - started,
			threads: onnx.wasm?.numThreads ?? 1,
			crossOriginIsolated: self.crossOriginIsolated
		};
	},

	async load({ check }) {
		if (!prepared) throw new Error('Call prepare before load.');
		// A second load in one worker would hit transformers.js' in-memory caches, which no source has after a restart.
		if (loadedOnce) throw new Error('This worker already loaded once: restart it.');
		loadedOnce = true;
		const fetchedBefore = fetched.length;
		const started = performance.now();
		const extractor = await pipeline('feature-extraction', prepared.model.repo, {
			revision: prepared.model.commit,
			dtype: 'fp32',
			device: 'wasm',
			// With a callback transformers.js reads every file's body as a stream (hub.js, readResponse).
			...(prepared.source === 'store-streamed' ? { progress_callback: () => undefined } : {})
		});
		const ms = performance.now() - started;
		try {
			const output = await extractor([check.anchor, check.similar, check.unrelated], {
				pooling: 'mean',
				normalize: true
			});
			const rows = output.tolist() as number[][];
			return {
				ms,
				dim: output.dims[1] ?? 0,
				similar: dot(rows[0], rows[1]),
				unrelated: dot(rows[0], rows[2]),
				fetches: fetched.slice(fetchedBefore)
			};
		} finally {
			await extractor.dispose();
		}
	},

	async read({ model, target, path }) {
		if (target.kind === 'cache-api') {
			const cache = await caches.open(env.cacheKey);
			const key = (await cache.keys()).find(
				(request) => request.url.includes(model.commit) && request.url.endsWith(`/${path}`)
			);
			if (!key) throw new Error(`The Cache API holds no ${path} of ${model.repo}.`);
			const started = performance.now();
			const response = await cache.match(key);
			const bytes = (await response?.arrayBuffer())?.byteLength ?? 0;
			return { ms: performance.now() - started, bytes };
		}
		const store = await storeOf(target.backend);
		const ref = refOf(model, path);
		const started = performance.now();
		const bytes =
			target.method === 'readBytes'
				? (await store.readBytes(ref)).byteLength
				: target.method === 'read'
					? (await (await store.read(ref)).arrayBuffer()).byteLength
					: await streamedBytes(await store.read(ref));
		return { ms: performance.now() - started, bytes };
	}
};

function handle<K extends BenchKind>(message: WorkerRequest<K>): Promise<BenchReplyOf<K>> {
	const handler: Handlers[K] = handlers[message.kind];
	return handler(message.request);
}

self.addEventListener('message', (event: MessageEvent<WorkerRequest>) => {
	const { id } = event.data;
	const post = (reply: WorkerReply): void => self.postMessage(reply);
	handle(event.data).then(
		(reply) => post({ id, ok: true, reply }),
		(error: unknown) => post({ id, ok: false, error: serializeError(error) })
	);
});

// The runtime bench page: the app's own WorkerPool (page side of the worker protocol) with
// workers/inference.worker.ts, as the app's task pages use them minus Svelte rendering, next to bare ONNX
// Runtime and transformers.js workers. It times each call page-side, from the request to the reply.

import { deserializeError } from '$lib/runtime/errors';
import { ORT_FILES } from '$lib/runtime/ort-files';
import { WorkerPool } from '$lib/runtime/pool.svelte';
import type { LoadedModel } from '$lib/runtime/protocol';
import type {
	BareReply,
	BareRequest,
	BareRuntime,
	CallTiming,
	LabelScore,
	RuntimePageApi,
	RuntimePath,
	RuntimeReady,
	RuntimeSetup,
	RuntimeWindow
} from './protocol';

/** One bare worker, one request at a time (the driver never overlaps calls). */
class BareWorker {
	readonly #worker: Worker;

	constructor(worker: Worker) {
		this.#worker = worker;
	}

	call(request: BareRequest): Promise<Extract<BareReply, { ok: true }>> {
		return new Promise((resolve, reject) => {
			this.#worker.onmessage = (event: MessageEvent<BareReply>) => {
				const reply = event.data;
				if (reply.ok) resolve(reply);
				else reject(deserializeError(reply.error));
			};
			this.#worker.onerror = (event) => reject(new Error(`Bare worker error: ${event.message}`));
			this.#worker.postMessage(request);
		});
	}
}

function ortWorker(): BareWorker {
	return new BareWorker(new Worker(new URL('./ort.worker.ts', import.meta.url), { type: 'module' }));
}

function logitsOf(reply: Extract<BareReply, { ok: true }>): number[] {
	if (!('logits' in reply)) throw new Error('The bare ONNX Runtime worker returned no logits.');
	return reply.logits;
}

function labelsOf(value: unknown): LabelScore[] {
	if (!Array.isArray(value)) throw new Error(`Expected labels, got ${JSON.stringify(value)}.`);
	return value as LabelScore[];
}

interface Prepared {
	setup: RuntimeSetup;
	heavy: LoadedModel;
	tiny: LoadedModel;
	ortAll: BareWorker;
	ortOne: BareWorker;
	pipeline: BareWorker;
}

class RuntimeBenchPage implements RuntimePageApi {
	readonly #pool = new WorkerPool(
		() =>
			new Worker(new URL('../../../workers/inference.worker.ts', import.meta.url), {
				type: 'module',
				name: 'browserve-inference'
			}),
		{
			maxModels: 3,
			ortFiles: {
				wasm: new URL(ORT_FILES.wasm, location.href).href,
				mjs: new URL(ORT_FILES.mjs, location.href).href
			}
		}
	);
	#prepared: Prepared | null = null;

	async #load(repo: string, hub: string): Promise<LoadedModel> {
		const plan = await this.#pool.plan(
			'text-classification',
			{ model: repo, revision: 'main' },
			{ device: 'wasm', hubs: [hub] }
		).done;
		return this.#pool.load(plan).done;
	}

	async #appRun(model: LoadedModel, text: string): Promise<{ labels: LabelScore[]; workerMs: number }> {
		const result = await this.#pool.run('text-classification', model.key, { text, topK: 0 }).done;
		return { labels: labelsOf(result.output), workerMs: result.inferenceMs };
	}

	async setup(setup: RuntimeSetup): Promise<RuntimeReady> {
		if (this.#prepared) throw new Error('The page is set up already: reload it to start again.');
		const heavy = await this.#load(setup.heavy.repo, setup.hub);
		const tiny = await this.#load(setup.tiny.repo, setup.hub);
		const threads = heavy.plan.threads;
		const runtime = (count: number): BareRuntime => ({
			wasm: new URL(ORT_FILES.wasm, location.href).href,
			mjs: new URL(ORT_FILES.mjs, location.href).href,
			threads: count
		});
		const modelUrl = `${setup.hub}${setup.heavy.repo}/resolve/main/onnx/model.onnx`;
		const ortAll = ortWorker();
		const ortOne = ortWorker();
		const pipeline = new BareWorker(
			new Worker(new URL('./pipeline.worker.ts', import.meta.url), { type: 'module' })
		);
		const all = await ortAll.call({
			kind: 'init-ort',
			runtime: runtime(threads),
			modelUrl,
			inputIds: setup.heavy.inputIds
		});
		const one = await ortOne.call({
			kind: 'init-ort',
			runtime: runtime(1),
			modelUrl,
			inputIds: setup.heavy.inputIds
		});
		await pipeline.call({
			kind: 'init-pipeline',
			runtime: runtime(tiny.plan.threads),
			hub: setup.hub,
			repo: setup.tiny.repo,
			dtype: tiny.plan.dtype
		});
		this.#prepared = { setup, heavy, tiny, ortAll, ortOne, pipeline };
		const pipelineReply = await pipeline.call({ kind: 'run', text: setup.tiny.text });
		return {
			crossOriginIsolated: globalThis.crossOriginIsolated,
			hardwareConcurrency: navigator.hardwareConcurrency,
			threads,
			heavy: {
				device: heavy.plan.device,
				dtype: heavy.plan.dtype,
				labels: (await this.#appRun(heavy, setup.heavy.text)).labels
			},
			tiny: {
				device: tiny.plan.device,
				dtype: tiny.plan.dtype,
				labels: (await this.#appRun(tiny, setup.tiny.text)).labels
			},
			ortLogits: { all: logitsOf(all), one: logitsOf(one) },
			pipelineLabels: labelsOf('labels' in pipelineReply ? pipelineReply.labels : null)
		};
	}

	async #once(path: RuntimePath): Promise<number> {
		const prepared = this.#prepared;
		if (!prepared) throw new Error('Call setup first.');
		const { setup } = prepared;
		switch (path) {
			case 'app-heavy':
				return (await this.#appRun(prepared.heavy, setup.heavy.text)).workerMs;
			case 'app-tiny':
				return (await this.#appRun(prepared.tiny, setup.tiny.text)).workerMs;
			case 'ort-all':
				return (await prepared.ortAll.call({ kind: 'run', text: setup.heavy.text })).workerMs;
			case 'ort-one':
				return (await prepared.ortOne.call({ kind: 'run', text: setup.heavy.text })).workerMs;
			case 'pipeline-tiny':
				return (await prepared.pipeline.call({ kind: 'run', text: setup.tiny.text })).workerMs;
		}
	}

	async measure(path: RuntimePath, calls: number): Promise<CallTiming[]> {
		const timings: CallTiming[] = [];
		for (let call = 0; call < calls; call++) {
			const started = performance.now();
			const workerMs = await this.#once(path);
			timings.push({ ms: performance.now() - started, workerMs });
		}
		return timings;
	}
}

const api: RuntimeWindow = { browserveRuntimeBench: new RuntimeBenchPage() };
Object.assign(window, api);

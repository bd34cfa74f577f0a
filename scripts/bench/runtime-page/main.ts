// The runtime bench page: the app's own WorkerPool (page side of the worker protocol) with
// workers/inference.worker.ts, as the app's task pages use them minus Svelte rendering, next to bare ONNX
// Runtime and transformers.js workers. It times each call page-side, from the request to the reply.

import { deserializeError } from '$lib/runtime/errors';
import { ORT_FILES } from '$lib/runtime/ort-files';
import { WorkerPool } from '$lib/runtime/pool.svelte';
import type { DeviceRequest } from '$lib/runtime/backend';
import type { LoadedModel } from '$lib/runtime/protocol';
import type { TaskId } from '$lib/tasks/registry';
import { voiceActivityDetection, type VoiceActivityInput } from '$lib/tasks/voice-activity-detection';
import { MainThreadBench } from './main-thread';
import type { BareProgram } from './programs';
import type {
	BareReply,
	BareRequest,
	BareRuntime,
	CallTiming,
	LabelScore,
	MainThreadPhase,
	MainThreadSide,
	RuntimePageApi,
	RuntimePath,
	RuntimeReady,
	RuntimeSetup,
	RuntimeWindow,
	WebGpuSetup
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

function valuesOf(reply: Extract<BareReply, { ok: true }>): number[] {
	if (!('values' in reply)) throw new Error('The bare ONNX Runtime worker returned no values.');
	return reply.values;
}

function labelsOf(value: unknown): LabelScore[] {
	if (!Array.isArray(value)) throw new Error(`Expected labels, got ${JSON.stringify(value)}.`);
	return value as LabelScore[];
}

function runtime(threads: number): BareRuntime {
	return {
		wasm: new URL(ORT_FILES.wasm, location.href).href,
		mjs: new URL(ORT_FILES.mjs, location.href).href,
		threads
	};
}

/** A bare onnxruntime-web worker with `program` ready on the file at `modelUrl`; returns it and its first answer. */
async function ortWorker(modelUrl: string, threads: number, program: BareProgram) {
	const worker = new BareWorker(new Worker(new URL('./ort.worker.ts', import.meta.url), { type: 'module' }));
	const first = await worker.call({ kind: 'init-ort', runtime: runtime(threads), modelUrl, program });
	return { worker, values: valuesOf(first) };
}

interface Prepared {
	setup: RuntimeSetup;
	heavy: LoadedModel;
	tiny: LoadedModel;
	vad: LoadedModel;
	gpu: LoadedModel | null;
	gpuText: string;
	bare: Record<'ortAll' | 'ortOne' | 'pipeline' | 'ortVad' | 'ortOcrAll' | 'ortOcrOne', BareWorker>;
}

class RuntimeBenchPage implements RuntimePageApi {
	readonly #pool = new WorkerPool(
		() =>
			new Worker(new URL('../../../workers/inference.worker.ts', import.meta.url), {
				type: 'module',
				name: 'browserve-inference'
			}),
		{
			// Every model the bench loads stays loaded: no path may pay for a reload.
			maxModels: 8,
			ortFiles: {
				wasm: new URL(ORT_FILES.wasm, location.href).href,
				mjs: new URL(ORT_FILES.mjs, location.href).href
			}
		}
	);
	#prepared: Prepared | null = null;
	#mainThread: MainThreadBench | null = null;

	async #load(task: TaskId, repo: string, hub: string, device: DeviceRequest = 'wasm'): Promise<LoadedModel> {
		const plan = await this.#pool.plan(task, { model: repo, revision: 'main' }, { device, hubs: [hub] }).done;
		return this.#pool.load(plan).done;
	}

	async #classify(model: LoadedModel, text: string): Promise<{ labels: LabelScore[]; workerMs: number }> {
		const result = await this.#pool.run('text-classification', model.key, { text, topK: 0 }).done;
		return { labels: labelsOf(result.output), workerMs: result.inferenceMs };
	}

	async #detectSpeech(
		model: LoadedModel,
		samples: number[]
	): Promise<{ probabilities: number[]; workerMs: number }> {
		// A fresh copy each call: the app transfers the audio to its worker, which detaches the page's buffer.
		const audio = { samplingRate: 16_000, data: Float32Array.from(samples) };
		// The task's own warm-up example with this audio: every setting at its default, whatever the task adds.
		const input: VoiceActivityInput = { ...voiceActivityDetection.examples[0], audio, url: '', sample: '' };
		const result = await this.#pool.run('voice-activity-detection', model.key, input).done;
		return { probabilities: result.output.probabilities, workerMs: result.inferenceMs };
	}

	/** The WebGPU row's model: the heavy one on a real GPU, the tiny one on a software adapter (or none). */
	async #setupWebGpu(setup: RuntimeSetup): Promise<{ gpu: LoadedModel | null; info: WebGpuSetup }> {
		const adapter = (await this.#pool.control.capabilities()).webgpu;
		if (!adapter) {
			return {
				gpu: null,
				info: { adapter: null, model: null, device: null, dtype: null, labels: [] }
			};
		}
		const model = adapter.isFallbackAdapter ? 'tiny' : 'heavy';
		const gpu = await this.#load('text-classification', setup[model].repo, setup.hub, 'webgpu');
		const { labels } = await this.#classify(gpu, setup[model].text);
		const { isFallbackAdapter, vendor, architecture } = adapter;
		return {
			gpu,
			info: {
				adapter: { isFallbackAdapter, vendor, architecture },
				model,
				device: gpu.plan.device,
				dtype: gpu.plan.dtype,
				labels
			}
		};
	}

	async setup(setup: RuntimeSetup): Promise<RuntimeReady> {
		if (this.#prepared) throw new Error('The page is set up already: reload it to start again.');
		const heavy = await this.#load('text-classification', setup.heavy.repo, setup.hub);
		const tiny = await this.#load('text-classification', setup.tiny.repo, setup.hub);
		const vad = await this.#load('voice-activity-detection', setup.vad.repo, setup.hub);
		const threads = heavy.plan.threads;
		const fileUrl = (repo: string, path: string) => `${setup.hub}${repo}/resolve/main/${path}`;
		const heavyUrl = fileUrl(setup.heavy.repo, 'onnx/model.onnx');
		const classifier: BareProgram = { kind: 'classifier', inputIds: setup.heavy.inputIds };
		const ortAll = await ortWorker(heavyUrl, threads, classifier);
		const ortOne = await ortWorker(heavyUrl, 1, classifier);
		const ortVad = await ortWorker(fileUrl(setup.vad.repo, 'onnx/model.onnx'), vad.plan.threads, {
			kind: 'vad',
			samples: setup.vad.samples
		});
		const ocrUrl = fileUrl(setup.ocr.repo, setup.ocr.path);
		const ortOcrAll = await ortWorker(ocrUrl, threads, setup.ocr.program);
		const ortOcrOne = await ortWorker(ocrUrl, 1, setup.ocr.program);
		const pipeline = new BareWorker(
			new Worker(new URL('./pipeline.worker.ts', import.meta.url), { type: 'module' })
		);
		await pipeline.call({
			kind: 'init-pipeline',
			runtime: runtime(tiny.plan.threads),
			hub: setup.hub,
			repo: setup.tiny.repo,
			dtype: tiny.plan.dtype
		});
		const { gpu, info } = await this.#setupWebGpu(setup);
		this.#prepared = {
			setup,
			heavy,
			tiny,
			vad,
			gpu,
			gpuText: info.model ? setup[info.model].text : '',
			bare: {
				ortAll: ortAll.worker,
				ortOne: ortOne.worker,
				pipeline,
				ortVad: ortVad.worker,
				ortOcrAll: ortOcrAll.worker,
				ortOcrOne: ortOcrOne.worker
			}
		};
		const pipelineReply = await pipeline.call({ kind: 'run', text: setup.tiny.text });
		return {
			crossOriginIsolated: globalThis.crossOriginIsolated,
			hardwareConcurrency: navigator.hardwareConcurrency,
			threads,
			heavy: {
				device: heavy.plan.device,
				dtype: heavy.plan.dtype,
				labels: (await this.#classify(heavy, setup.heavy.text)).labels
			},
			tiny: {
				device: tiny.plan.device,
				dtype: tiny.plan.dtype,
				labels: (await this.#classify(tiny, setup.tiny.text)).labels
			},
			ortLogits: { all: ortAll.values, one: ortOne.values },
			pipelineLabels: labelsOf('labels' in pipelineReply ? pipelineReply.labels : null),
			vad: {
				appProbabilities: (await this.#detectSpeech(vad, setup.vad.samples)).probabilities,
				ortProbabilities: ortVad.values,
				threads: vad.plan.threads
			},
			ocr: { all: ortOcrAll.values, one: ortOcrOne.values },
			webgpu: info
		};
	}

	async #once(path: RuntimePath): Promise<number> {
		const prepared = this.#prepared;
		if (!prepared) throw new Error('Call setup first.');
		const { setup, bare } = prepared;
		const run = async (worker: BareWorker, text = '') => (await worker.call({ kind: 'run', text })).workerMs;
		switch (path) {
			case 'app-heavy':
				return (await this.#classify(prepared.heavy, setup.heavy.text)).workerMs;
			case 'app-tiny':
				return (await this.#classify(prepared.tiny, setup.tiny.text)).workerMs;
			case 'app-vad':
				return (await this.#detectSpeech(prepared.vad, setup.vad.samples)).workerMs;
			case 'app-webgpu':
				if (!prepared.gpu) throw new Error('There is no WebGPU adapter: no WebGPU path to time.');
				return (await this.#classify(prepared.gpu, prepared.gpuText)).workerMs;
			case 'ort-all':
				return run(bare.ortAll);
			case 'ort-one':
				return run(bare.ortOne);
			case 'ort-vad':
				return run(bare.ortVad);
			case 'ort-ocr-all':
				return run(bare.ortOcrAll);
			case 'ort-ocr-one':
				return run(bare.ortOcrOne);
			case 'pipeline-tiny':
				return run(bare.pipeline, setup.tiny.text);
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

	async setupMainThread(repo: string, text: string): Promise<{ appLabel: string; controlLabel: string }> {
		const hub = this.#prepared?.setup.hub;
		if (!hub) throw new Error('Call setup first.');
		this.#mainThread = new MainThreadBench(this.#pool, hub);
		return this.#mainThread.setup(repo, text);
	}

	mainThread(side: MainThreadSide, phase: MainThreadPhase) {
		if (!this.#mainThread) throw new Error('Call setupMainThread first.');
		return this.#mainThread.measure(side, phase);
	}
}

const api: RuntimeWindow = { browserveRuntimeBench: new RuntimeBenchPage() };
Object.assign(window, api);

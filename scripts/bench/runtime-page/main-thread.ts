// The main-thread comparison of the runtime bench page: what the page's main thread goes through (long tasks
// over 50 ms, the longest gap between two animation frames) while a model loads and runs in the app's workers,
// and while the same model loads and runs with transformers.js on the main thread itself, the control.

import { ORT_FILES } from '$lib/runtime/ort-files';
import type { WorkerPool } from '$lib/runtime/pool.svelte';
import type { LoadedModel } from '$lib/runtime/protocol';
import type { LabelScore, MainThreadPhase, MainThreadSample, MainThreadSide } from './protocol';

type Classify = ((text: string, options: { top_k: null }) => Promise<unknown>) & { dispose(): Promise<void> };

const nextFrame = (): Promise<number> => new Promise((resolve) => requestAnimationFrame(resolve));

/** Runs `work` while watching the main thread: long tasks through PerformanceObserver, frames through rAF. */
async function observe(work: () => Promise<unknown>): Promise<MainThreadSample> {
	const tasks: number[] = [];
	const observer = new PerformanceObserver((list) => {
		for (const entry of list.getEntries()) tasks.push(entry.duration);
	});
	observer.observe({ type: 'longtask' });
	let last = await nextFrame();
	let longestGap = 0;
	let frames = 0;
	let watching = true;
	const onFrame = (time: number): void => {
		longestGap = Math.max(longestGap, time - last);
		last = time;
		frames++;
		if (watching) requestAnimationFrame(onFrame);
	};
	requestAnimationFrame(onFrame);
	const started = performance.now();
	await work();
	const ms = performance.now() - started;
	// The first frame after the work closes the gap the work opened; long-task entries arrive asynchronously.
	await nextFrame();
	await nextFrame();
	watching = false;
	for (const entry of observer.takeRecords()) tasks.push(entry.duration);
	observer.disconnect();
	return {
		ms,
		longTasks: tasks.length,
		longestTaskMs: Math.max(0, ...tasks),
		longestFrameGapMs: longestGap,
		frames
	};
}

function topLabel(value: unknown): string {
	if (!Array.isArray(value)) throw new Error(`Expected labels, got ${JSON.stringify(value)}.`);
	return [...(value as LabelScore[])].sort((a, b) => b.score - a.score)[0]?.label ?? 'none';
}

export class MainThreadBench {
	readonly #pool: WorkerPool;
	readonly #hub: string;
	#repo = '';
	#text = '';
	#threads = 1;
	#app: LoadedModel | null = null;
	#control: Classify | null = null;

	constructor(pool: WorkerPool, hub: string) {
		this.#pool = pool;
		this.#hub = hub;
	}

	async #loadApp(): Promise<LoadedModel> {
		const plan = await this.#pool.plan(
			'text-classification',
			{ model: this.#repo, revision: 'main' },
			{ device: 'wasm', hubs: [this.#hub] }
		).done;
		return this.#pool.load(plan).done;
	}

	async #loadControl(): Promise<Classify> {
		// Imported only here, so the rest of the page never carries transformers.js on its main thread.
		const { env, pipeline } = await import('@huggingface/transformers');
		const onnx = env.backends.onnx;
		if (onnx.wasm) {
			onnx.wasm.wasmPaths = {
				wasm: new URL(ORT_FILES.wasm, location.href).href,
				mjs: new URL(ORT_FILES.mjs, location.href).href
			};
			onnx.wasm.numThreads = this.#threads;
		}
		env.allowLocalModels = false;
		env.useBrowserCache = false;
		env.useWasmCache = false;
		env.remoteHost = this.#hub;
		env.remotePathTemplate = '{model}/resolve/{revision}/';
		const classify = await pipeline('text-classification', this.#repo, { device: 'wasm', dtype: 'fp32' });
		return classify as unknown as Classify;
	}

	async setup(repo: string, text: string): Promise<{ appLabel: string; controlLabel: string }> {
		this.#repo = repo;
		this.#text = text;
		this.#app = await this.#loadApp();
		// The control runs with the threads the app's plan gives its worker.
		this.#threads = this.#app.plan.threads;
		this.#control = await this.#loadControl();
		const app = await this.#pool.run('text-classification', this.#app.key, { text, topK: 0 }).done;
		return {
			appLabel: topLabel(app.output),
			controlLabel: topLabel(await this.#control(text, { top_k: null }))
		};
	}

	async measure(side: MainThreadSide, phase: MainThreadPhase): Promise<MainThreadSample> {
		if (!this.#app || !this.#control) throw new Error('Call setupMainThread first.');
		if (phase === 'load') {
			// Unloading is outside the window: what is measured is a load from the store (the app) or the hub.
			if (side === 'app') {
				this.#pool.unload(this.#app.key);
				return observe(async () => (this.#app = await this.#loadApp()));
			}
			await this.#control.dispose();
			return observe(async () => (this.#control = await this.#loadControl()));
		}
		const { key } = this.#app;
		const control = this.#control;
		return side === 'app'
			? observe(() => this.#pool.run('text-classification', key, { text: this.#text, topK: 0 }).done)
			: observe(() => control(this.#text, { top_k: null }));
	}
}

// Runs the /bench standard set in the app's own workers: plans the text model and Silero VAD from the
// deployment's hubs, loads each variant (WASM with 1 thread, with all, WebGPU) in a worker of its own under a
// key of its own (so a model the user has loaded is never reused or unloaded), times calls page-side from the
// request to the result, measures the model store in its worker, and turns it all into a BenchReport.

import type { DeviceCapabilities } from '$lib/runtime/backend';
import { CancelledError } from '$lib/runtime/errors';
import type { WorkerPool } from '$lib/runtime/pool.svelte';
import type { DownloadPlan } from '$lib/runtime/protocol';
import { textClassification } from '$lib/tasks/text-classification';
import {
	voicedSound,
	voiceActivityDetection,
	type VoiceActivityInput
} from '$lib/tasks/voice-activity-detection';
import { REPORT_VERSION, type BenchReport, type Measurement } from './report';
import { planSteps, type BenchSettings, type BenchStep } from './standard-set';
import type { StoreProbe } from './store-probe';

export interface BenchDeps {
	pool: WorkerPool;
	storeProbe: StoreProbe;
	hubs: readonly string[];
	allowlist: readonly string[] | null;
	models: { text: string; vad: string };
	/** Asked once before anything downloads, with the bytes the set still needs; false stops the run. */
	confirmDownload(bytes: number): Promise<boolean>;
}

export interface BenchProgress {
	/** 1-based index of the running step, and how many there are. */
	step: number;
	steps: number;
	label: string;
	/** What the step is doing: planning, loading, call 3 of 20, … */
	detail: string;
}

/** Median and p90 (linear interpolation between closest ranks). */
export function summarize(values: readonly number[]): { median: number; p90: number } {
	const sorted = [...values].sort((a, b) => a - b);
	const at = (q: number): number => {
		const index = (sorted.length - 1) * q;
		const low = sorted[Math.floor(index)] ?? NaN;
		const high = sorted[Math.ceil(index)] ?? low;
		return low + (high - low) * (index - Math.floor(index));
	};
	return { median: at(0.5), p90: at(0.9) };
}

function browserName(): string {
	const brands = (
		navigator as Navigator & { userAgentData?: { brands: { brand: string; version: string }[] } }
	).userAgentData?.brands;
	// Browsers add a made-up "Not A Brand" entry (GREASE); a specific brand beats the engine's own name.
	const real = brands?.filter((entry) => !/not.?a.?brand/i.test(entry.brand)) ?? [];
	const brand = real.find((entry) => entry.brand !== 'Chromium') ?? real[0];
	if (brand) return `${brand.brand} ${brand.version}`;
	const match = /(Firefox|Edg|Chrome|Safari)\/(\d+)/.exec(navigator.userAgent);
	return match ? `${match[1]} ${match[2]}` : 'unknown browser';
}

export class BenchRunner {
	readonly #deps: BenchDeps;
	/** The pool request (plan, load or run) in flight, so cancel can stop it where it is. */
	#current: string | null = null;
	#cancelled = false;
	readonly #loaded = new Set<string>();

	constructor(deps: BenchDeps) {
		this.#deps = deps;
	}

	cancel(): void {
		if (this.#cancelled) return;
		this.#cancelled = true;
		if (this.#current) this.#deps.pool.cancel(this.#current);
		this.#deps.storeProbe.cancel(new CancelledError('Cancelled.'));
	}

	#check(): void {
		if (this.#cancelled) throw new CancelledError('Cancelled.');
	}

	async #tracked<T>(request: { id: string; done: Promise<T> }): Promise<T> {
		this.#current = request.id;
		try {
			return await request.done;
		} finally {
			this.#current = null;
			this.#check();
		}
	}

	async #plan(
		task: 'text-classification' | 'voice-activity-detection',
		model: string,
		device: 'wasm' | 'webgpu'
	) {
		const { pool, hubs, allowlist } = this.#deps;
		return this.#tracked(pool.plan(task, { model, revision: 'main' }, { device, hubs, allowlist }));
	}

	/** Loads `plan` with the step's threads under a key of the bench's own; returns the key and the plan used. */
	async #load(plan: DownloadPlan, step: Exclude<BenchStep, { kind: 'store' }>) {
		const threads = step.device === 'webgpu' ? plan.backend.threads : step.threads;
		const variant: DownloadPlan = {
			...plan,
			backend: { ...plan.backend, threads },
			key: `${plan.key}|bench:${step.id}`
		};
		this.#loaded.add(variant.key);
		return this.#tracked(this.#deps.pool.load(variant));
	}

	async #timeCalls(
		count: number,
		call: () => { id: string; done: Promise<unknown> },
		onCall: (i: number) => void
	) {
		const times: number[] = [];
		for (let i = 0; i < count; i++) {
			onCall(i + 1);
			const started = performance.now();
			await this.#tracked(call());
			times.push(performance.now() - started);
		}
		return times;
	}

	async run(settings: BenchSettings, onProgress: (progress: BenchProgress) => void): Promise<BenchReport> {
		const { pool, storeProbe, models } = this.#deps;
		try {
			const caps: DeviceCapabilities = await pool.control.capabilities();
			this.#check();
			const steps = planSteps(caps);
			const progress = (index: number, detail: string) =>
				onProgress({ step: index + 1, steps: steps.length, label: steps[index]?.label ?? '', detail });
			progress(0, 'finding the models');
			const plans = {
				text: await this.#plan('text-classification', models.text, 'wasm'),
				textGpu: caps.webgpu ? await this.#plan('text-classification', models.text, 'webgpu') : null,
				vad: await this.#plan('voice-activity-detection', models.vad, 'wasm')
			};
			// Text on WASM and on WebGPU may fetch different weights: what is missing is counted once per file.
			const missing = new Map<string, number>();
			for (const plan of [plans.text, plans.textGpu, plans.vad]) {
				for (const file of plan?.files ?? [])
					missing.set(`${plan?.model}/${file.path}`, file.size - file.bytesStored);
			}
			const missingBytes = [...missing.values()].reduce((sum, bytes) => sum + bytes, 0);
			if (missingBytes > 0 && !(await this.#deps.confirmDownload(missingBytes))) {
				throw new CancelledError('Cancelled before downloading the models.');
			}
			const measurements: Measurement[] = [];
			let storeBackend = '';
			const textInput = { ...textClassification.examples[0] };
			for (const [index, step] of steps.entries()) {
				this.#check();
				if (step.kind === 'store') {
					progress(index, 'writing and reading');
					const { backend, rounds } = await storeProbe.run(
						{ bytes: settings.storeBytes, rounds: settings.storeRounds },
						(round) => progress(index, `round ${round + 1} of ${settings.storeRounds}`)
					);
					storeBackend = backend;
					const rate = (ms: number) => settings.storeBytes / 1e6 / (ms / 1000);
					for (const [id, times] of [
						['store-write', rounds.map((round) => round.writeMs)],
						['store-read', rounds.map((round) => round.readMs)]
					] as const) {
						// Throughput: the slow end of the times is the low end of the rates.
						const { median, p90 } = summarize(times);
						measurements.push({
							id,
							label: `Model store ${id === 'store-write' ? 'write' : 'read'} (${(settings.storeBytes / 2 ** 20).toFixed(0)} MiB)`,
							unit: 'MB/s',
							median: rate(median),
							p90: rate(p90),
							runs: times.length,
							threads: 0
						});
					}
					continue;
				}
				const plan = step.kind === 'vad' ? plans.vad : step.device === 'webgpu' ? plans.textGpu : plans.text;
				if (!plan) continue;
				progress(index, plan.missingBytes > 0 ? 'downloading and loading' : 'loading');
				const loaded = await this.#load(plan, step);
				const calls = step.kind === 'vad' ? settings.vadCalls : settings.textCalls;
				const onCall = (call: number) => progress(index, `call ${call} of ${calls}`);
				const times =
					step.kind === 'vad'
						? await this.#timeCalls(
								calls,
								() => {
									// A fresh clip each call: the app transfers the audio to its worker.
									const audio = { samplingRate: 16_000, data: voicedSound(settings.audioSeconds) };
									const input: VoiceActivityInput = {
										...voiceActivityDetection.examples[0],
										audio,
										url: '',
										sample: ''
									};
									return pool.run('voice-activity-detection', loaded.key, input);
								},
								onCall
							)
						: await this.#timeCalls(
								calls,
								() => pool.run('text-classification', loaded.key, textInput),
								onCall
							);
				pool.unload(loaded.key);
				this.#loaded.delete(loaded.key);
				const notes = [
					step.device === 'webgpu' && caps.webgpu?.isFallbackAdapter
						? 'software adapter, not a speed figure'
						: null,
					loaded.plan.device !== step.device
						? `ran on ${loaded.plan.device}: ${loaded.notes.join(' ')}`
						: null
				].filter((note): note is string => note !== null);
				const { median, p90 } = summarize(times);
				measurements.push({
					id: step.id,
					label:
						step.kind === 'vad'
							? `${step.label} (${settings.audioSeconds} s of audio a call)`
							: `${step.label} (${loaded.plan.dtype}, one sentence a call)`,
					unit: 'ms',
					median,
					p90,
					runs: times.length,
					threads: loaded.plan.device === 'webgpu' ? 0 : loaded.plan.threads,
					...(notes.length > 0 ? { note: notes.join('; ') } : {})
				});
			}
			const gpu = caps.webgpu;
			return {
				version: REPORT_VERSION,
				date: new Date().toISOString(),
				quick: settings.quick,
				device: {
					cores: caps.hardwareConcurrency,
					crossOriginIsolated: caps.crossOriginIsolated,
					webgpu: gpu && {
						vendor: gpu.vendor,
						architecture: gpu.architecture,
						software: gpu.isFallbackAdapter
					},
					browser: browserName()
				},
				models: {
					text: `${plans.text.model}@${plans.text.commit.slice(0, 12)}`,
					vad: `${plans.vad.model}@${plans.vad.commit.slice(0, 12)}`
				},
				audioSeconds: settings.audioSeconds,
				storeBytes: settings.storeBytes,
				storeBackend,
				measurements
			};
		} finally {
			// Nothing the bench loaded stays in memory, finished or not.
			for (const key of this.#loaded) pool.unload(key);
			this.#loaded.clear();
		}
	}
}

// State of the /status page: what this device can run (probed in a worker), the models the pool holds with
// their metrics, and a measurement of the page↔worker channel (round trip, and a 64 MiB transfer that must
// leave the sender's buffer detached). All of it local: nothing leaves the device.

import type { DeviceCapabilities } from '$lib/runtime/backend';
import type { WorkerPool } from '$lib/runtime/pool.svelte';

export interface ChannelCheck {
	roundTripMs: number;
	transferMs: number;
	transferBytes: number;
	/** The page's buffer was detached by the transfer (byteLength 0), i.e. it was moved, not copied. */
	senderDetached: boolean;
	/** The bytes came back unchanged. */
	bytesIntact: boolean;
}

const TRANSFER_BYTES = 64 * 1024 * 1024;

export class StatusPageState {
	readonly #pool: WorkerPool;
	capabilities = $state.raw<DeviceCapabilities | null>(null);
	channel = $state.raw<ChannelCheck | null>(null);
	measuring = $state(false);
	error = $state<string | null>(null);
	readonly isolated = typeof crossOriginIsolated === 'boolean' ? crossOriginIsolated : false;

	readonly report = $derived.by(() => ({
		page: {
			crossOriginIsolated: this.isolated,
			hardwareConcurrency: globalThis.navigator?.hardwareConcurrency ?? null
		},
		capabilities: this.capabilities,
		maxModels: this.#pool.maxModels,
		models: Object.values(this.#pool.models).map((model) => ({
			model: model.model,
			task: model.task,
			hub: model.hub,
			commit: model.commit,
			state: model.state,
			error: model.error,
			backend: model.loaded?.plan.device ?? null,
			dtype: model.loaded?.plan.dtype ?? null,
			threads: model.loaded?.plan.threads ?? null,
			timings: model.loaded?.timings ?? null,
			notes: model.loaded?.notes ?? [],
			...model.metrics
		})),
		channel: this.channel
	}));

	constructor(pool: WorkerPool) {
		this.#pool = pool;
	}

	get models() {
		return Object.values(this.#pool.models);
	}

	async probe(): Promise<void> {
		try {
			this.capabilities = await this.#pool.control.capabilities();
		} catch (error) {
			this.error = error instanceof Error ? error.message : String(error);
		}
	}

	unload(key: string): void {
		this.#pool.unload(key);
	}

	async measureChannel(): Promise<void> {
		this.measuring = true;
		try {
			const control = this.#pool.control;
			await control.echo(new ArrayBuffer(8)); // start the worker outside the measurement
			const trips: number[] = [];
			for (let i = 0; i < 20; i++) {
				const started = performance.now();
				await control.echo(new ArrayBuffer(8));
				trips.push(performance.now() - started);
			}
			trips.sort((a, b) => a - b);
			const sent = new Uint8Array(TRANSFER_BYTES);
			for (let i = 0; i < sent.length; i += 4096) sent[i] = (i / 4096) % 251;
			const started = performance.now();
			const back = new Uint8Array(await control.echo(sent.buffer));
			const transferMs = performance.now() - started;
			let intact = back.length === TRANSFER_BYTES;
			for (let i = 0; intact && i < back.length; i += 4096) intact = back[i] === (i / 4096) % 251;
			this.channel = {
				roundTripMs: trips[Math.floor(trips.length / 2)] ?? 0,
				transferMs,
				transferBytes: TRANSFER_BYTES,
				senderDetached: sent.buffer.byteLength === 0,
				bytesIntact: intact
			};
		} catch (error) {
			this.error = error instanceof Error ? error.message : String(error);
		} finally {
			this.measuring = false;
		}
	}
}

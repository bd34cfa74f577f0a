// The bench page: starts a fresh module worker on command and relays the driver's calls to it, so every
// measurement runs where the app's own work runs (a dedicated worker, with OPFS sync access handles).

import { deserializeError } from '$lib/runtime/errors';
import type {
	BenchKind,
	BenchPageApi,
	BenchReplyOf,
	BenchRequestOf,
	BenchWindow,
	WorkerReply,
	WorkerRequest
} from './protocol';

interface Pending {
	resolve(reply: BenchReplyOf<BenchKind>): void;
	reject(error: Error): void;
}

class BenchPage implements BenchPageApi {
	#worker: Worker | null = null;
	readonly #pending = new Map<number, Pending>();
	#nextId = 1;
	/** Allocations the driver asked the page to keep alive (see hold). */
	readonly #held: Uint8Array[] = [];

	restart(): void {
		this.#worker?.terminate();
		this.#failAll(new Error('The worker was restarted while a call was running.'));
		const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
		worker.addEventListener('message', (event: MessageEvent<WorkerReply>) => this.#settle(event.data));
		// A worker that fails to start or throws outside a call would otherwise leave the driver waiting forever.
		worker.addEventListener('error', (event) => this.#failAll(new Error(`Worker error: ${event.message}`)));
		this.#worker = worker;
	}

	call<K extends BenchKind>(kind: K, request: BenchRequestOf<K>): Promise<BenchReplyOf<K>> {
		const worker = this.#worker;
		if (!worker) return Promise.reject(new Error('No worker: call restart() first.'));
		const id = this.#nextId++;
		return new Promise<BenchReplyOf<K>>((resolve, reject) => {
			// The worker answers a call of kind K with K's reply: the table in protocol.ts is the contract.
			this.#pending.set(id, { resolve: (reply) => resolve(reply as BenchReplyOf<K>), reject });
			const message: WorkerRequest<K> = { id, kind, request } as WorkerRequest<K>;
			worker.postMessage(message);
		});
	}

	hold(bytes: number): void {
		// fill() touches every page, so the allocation shows up in the process's resident memory.
		this.#held.push(new Uint8Array(bytes).fill(1));
	}

	release(): void {
		this.#held.length = 0;
	}

	async fetchFiles(urls: readonly string[]): Promise<{ ms: number; bytes: number }> {
		const started = performance.now();
		let bytes = 0;
		for (const url of urls) {
			// no-store, as the store's downloads: neither may be answered from the HTTP cache.
			const response = await fetch(url, { cache: 'no-store' });
			if (!response.ok || !response.body) throw new Error(`${url} answered HTTP ${response.status}.`);
			const reader = response.body.getReader();
			for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read())
				bytes += chunk.value.byteLength;
		}
		return { ms: performance.now() - started, bytes };
	}

	about(): ReturnType<BenchPageApi['about']> {
		return {
			userAgent: navigator.userAgent,
			crossOriginIsolated: globalThis.crossOriginIsolated,
			hardwareConcurrency: navigator.hardwareConcurrency
		};
	}

	#settle(message: WorkerReply): void {
		const pending = this.#pending.get(message.id);
		if (!pending) return;
		this.#pending.delete(message.id);
		if (message.ok) pending.resolve(message.reply);
		else pending.reject(deserializeError(message.error));
	}

	#failAll(error: Error): void {
		for (const pending of this.#pending.values()) pending.reject(error);
		this.#pending.clear();
	}
}

const api: BenchWindow = { browserveBench: new BenchPage() };
Object.assign(window, api);

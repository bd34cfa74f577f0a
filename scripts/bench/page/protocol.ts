// The bench page's contract, shared by the Node driver (scripts/bench/store.ts), the page (main.ts) and its
// worker (worker.ts): one table of calls, each with its request and reply, so every side is checked against it.

import type { SerializedError } from '$lib/runtime/errors';
import type { ByteBackend, RemoteFile } from '$lib/store/types';

/** One model at one commit on one hub, with the files the hub lists for it. */
export interface BenchModel {
	hub: string;
	repo: string;
	commit: string;
	files: RemoteFile[];
}

/**
 * Where a warm load reads its files from: the Browserve store through StoreBridge (A), transformers.js' own
 * Cache API (B), bytes the worker already holds, handed over without a copy (C, the floor for any storage),
 * and the store through StoreBridge again with a progress callback (A~), with which transformers.js reads
 * each file's body as a stream instead of calling arrayBuffer().
 */
export type LoadSource = 'store' | 'cache-api' | 'memory' | 'store-streamed';

/** How a reference download reads the body: fresh chunks from the browser, or one buffer reused (BYOB). */
export type FetchReader = 'default' | 'byob';

/**
 * What a throughput run reads: a stored file through one ModelStore method (`stream`: read()'s body, block by
 * block, as transformers.js reads it when given a progress callback), or the Cache API's copy.
 */
export type ReadTarget =
	{ kind: 'store'; backend: ByteBackend; method: 'readBytes' | 'read' | 'stream' } | { kind: 'cache-api' };

/** What the big embedder must compute, checked after every load so a fast but wrong load cannot pass. */
export interface EmbedderCheck {
	dim: number;
	anchor: string;
	similar: string;
	unrelated: string;
}

export interface BenchCalls {
	/** Resolves `main` and lists the commit's files through the app's HubClient. */
	resolve: { request: { hub: string; repo: string }; reply: BenchModel };
	/** Downloads `paths` into the store of `backend` (after deleting the model when `fresh`). */
	download: {
		request: { model: BenchModel; backend: ByteBackend; paths: string[]; fresh: boolean };
		reply: { ms: number; bytes: number };
	};
	/** Fetches `url` and drops the bytes: what the browser's own fetch costs, next to a store download. */
	fetch: {
		request: { url: string; reader: FetchReader; bufferSize: number };
		reply: { ms: number; bytes: number };
	};
	/** Sets transformers.js up for one source and starts ONNX Runtime, so a load measures the load alone. */
	prepare: {
		request: { model: BenchModel; source: LoadSource; threads: number; warmupModelUrl: string };
		reply: { ms: number; threads: number; crossOriginIsolated: boolean };
	};
	/** Times pipeline() from start to ready, then checks the pipeline's output and disposes of it. */
	load: {
		request: { check: EmbedderCheck };
		/** `fetches`: URLs transformers.js fetched over the network during the load (HTTP-cache hits included). */
		reply: { ms: number; dim: number; similar: number; unrelated: number; fetches: string[] };
	};
	/** Times reading one stored file into memory once. */
	read: {
		request: { model: BenchModel; target: ReadTarget; path: string };
		reply: { ms: number; bytes: number };
	};
}

export type BenchKind = keyof BenchCalls;
export type BenchRequestOf<K extends BenchKind> = BenchCalls[K]['request'];
export type BenchReplyOf<K extends BenchKind> = BenchCalls[K]['reply'];

/** A call as it crosses to the worker; the tag fixes the request's shape. */
export type WorkerRequest<K extends BenchKind = BenchKind> = {
	[P in K]: { id: number; kind: P; request: BenchRequestOf<P> };
}[K];

export type WorkerReply =
	| { id: number; ok: true; reply: BenchReplyOf<BenchKind> }
	| { id: number; ok: false; error: SerializedError };

/** What the page exposes to the driver as `window.browserveBench`. */
export interface BenchPageApi {
	/** Ends the current worker (freeing everything it held) and starts a fresh one. */
	restart(): void;
	call<K extends BenchKind>(kind: K, request: BenchRequestOf<K>): Promise<BenchReplyOf<K>>;
	/** Allocates and touches `bytes` on the page, so the driver can tell which process is this renderer. */
	hold(bytes: number): void;
	release(): void;
	/**
	 * Fetches every URL in turn on the page's main thread with plain fetch, reading each body to its end: the
	 * reference a cold load through the app's store is measured against.
	 */
	fetchFiles(urls: readonly string[]): Promise<{ ms: number; bytes: number }>;
	about(): { userAgent: string; crossOriginIsolated: boolean; hardwareConcurrency: number };
}

export interface BenchWindow {
	browserveBench: BenchPageApi;
}

/** IndexedDB database (and OPFS folder) of the store each backend's copy lives in. */
export const STORE_NAMES: Readonly<Record<ByteBackend, string>> = {
	opfs: 'bench-store-opfs',
	idb: 'bench-store-idb'
};

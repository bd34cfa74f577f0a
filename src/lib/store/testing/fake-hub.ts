// A stand-in for a hub's resolve endpoint in the store's specs (Node and the browser worker alike): serves
// byte arrays with Range / If-Range semantics, records every request, and injects the faults the store
// must survive (dropped connections, ignored ranges, corrupted bodies).

import { createSHA1, sha256 } from 'hash-wasm';
import type { RemoteFile } from '../types';

export interface ServedRequest {
	url: string;
	range: string | null;
	ifRange: string | null;
	status: number;
	/** Body bytes actually delivered before the response ended or dropped. */
	bytesSent: number;
}

/** What both kinds of stream controller offer, all a body needs. */
interface BodyController {
	enqueue(chunk: Uint8Array<ArrayBuffer>): void;
	close(): void;
	error(reason?: unknown): void;
	readonly byobRequest?: ReadableStreamBYOBRequest | null;
}

interface ServedFile {
	bytes: Uint8Array;
	etag: string;
}

export class FakeHub {
	readonly requests: ServedRequest[] = [];
	/** For each of the next responses, drop the connection after this many body bytes. */
	dropAfter: number[] = [];
	/** For each of the next responses, flip the byte at this file offset (if the body covers it). */
	corruptAt: number[] = [];
	/** Answer range requests with the whole file (200), as some servers do. */
	ignoreRange = false;
	/** Bytes per body piece; deliberately not a power of two so pieces straddle chunk boundaries. */
	pieceSize = 700;
	/** A pause before each body piece, to keep a download running while something else happens. */
	pieceDelayMs = 0;
	/** Serve bodies as byte streams, as fetch does (BYOB readers work on them); else as plain streams. */
	byteStreams = false;
	readonly #files = new Map<string, ServedFile>();

	serve(url: string, bytes: Uint8Array, etag = `"${url.length}-${bytes.length}"`): void {
		this.#files.set(url, { bytes, etag });
	}

	get bytesSent(): number {
		return this.requests.reduce((sum, request) => sum + request.bytesSent, 0);
	}

	readonly fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
		const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
		const headers = new Headers(init?.headers);
		const signal = init?.signal ?? undefined;
		signal?.throwIfAborted();
		const request: ServedRequest = {
			url,
			range: headers.get('Range'),
			ifRange: headers.get('If-Range'),
			status: 0,
			bytesSent: 0
		};
		this.requests.push(request);
		const file = this.#files.get(url);
		if (!file) {
			request.status = 404;
			return new Response('not found', { status: 404 });
		}
		const start = this.#rangeStart(request, file);
		if (start !== null && start >= file.bytes.length) {
			request.status = 416;
			return new Response(null, {
				status: 416,
				headers: { 'Content-Range': `bytes */${file.bytes.length}` }
			});
		}
		const from = start ?? 0;
		const body = file.bytes.slice(from);
		const corrupt = this.corruptAt.shift();
		if (corrupt !== undefined && corrupt >= from && corrupt < file.bytes.length) {
			body[corrupt - from] = (body[corrupt - from] ?? 0) ^ 0xff;
		}
		const drop = this.dropAfter.shift() ?? Infinity;
		request.status = start === null ? 200 : 206;
		const responseHeaders: Record<string, string> = {
			ETag: file.etag,
			'Content-Length': String(body.length),
			'Accept-Ranges': 'bytes'
		};
		if (start !== null)
			responseHeaders['Content-Range'] = `bytes ${from}-${file.bytes.length - 1}/${file.bytes.length}`;
		return new Response(this.#body(body, drop, request, signal), {
			status: request.status,
			headers: responseHeaders
		});
	};

	/** The offset a request asks to start at, or null when the whole file is to be sent (200). */
	#rangeStart(request: ServedRequest, file: ServedFile): number | null {
		if (this.ignoreRange || request.range === null) return null;
		if (request.ifRange !== null && request.ifRange !== file.etag) return null;
		const match = /^bytes=(\d+)-$/.exec(request.range);
		return match?.[1] === undefined ? null : Number(match[1]);
	}

	#body(
		body: Uint8Array,
		drop: number,
		request: ServedRequest,
		signal: AbortSignal | undefined
	): ReadableStream<Uint8Array> {
		let sent = 0;
		const pull = async (controller: BodyController): Promise<void> => {
			if (this.pieceDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.pieceDelayMs));
			if (signal?.aborted) return controller.error(signal.reason);
			if (sent >= drop) return controller.error(new TypeError('network error: connection reset'));
			if (sent >= body.length) {
				controller.close();
				// A byte stream's pending BYOB read only ends (done) once the request is answered with 0 bytes.
				return controller.byobRequest?.respond(0);
			}
			const end = Math.min(body.length, sent + this.pieceSize, drop);
			controller.enqueue(body.slice(sent, end));
			request.bytesSent += end - sent;
			sent = end;
		};
		return this.byteStreams ? new ReadableStream({ type: 'bytes', pull }) : new ReadableStream({ pull });
	}
}

/** Deterministic bytes that differ at every offset a test is likely to look at. */
export function patternBytes(size: number, seed = 1): Uint8Array {
	const bytes = new Uint8Array(size);
	let state = seed * 2654435761;
	for (let i = 0; i < size; i++) {
		state = (state * 1103515245 + 12345) >>> 0;
		bytes[i] = state >>> 24;
	}
	return bytes;
}

export async function gitBlobOid(bytes: Uint8Array): Promise<string> {
	const hasher = (await createSHA1()).init();
	return hasher.update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}

/** Serves `bytes` at a resolve URL and describes it the way the hub's tree listing would. */
export async function publish(
	hub: FakeHub,
	repo: string,
	commit: string,
	path: string,
	bytes: Uint8Array,
	hash: 'sha256' | 'git' = 'sha256'
): Promise<RemoteFile> {
	const url = `https://hub.test/${repo}/resolve/${commit}/${path}`;
	hub.serve(url, bytes);
	return {
		path,
		size: bytes.length,
		sha256: hash === 'sha256' ? await sha256(bytes) : null,
		gitOid: hash === 'git' ? await gitBlobOid(bytes) : null,
		url
	};
}

// HTTP plumbing shared by the hub and CDN origins: CORS on every response, JSON and error bodies, and
// streaming a file with ETag, conditional and Range handling, optionally metered and faulted for tests.
import { type FileHandle, open } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export type HubRequestHandler = (req: IncomingMessage, res: ServerResponse, path: string) => void;

export type HubErrorCode = 'RepoNotFound' | 'RevisionNotFound' | 'EntryNotFound';

const EXPOSED_HEADERS = [
	'ETag',
	'X-Repo-Commit',
	'X-Linked-Etag',
	'X-Linked-Size',
	'Content-Range',
	'Content-Length',
	'Accept-Ranges',
	'X-Error-Code',
	'X-Error-Message',
	'Link'
].join(', ');
const ALLOWED_METHODS = 'GET, HEAD, OPTIONS';
const DEFAULT_ALLOWED_HEADERS = 'Range, Authorization, If-Range, If-None-Match, Content-Type';
const HEADER_LIST = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+(?:\s*,\s*[A-Za-z0-9!#$%&'*+.^_`|~-]+)*$/;

/** Set first on every response: the app page is cross-origin isolated (COEP require-corp). */
export function setCors(res: ServerResponse): void {
	res.setHeader('Access-Control-Allow-Origin', '*');
	res.setHeader('Access-Control-Expose-Headers', EXPOSED_HEADERS);
	res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
	res.setHeader('Timing-Allow-Origin', '*');
}

/**
 * Runs a route with CORS, preflight, method checks and a 500 for anything that throws, so one bad request
 * never takes the server down.
 */
export function dispatch(req: IncomingMessage, res: ServerResponse, route: () => Promise<void>): void {
	setCors(res);
	if (req.method === 'OPTIONS') {
		sendPreflight(req, res);
		return;
	}
	if (req.method !== 'GET' && req.method !== 'HEAD') {
		res.setHeader('Allow', ALLOWED_METHODS);
		sendJson(req, res, 405, { error: 'Method not allowed' });
		return;
	}
	route().catch((error: unknown) => {
		if (!res.headersSent) {
			sendJson(req, res, 500, { error: 'Internal server error' });
		} else {
			res.destroy(error instanceof Error ? error : undefined);
		}
	});
}

export function sendPreflight(req: IncomingMessage, res: ServerResponse, methods = ALLOWED_METHODS): void {
	const requested = req.headers['access-control-request-headers'];
	res.setHeader('Access-Control-Allow-Methods', methods);
	// Echoing what the browser asks for keeps odd client headers working; junk falls back to the default list.
	res.setHeader(
		'Access-Control-Allow-Headers',
		typeof requested === 'string' && HEADER_LIST.test(requested.trim())
			? requested.trim()
			: DEFAULT_ALLOWED_HEADERS
	);
	res.setHeader('Access-Control-Max-Age', '86400');
	res.setHeader('Content-Length', '0');
	res.writeHead(204);
	res.end();
}

export function sendJson(
	req: IncomingMessage,
	res: ServerResponse,
	status: number,
	body: unknown,
	headers: Record<string, string> = {}
): void {
	const text = JSON.stringify(body);
	for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
	res.setHeader('Content-Type', 'application/json; charset=utf-8');
	res.setHeader('Content-Length', Buffer.byteLength(text));
	res.writeHead(status);
	if (req.method === 'HEAD') {
		res.end();
		return;
	}
	countBody(res, Buffer.byteLength(text));
	res.end(text);
}

/** Running count of the body bytes one response has handed to its socket. */
export interface BodyMeter {
	bytes: number;
}

// Keyed by response so the request log can meter bodies without every send function taking a parameter.
const meters = new WeakMap<ServerResponse, BodyMeter>();

export function meterBody(res: ServerResponse, meter: BodyMeter): void {
	meters.set(res, meter);
}

function countBody(res: ServerResponse, bytes: number): void {
	const meter = meters.get(res);
	if (meter) meter.bytes += bytes;
}

/** How a test fault alters one file body; offsets are absolute in the file, counts relative to the body. */
export interface BodyFaults {
	/** File offsets whose byte is inverted on the way out, where they fall inside the range sent. */
	flip: readonly number[];
	/** Body bytes to send before the connection is cut; undefined sends the whole body. */
	cutAfter: number | undefined;
	/** How long to hold the connection open after the cut point before closing it. */
	stallMs: number;
}

export function sendError(
	req: IncomingMessage,
	res: ServerResponse,
	status: number,
	message: string,
	code?: HubErrorCode
): void {
	const headers: Record<string, string> = { 'X-Error-Message': headerSafe(message) };
	if (code) headers['X-Error-Code'] = code;
	sendJson(req, res, status, { error: message }, headers);
}

export function sendNotFound(req: IncomingMessage, res: ServerResponse): void {
	sendJson(req, res, 404, { error: 'Not found' });
}

// Header values must be Latin-1 without control characters, and the message may echo a client's input.
function headerSafe(value: string): string {
	return value.replace(/[^\x20-\x7e]/g, '?');
}

export interface ServedFile {
	absPath: string;
	size: number;
	mtimeMs: number;
	/** Quoted strong ETag. */
	etag: string;
	contentType: string;
	cacheControl: string;
	headers: Record<string, string>;
}

export type ByteRange = { start: number; end: number };

/**
 * Reads a single `bytes=` range. Undefined means "ignore the header and send everything", which RFC 9110
 * allows for syntax we do not support (such as several ranges).
 */
export function parseRange(
	header: string | undefined,
	size: number
): ByteRange | 'unsatisfiable' | undefined {
	if (header === undefined) return undefined;
	const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
	if (!match) return undefined;
	const [, first = '', last = ''] = match;
	if (first === '' && last === '') return undefined;
	if (first === '') {
		const suffix = Number(last);
		if (suffix === 0 || size === 0) return 'unsatisfiable';
		return { start: Math.max(0, size - suffix), end: size - 1 };
	}
	const start = Number(first);
	// `last < first` is a malformed range (ignored); a start past the end is a valid one we cannot serve.
	if (last !== '' && Number(last) < start) return undefined;
	if (start >= size) return 'unsatisfiable';
	return { start, end: last === '' ? size - 1 : Math.min(Number(last), size - 1) };
}

export function etagMatches(header: string | undefined, etag: string): boolean {
	if (header === undefined) return false;
	const bare = etag.replace(/^W\//, '');
	return header.split(',').some((candidate) => {
		const trimmed = candidate.trim();
		return trimmed === '*' || trimmed.replace(/^W\//, '') === bare;
	});
}

/**
 * `bodyFaults` is asked only when a body is really about to be sent (not for HEAD, 304 or 416), so a fault
 * that counts responses is not used up by one that carries no bytes.
 */
export async function sendFile(
	req: IncomingMessage,
	res: ServerResponse,
	file: ServedFile,
	bodyFaults?: () => BodyFaults | undefined
): Promise<void> {
	const handle = await open(file.absPath, 'r');
	let streaming = false;
	try {
		const info = await handle.stat();
		// The ETag and commit were computed from the snapshot; a file rewritten since would not match them.
		if (info.size !== file.size || info.mtimeMs !== file.mtimeMs)
			throw new Error('File changed while serving');
		for (const [name, value] of Object.entries(file.headers)) res.setHeader(name, value);
		res.setHeader('ETag', file.etag);
		res.setHeader('Accept-Ranges', 'bytes');
		res.setHeader('Cache-Control', file.cacheControl);

		if (etagMatches(header(req, 'if-none-match'), file.etag)) {
			res.writeHead(304);
			res.end();
			return;
		}
		const ifRange = header(req, 'if-range');
		// If-Range with a date, or a stale ETag, means the client's partial copy is outdated: send it all.
		const rangeAllowed = ifRange === undefined || ifRange.trim() === file.etag;
		const range = rangeAllowed ? parseRange(header(req, 'range'), file.size) : undefined;
		if (range === 'unsatisfiable') {
			res.setHeader('Content-Range', `bytes */${file.size}`);
			sendJson(req, res, 416, { error: 'Range not satisfiable' });
			return;
		}
		res.setHeader('Content-Type', file.contentType);
		const { start, end } = range ?? { start: 0, end: file.size - 1 };
		res.setHeader('Content-Length', String(end - start + 1));
		if (range) res.setHeader('Content-Range', `bytes ${start}-${end}/${file.size}`);
		res.writeHead(range ? 206 : 200);
		if (req.method === 'HEAD' || end < start) {
			res.end();
			return;
		}
		const faults = bodyFaults?.();
		const meter = meters.get(res);
		streaming = true;
		if (faults || meter) {
			await sendTapped(handle, res, start, end, faults, meter);
			return;
		}
		const stream = handle.createReadStream({ start, end, autoClose: true });
		await pipeline(stream, res).catch(ignoreClientGone(res));
	} finally {
		if (!streaming) await handle.close();
	}
}

// A client that goes away mid-download rejects the pipeline; that is normal, not a server error.
function ignoreClientGone(res: ServerResponse): (error: unknown) => void {
	return (error) => {
		if (!res.destroyed && !res.writableFinished) throw error;
	};
}

/** Streams bytes start..end (inclusive) through the meter and the faults; takes over closing the handle. */
async function sendTapped(
	handle: FileHandle,
	res: ServerResponse,
	start: number,
	end: number,
	faults: BodyFaults | undefined,
	meter: BodyMeter | undefined
): Promise<void> {
	const cutAfter = faults?.cutAfter;
	const cut = cutAfter !== undefined && cutAfter < end - start + 1;
	const last = cut ? start + cutAfter - 1 : end;
	if (last >= start) {
		const flip = faults?.flip.filter((offset) => offset >= start && offset <= last) ?? [];
		let position = start;
		const tap = new Transform({
			transform(chunk: Buffer, _encoding, callback) {
				const chunkStart = position;
				position += chunk.length;
				const inside = flip.filter((offset) => offset < position && offset >= chunkStart);
				const out = inside.length > 0 ? Buffer.from(chunk) : chunk;
				for (const offset of inside) out[offset - chunkStart] = (out[offset - chunkStart] ?? 0) ^ 0xff;
				if (meter) meter.bytes += out.length;
				callback(null, out);
			}
		});
		const stream = handle.createReadStream({ start, end: last, autoClose: true });
		await pipeline(stream, tap, cut ? unendedBody(res) : res).catch(ignoreClientGone(res));
	} else {
		await handle.close();
	}
	if (cut) {
		const stallMs = faults?.stallMs ?? 0;
		if (stallMs > 0) await new Promise((resolve) => setTimeout(resolve, stallMs));
		dropConnection(res);
	}
}

/** Forwards to the response without ending it, one chunk at a time. */
function unendedBody(res: ServerResponse): Writable {
	const sink = new Writable({
		write(chunk: Buffer, _encoding, callback) {
			res.write(chunk, (error) => callback(error ?? null));
		}
	});
	res.once('close', () => sink.destroy());
	return sink;
}

/**
 * Closes the connection the way a dropped one looks to the client: EOF before Content-Length is reached.
 * Ending the socket (rather than destroying it) first delivers what is still buffered, headers included when
 * no body byte was sent, so the client receives exactly the bytes before the cut.
 */
function dropConnection(res: ServerResponse): void {
	const socket = res.socket;
	if (!socket || socket.destroyed) {
		res.destroy();
		return;
	}
	res.flushHeaders();
	socket.end(() => socket.destroy());
}

function header(req: IncomingMessage, name: string): string | undefined {
	const value = req.headers[name];
	return Array.isArray(value) ? value.join(', ') : value;
}

const TEXT_EXTENSIONS = ['.txt', '.md', '.py', '.yaml', '.yml', '.jinja', '.csv', '.gitattributes'];

export function contentTypeOf(path: string): string {
	const lower = path.toLowerCase();
	if (lower.endsWith('.json')) return 'application/json; charset=utf-8';
	if (TEXT_EXTENSIONS.some((ext) => lower.endsWith(ext))) return 'text/plain; charset=utf-8';
	return 'application/octet-stream';
}

// HTTP plumbing shared by the hub and CDN origins: CORS on every response, JSON and error bodies, and
// streaming a file with ETag, conditional and Range handling.
import { open } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
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

function sendPreflight(req: IncomingMessage, res: ServerResponse): void {
	const requested = req.headers['access-control-request-headers'];
	res.setHeader('Access-Control-Allow-Methods', ALLOWED_METHODS);
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
	res.end(req.method === 'HEAD' ? undefined : text);
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

export async function sendFile(req: IncomingMessage, res: ServerResponse, file: ServedFile): Promise<void> {
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
		streaming = true;
		const stream = handle.createReadStream({ start, end, autoClose: true });
		// A client that goes away mid-download rejects the pipeline; that is normal, not a server error.
		await pipeline(stream, res).catch((error: unknown) => {
			if (!res.destroyed && !res.writableFinished) throw error;
		});
	} finally {
		if (!streaming) await handle.close();
	}
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

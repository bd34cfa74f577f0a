// A local stand-in for huggingface.co: serves every DIR/ORG/NAME folder through the hub's resolve and
// /api/models endpoints, with LFS files redirected to a second, CDN-like origin, as transformers.js expects.
// Both origins can share a HubFaults, which logs their requests and injects the faults tests ask for.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { realpath, stat } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import {
	QueryError,
	encodeCursor,
	type ModelInfo,
	type ModelQuery,
	matchesQuery,
	modelInfo,
	parseModelQuery,
	sortModels,
	treeEntries
} from './api.ts';
import { CONTROL_PREFIX, createControlHandler } from './control.ts';
import { HubFaults, type HubControls, type HubOrigin } from './faults.ts';
import {
	contentTypeOf,
	dispatch,
	sendError,
	sendFile,
	sendJson,
	sendNotFound,
	type BodyFaults,
	type HubRequestHandler
} from './http.ts';
import { RepoStore, isInside, type RepoFile, type RepoSnapshot } from './repo.ts';

export type { HubRequestHandler } from './http.ts';

export interface HubHandlerOptions {
	dir: string;
	/** Prefix (absolute or root-relative) that LFS redirects point at; a function picks one per request. */
	cdnBase: string | ((req: IncomingMessage) => string);
	/** Logs requests and injects faults; share one with the CDN handler. Without it nothing is recorded. */
	faults?: HubFaults;
}

export interface CdnHandlerOptions {
	dir: string;
	faults?: HubFaults;
}

export interface HubOptions {
	dir: string;
	port?: number;
	cdnPort?: number;
	host?: string;
	/** Serves the control API under /__control/ on the hub origin, for tests in another process. */
	control?: boolean;
}

export interface RunningHub {
	/** Hub root, ending in '/': what transformers.js takes as `env.remoteHost`. */
	url: string;
	cdnUrl: string;
	/** The fault switch and request log of both origins, whether or not the HTTP control API is on. */
	control: HubControls;
	close(): Promise<void>;
}

const IMMUTABLE = 'public, max-age=31536000, immutable';
const SHA256 = /^[0-9a-f]{64}$/;
const COMMIT = /^[0-9a-f]{40}$/;

interface Target {
	segments: string[];
	query: URLSearchParams;
}

function parseTarget(path: string): Target {
	const queryStart = path.indexOf('?');
	const pathname = queryStart === -1 ? path : path.slice(0, queryStart);
	const segments = pathname.split('/');
	if (segments[0] === '') segments.shift();
	return { segments, query: new URLSearchParams(queryStart === -1 ? '' : path.slice(queryStart + 1)) };
}

function decodeSegment(raw: string): string | undefined {
	try {
		return decodeURIComponent(raw);
	} catch {
		return undefined;
	}
}

/**
 * Joins URL segments into a repo file path, or undefined for anything that could step outside the repo.
 * Encoded slashes are refused too, so one file has exactly one URL.
 */
function filePathOf(rawSegments: string[]): string | undefined {
	const parts: string[] = [];
	for (const raw of rawSegments) {
		const part = decodeSegment(raw);
		if (part === undefined || part === '' || part === '.' || part === '..' || /[/\\\0]/.test(part)) {
			return undefined;
		}
		parts.push(part);
	}
	return parts.join('/');
}

function withoutTrailingEmpty(segments: string[]): string[] {
	return segments.length > 0 && segments[segments.length - 1] === '' ? segments.slice(0, -1) : segments;
}

export function createHubHandler(options: HubHandlerOptions): HubRequestHandler {
	const store = new RepoStore(options.dir);
	return tracked(options.faults, 'hub', (req, res, path) =>
		dispatch(req, res, () => routeHub(store, options, req, res, path))
	);
}

export function createCdnHandler(options: CdnHandlerOptions): HubRequestHandler {
	const store = new RepoStore(options.dir);
	return tracked(options.faults, 'cdn', (req, res, path) =>
		dispatch(req, res, () => routeCdn(store, options.faults, req, res, path))
	);
}

function tracked(
	faults: HubFaults | undefined,
	origin: HubOrigin,
	handler: HubRequestHandler
): HubRequestHandler {
	if (!faults) return handler;
	return (req, res, path) => {
		faults.track(origin, req, res);
		handler(req, res, path);
	};
}

/** The file a resolve or CDN URL names, as faults match it; undefined when the URL names none. */
interface FaultTarget {
	org: string;
	name: string;
	/** `org/name`, as faults name the repo. */
	repo: string;
	path: string;
}

function faultTargetOf(rawOrg: string, rawName: string, fileSegments: string[]): FaultTarget | undefined {
	const org = decodeSegment(rawOrg);
	const name = decodeSegment(rawName);
	const path = filePathOf(fileSegments);
	return org === undefined || name === undefined || path === undefined
		? undefined
		: { org, name, repo: `${org}/${name}`, path };
}

/**
 * Applies delay and status faults before the repo is even looked up, so a test can fail a file that does
 * not exist as well. True when the response has been sent (or the client left while we waited).
 */
async function injectRequestFaults(
	faults: HubFaults | undefined,
	target: FaultTarget | undefined,
	req: IncomingMessage,
	res: ServerResponse
): Promise<boolean> {
	if (!faults || !target) return false;
	const { delayMs, status } = faults.takeRequestFaults(target.repo, target.path);
	if (delayMs > 0) {
		await sleep(delayMs);
		// Going on would use up body faults for a response nobody will read.
		if (req.socket.destroyed) return true;
	}
	if (status === undefined) return false;
	sendError(req, res, status, `Injected fault: status ${status} for ${target.path}`);
	return true;
}

function bodyFaultsOf(
	faults: HubFaults | undefined,
	target: FaultTarget
): (() => BodyFaults | undefined) | undefined {
	return faults && (() => faults.takeBodyFaults(target.repo, target.path));
}

async function routeHub(
	store: RepoStore,
	options: HubHandlerOptions,
	req: IncomingMessage,
	res: ServerResponse,
	path: string
): Promise<void> {
	const { segments, query } = parseTarget(path);
	const [first, second, ...rest] = segments;
	if (first === 'api' && second === 'models') {
		const tail = withoutTrailingEmpty(rest);
		const [org, name, kind, revision, ...sub] = tail;
		if (org === undefined) return listModels(store, req, res, path, query);
		if (name === undefined) return sendNotFound(req, res);
		const truthy = (key: string): boolean => ['true', '1'].includes(query.get(key) ?? '');
		if (kind === undefined || (kind === 'revision' && revision !== undefined && sub.length === 0)) {
			const snap = await loadRepo(store, req, res, org, name, revision ?? 'main');
			if (snap) sendJson(req, res, 200, modelInfo(snap, { siblings: true, blobs: truthy('blobs') }));
			return;
		}
		if (kind === 'tree' && revision !== undefined) {
			const snap = await loadRepo(store, req, res, org, name, revision);
			if (!snap) return;
			const subpath = filePathOf(sub);
			const entries = subpath === undefined ? undefined : treeEntries(snap, subpath, truthy('recursive'));
			if (!entries) return sendError(req, res, 404, `Entry not found: ${sub.join('/')}`, 'EntryNotFound');
			return sendJson(req, res, 200, entries, { 'X-Repo-Commit': snap.commit });
		}
		return sendNotFound(req, res);
	}
	const [org, name, kind, revision, ...fileSegments] = segments;
	if (org !== undefined && name !== undefined && kind === 'resolve' && revision !== undefined) {
		const target = faultTargetOf(org, name, fileSegments);
		if (await injectRequestFaults(options.faults, target, req, res)) return;
		const snap = await loadRepo(store, req, res, org, name, revision);
		if (!snap) return;
		const filePath = filePathOf(fileSegments);
		const file = filePath === undefined ? undefined : snap.byPath.get(filePath);
		if (!file || !target || !(await stillInside(store, file))) {
			return sendError(req, res, 404, 'Entry not found', 'EntryNotFound');
		}
		// A commit-pinned URL can never change content (a new commit 404s it), so it may be cached forever.
		const cacheControl = decodeSegment(revision) === snap.commit ? IMMUTABLE : 'no-cache';
		if (file.lfs) return redirectToCdn(req, res, snap, file, cdnBaseFor(options, req), cacheControl);
		return sendFile(
			req,
			res,
			{
				absPath: file.absPath,
				size: file.size,
				mtimeMs: file.mtimeMs,
				etag: `"${file.blobOid}"`,
				contentType: contentTypeOf(file.path),
				cacheControl,
				headers: { 'X-Repo-Commit': snap.commit }
			},
			bodyFaultsOf(options.faults, target)
		);
	}
	sendNotFound(req, res);
}

async function routeCdn(
	store: RepoStore,
	faults: HubFaults | undefined,
	req: IncomingMessage,
	res: ServerResponse,
	path: string
): Promise<void> {
	const [first, org, name, sha, ...fileSegments] = parseTarget(path).segments;
	if (first !== 'repos' || org === undefined || name === undefined || sha === undefined) {
		return sendNotFound(req, res);
	}
	const target = faultTargetOf(org, name, fileSegments);
	if (target === undefined || !SHA256.test(sha)) return sendNotFound(req, res);
	if (await injectRequestFaults(faults, target, req, res)) return;
	const snap = await store.snapshot(target.org, target.name);
	const file = snap?.byPath.get(target.path);
	// Content-addressed: a URL whose hash no longer matches the file must not serve the new bytes.
	if (!file || file.sha256 !== sha || !(await stillInside(store, file))) return sendNotFound(req, res);
	return sendFile(
		req,
		res,
		{
			absPath: file.absPath,
			size: file.size,
			mtimeMs: file.mtimeMs,
			etag: `"${file.sha256}"`,
			contentType: contentTypeOf(file.path),
			cacheControl: IMMUTABLE,
			headers: {}
		},
		bodyFaultsOf(faults, target)
	);
}

/** Sends the 404 itself and returns undefined when the repo or revision does not exist. */
async function loadRepo(
	store: RepoStore,
	req: IncomingMessage,
	res: ServerResponse,
	rawOrg: string,
	rawName: string,
	rawRevision: string
): Promise<RepoSnapshot | undefined> {
	const org = decodeSegment(rawOrg);
	const name = decodeSegment(rawName);
	const snap = org === undefined || name === undefined ? undefined : await store.snapshot(org, name);
	if (!snap) {
		sendError(req, res, 404, 'Repository not found', 'RepoNotFound');
		return undefined;
	}
	const revision = decodeSegment(rawRevision) ?? rawRevision;
	if (revision !== 'main' && !(COMMIT.test(revision) && revision === snap.commit)) {
		sendError(req, res, 404, `Invalid rev id: ${revision}`, 'RevisionNotFound');
		return undefined;
	}
	return snap;
}

// The walk resolved real paths a moment ago; re-checking just before opening closes the window in which
// a folder could have been swapped for a symlink pointing elsewhere.
async function stillInside(store: RepoStore, file: RepoFile): Promise<boolean> {
	const current = await realpath(file.absPath).catch(() => undefined);
	return current === file.absPath && isInside(await store.root(), current);
}

function redirectToCdn(
	req: IncomingMessage,
	res: ServerResponse,
	snap: RepoSnapshot,
	file: RepoFile,
	cdnBase: string,
	cacheControl: string
): void {
	const encodedPath = file.path.split('/').map(encodeURIComponent).join('/');
	const base = cdnBase.endsWith('/') ? cdnBase : `${cdnBase}/`;
	res.setHeader('Location', `${base}repos/${snap.org}/${snap.name}/${file.sha256}/${encodedPath}`);
	res.setHeader('ETag', `"${file.sha256}"`);
	res.setHeader('X-Linked-Etag', `"${file.sha256}"`);
	res.setHeader('X-Linked-Size', String(file.size));
	res.setHeader('X-Repo-Commit', snap.commit);
	res.setHeader('Cache-Control', cacheControl);
	res.setHeader('Content-Length', '0');
	res.writeHead(302);
	res.end();
}

function cdnBaseFor(options: HubHandlerOptions, req: IncomingMessage): string {
	return typeof options.cdnBase === 'string' ? options.cdnBase : options.cdnBase(req);
}

async function listModels(
	store: RepoStore,
	req: IncomingMessage,
	res: ServerResponse,
	path: string,
	params: URLSearchParams
): Promise<void> {
	let query: ModelQuery;
	try {
		query = parseModelQuery(params);
	} catch (error) {
		if (error instanceof QueryError) return sendError(req, res, 400, error.message);
		throw error;
	}
	const infos: ModelInfo[] = [];
	for (const id of await store.listRepoIds()) {
		const [org = '', name = ''] = id.split('/');
		const snap = await store.snapshot(org, name);
		if (snap) infos.push(modelInfo(snap, { siblings: query.full, blobs: false }));
	}
	const matching = sortModels(
		infos.filter((info) => matchesQuery(info, query)),
		query
	);
	const end = query.offset + query.limit;
	const headers: Record<string, string> = {};
	if (end < matching.length) {
		const next = new URLSearchParams(params);
		next.set('cursor', encodeCursor(end));
		headers['Link'] = `<${externalRoot(req, path)}api/models?${next.toString()}>; rel="next"`;
	}
	sendJson(req, res, 200, matching.slice(query.offset, end), headers);
}

/**
 * Absolute URL of the hub root as the client sees it, including the prefix another server mounted us under,
 * because clients follow `Link` with `new URL()` or fetch and a relative one would resolve against the page.
 */
function externalRoot(req: IncomingMessage, path: string): string {
	const url = req.url ?? '/';
	const prefix = url.endsWith(path) ? url.slice(0, url.length - path.length).replace(/\/$/, '') : '';
	const forwarded = req.headers['x-forwarded-proto'];
	const encrypted = 'encrypted' in req.socket && req.socket.encrypted === true;
	const proto =
		typeof forwarded === 'string' ? (forwarded.split(',')[0] ?? '').trim() : encrypted ? 'https' : 'http';
	return `${proto}://${req.headers.host ?? 'localhost'}${prefix}/`;
}

export async function startHub(options: HubOptions): Promise<RunningHub> {
	const info = await stat(options.dir).catch(() => undefined);
	if (!info?.isDirectory()) throw new Error(`Hub directory not found: ${options.dir}`);
	const host = options.host ?? '127.0.0.1';

	const faults = new HubFaults();
	const cdnHandler = createCdnHandler({ dir: options.dir, faults });
	const cdn = createServer((req, res) => cdnHandler(req, res, req.url ?? '/'));
	const cdnPort = await listen(cdn, options.cdnPort ?? 0, host);
	const cdnUrl = originOf(host, cdnPort);

	// Bound to every interface, the CDN is reached under whatever host name the client used for the hub.
	const cdnBase = isWildcard(host)
		? (req: IncomingMessage) => `http://${hostnameOf(req)}:${cdnPort}/`
		: cdnUrl;
	const hubHandler = createHubHandler({ dir: options.dir, cdnBase, faults });
	// Control requests stay out of the log: a test polling it would otherwise keep finding itself there.
	const controlHandler = options.control ? createControlHandler(faults) : undefined;
	const hub = createServer((req, res) => {
		const url = req.url ?? '/';
		if (controlHandler && url.startsWith(CONTROL_PREFIX)) controlHandler(req, res, url);
		else hubHandler(req, res, url);
	});
	let hubPort: number;
	try {
		hubPort = await listen(hub, options.port ?? 0, host);
	} catch (error) {
		await closeServer(cdn);
		throw error;
	}
	return {
		url: originOf(host, hubPort),
		cdnUrl,
		control: faults,
		close: async () => {
			await Promise.all([closeServer(hub), closeServer(cdn)]);
		}
	};
}

function listen(server: Server, port: number, host: string): Promise<number> {
	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, host, () => {
			server.off('error', reject);
			const address = server.address();
			if (address !== null && typeof address === 'object') resolve(address.port);
			else reject(new Error('Server is not listening on a TCP port'));
		});
	});
}

function closeServer(server: Server): Promise<void> {
	return new Promise((resolve) => {
		// Keep-alive sockets (fetch keeps them) would otherwise hold close() open.
		server.closeAllConnections();
		server.close(() => resolve());
	});
}

function isWildcard(host: string): boolean {
	return host === '0.0.0.0' || host === '::' || host === '';
}

function originOf(host: string, port: number): string {
	const name = isWildcard(host) ? 'localhost' : host.includes(':') ? `[${host}]` : host;
	return `http://${name}:${port}/`;
}

function hostnameOf(req: IncomingMessage): string {
	try {
		return new URL(`http://${req.headers.host ?? 'localhost'}`).hostname;
	} catch {
		return 'localhost';
	}
}

// The server behind `npm start` (and the end-to-end tests): the built static app with the headers that make
// it cross-origin isolated, the bundled model mirror under /hub/ on the same origin, and the deployment's
// browserve.config.json written from HUB_URL. Nothing here is needed in production: any static host works.

import { readFile, realpath, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, resolve } from 'node:path';
import { createCdnHandler, createHubHandler } from '../hub/server.ts';
import { sendFile } from '../hub/http.ts';
import { isInside } from '../hub/repo.ts';
import { TASKS } from '../../src/lib/tasks/registry.ts';

export interface AppServerOptions {
	/** The adapter-static output. */
	buildDir: string;
	/** The bundled mirror (folders ORG/NAME). */
	hubDir: string;
	/** An HF-compatible hub to make the app's default instead of the bundled mirror. */
	hubUrl?: string;
	port?: number;
	host?: string;
	/**
	 * Send COOP/COEP (default). Off, the server behaves like a static host that cannot set headers, where the
	 * service worker has to add them.
	 */
	isolation?: boolean;
}

export interface RunningApp {
	url: string;
	close(): Promise<void>;
}

const HUB_PREFIX = '/hub/';
const CDN_PREFIX = '/hub-cdn/';

const CONTENT_TYPES: Record<string, string> = {
	'.html': 'text/html; charset=utf-8',
	'.js': 'text/javascript; charset=utf-8',
	'.mjs': 'text/javascript; charset=utf-8',
	'.css': 'text/css; charset=utf-8',
	'.json': 'application/json; charset=utf-8',
	'.webmanifest': 'application/manifest+json',
	'.wasm': 'application/wasm',
	'.svg': 'image/svg+xml',
	'.png': 'image/png',
	'.ico': 'image/x-icon',
	'.txt': 'text/plain; charset=utf-8'
};

/** The hubs the app tries, in order: HUB_URL first when given, and the bundled mirror always. */
export function deploymentConfig(hubUrl: string | undefined): object {
	const hubs = hubUrl ? [hubUrl, HUB_PREFIX] : [HUB_PREFIX, 'https://huggingface.co/'];
	// The bundled mirror holds a generated model for every task; they are the defaults whenever it is served.
	const defaultModels = Object.fromEntries(
		Object.entries(TASKS).map(([task, spec]) => [task, spec.defaultModels.bundled])
	);
	return { hubs, defaultModels };
}

function isolate(res: ServerResponse): void {
	// Cross-origin isolation gives SharedArrayBuffer, hence multithreaded WASM.
	res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
	res.setHeader('Cross-Origin-Embedder-Policy', 'require-corp');
	res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
	res.setHeader('X-Content-Type-Options', 'nosniff');
}

async function findFile(root: string, urlPath: string): Promise<string | null> {
	let decoded: string;
	try {
		decoded = decodeURIComponent(urlPath);
	} catch {
		return null;
	}
	if (decoded.includes('\0') || decoded.includes('\\')) return null;
	const candidates = [decoded, `${decoded}.html`, join(decoded, 'index.html')];
	for (const candidate of candidates) {
		const path = resolve(root, `.${candidate}`);
		try {
			const real = await realpath(path);
			if (!isInside(root, real)) continue;
			if ((await stat(real)).isFile()) return real;
		} catch {
			// not there: try the next form
		}
	}
	return null;
}

async function serveStatic(
	req: IncomingMessage,
	res: ServerResponse,
	root: string,
	urlPath: string,
	isolation: boolean
): Promise<void> {
	if (isolation) isolate(res);
	if (req.method !== 'GET' && req.method !== 'HEAD') {
		res.writeHead(405, { Allow: 'GET, HEAD' }).end();
		return;
	}
	let file = await findFile(root, urlPath);
	let status = 200;
	if (!file) {
		// Unknown paths get the app shell, which explains what is missing (with a real 404 status).
		file = join(root, '404.html');
		status = 404;
	}
	const info = await stat(file);
	const immutable = urlPath.startsWith('/_app/immutable/');
	if (status === 404) {
		res.writeHead(404, { 'Content-Type': CONTENT_TYPES['.html'], 'Cache-Control': 'no-cache' });
		res.end(req.method === 'HEAD' ? undefined : await readFile(file));
		return;
	}
	await sendFile(req, res, {
		absPath: file,
		size: info.size,
		mtimeMs: info.mtimeMs,
		etag: `"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"`,
		contentType: CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
		cacheControl: immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
		headers: {}
	});
}

export async function startAppServer(options: AppServerOptions): Promise<RunningApp> {
	const buildDir = await realpath(options.buildDir);
	const hubDir = await realpath(options.hubDir);
	const hub = createHubHandler({ dir: hubDir, cdnBase: CDN_PREFIX });
	const cdn = createCdnHandler({ dir: hubDir });
	const config = JSON.stringify(deploymentConfig(options.hubUrl), null, 2);

	// Share links carry their text in the query string; Node's default 16 KiB header limit would refuse long ones.
	const server = createServer({ maxHeaderSize: 256 * 1024 }, (req, res) => {
		const url = new URL(req.url ?? '/', 'http://localhost');
		const rest = req.url?.slice(url.pathname.length) ?? '';
		if (url.pathname.startsWith(HUB_PREFIX)) {
			hub(req, res, `/${url.pathname.slice(HUB_PREFIX.length)}${rest}`);
		} else if (url.pathname.startsWith(CDN_PREFIX)) {
			cdn(req, res, `/${url.pathname.slice(CDN_PREFIX.length)}${rest}`);
		} else if (url.pathname === '/browserve.config.json') {
			isolate(res);
			res.writeHead(200, { 'Content-Type': CONTENT_TYPES['.json'], 'Cache-Control': 'no-cache' });
			res.end(req.method === 'HEAD' ? undefined : config);
		} else {
			serveStatic(req, res, buildDir, url.pathname, options.isolation ?? true).catch(() => {
				if (!res.headersSent) res.writeHead(500).end('Internal server error');
				else res.destroy();
			});
		}
	});
	await new Promise<void>((done, fail) => {
		server.once('error', fail);
		server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => done());
	});
	const address = server.address() as AddressInfo;
	const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
	return {
		url: `http://${host}:${address.port}/`,
		close: () =>
			new Promise<void>((done) => {
				server.closeAllConnections();
				server.close(() => done());
			})
	};
}

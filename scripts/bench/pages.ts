// The bench pages' builds and server: small Vite builds of scripts/bench/page (its worker bundles the app's
// ModelStore, StoreBridge and transformers.js, exactly as the app's worker does) and scripts/bench/runtime-page
// (the app's WorkerPool and inference worker), each rebuilt only when its sources change, and served with the
// headers that make a page cross-origin isolated (threaded WASM).

import { mkdir, readdir, realpath, stat, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, resolve } from 'node:path';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { build } from 'vite';
import { sendFile } from '../hub/http.ts';
import { isInside } from '../hub/repo.ts';

export const REPO_ROOT = resolve(import.meta.dirname, '../..');

/** A bench page: a folder under scripts/bench with an index.html, built on its own. */
export interface BenchPageSpec {
	/** The folder under scripts/bench. */
	dir: string;
	/** Sources outside it and src/lib that the bundle is made of (a change makes the build stale). */
	extraSources?: readonly string[];
	/** Compile Svelte (runes in *.svelte.ts modules): the runtime page bundles the app's WorkerPool. */
	svelte?: boolean;
}

/** The store benchmark's page: a worker running the app's ModelStore, StoreBridge and transformers.js. */
export const STORE_PAGE: BenchPageSpec = { dir: 'page' };

/**
 * The runtime benchmark's page: the app's WorkerPool and workers/inference.worker.ts, next to bare ONNX
 * Runtime and transformers.js workers.
 */
export const RUNTIME_PAGE: BenchPageSpec = {
	dir: 'runtime-page',
	extraSources: [join(REPO_ROOT, 'workers')],
	svelte: true
};

const STAMP = '.built';

async function newestMtime(path: string): Promise<number> {
	const info = await stat(path).catch(() => null);
	if (!info) return 0;
	if (!info.isDirectory()) return info.mtimeMs;
	const entries = await readdir(path);
	const times = await Promise.all(entries.map((entry) => newestMtime(join(path, entry))));
	return Math.max(info.mtimeMs, ...times);
}

/** Builds a bench page into `outDir` unless a build newer than every source is already there. */
export async function ensurePageBuild(
	outDir: string,
	log: (line: string) => void,
	page: BenchPageSpec = STORE_PAGE
): Promise<void> {
	const pageDir = join(REPO_ROOT, 'scripts/bench', page.dir);
	// Everything the page bundle is made of: a change to any of them makes the build stale.
	const sources = [
		pageDir,
		join(REPO_ROOT, 'src/lib'),
		join(REPO_ROOT, 'package-lock.json'),
		import.meta.filename,
		...(page.extraSources ?? [])
	];
	const built = (await stat(join(outDir, STAMP)).catch(() => null))?.mtimeMs ?? 0;
	const newest = Math.max(...(await Promise.all(sources.map(newestMtime))));
	if (built > newest) return;
	log(`Building scripts/bench/${page.dir} (its sources changed since the last build)…`);
	// Svelte's plugin only where a page needs it: the store page builds without it, as before.
	const plugins = page.svelte ? [svelte({ configFile: false })] : [];
	await build({
		configFile: false,
		root: pageDir,
		base: './',
		logLevel: 'warn',
		plugins,
		resolve: { alias: { $lib: join(REPO_ROOT, 'src/lib') } },
		worker: { format: 'es', plugins: () => (page.svelte ? [svelte({ configFile: false })] : []) },
		build: {
			outDir,
			emptyOutDir: true,
			target: 'es2022',
			reportCompressedSize: false,
			// transformers.js and ORT's glue are large by nature; the warning would only be noise here.
			chunkSizeWarningLimit: 100_000
		}
	});
	await mkdir(outDir, { recursive: true });
	await writeFile(join(outDir, STAMP), new Date().toISOString());
}

const CONTENT_TYPES: Record<string, string> = {
	'.html': 'text/html; charset=utf-8',
	'.js': 'text/javascript; charset=utf-8',
	'.mjs': 'text/javascript; charset=utf-8',
	'.wasm': 'application/wasm',
	'.onnx': 'application/octet-stream'
};

export interface PageServer {
	url: string;
	close(): Promise<void>;
}

async function serve(req: IncomingMessage, res: ServerResponse, root: string): Promise<void> {
	// Cross-origin isolation gives SharedArrayBuffer, hence ORT's threads, as `npm start` gives the app.
	res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
	res.setHeader('Cross-Origin-Embedder-Policy', 'require-corp');
	res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
	const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
	const path = resolve(root, `.${pathname === '/' ? '/index.html' : pathname}`);
	const real = await realpath(path).catch(() => null);
	const info = real && isInside(root, real) ? await stat(real) : null;
	if (!real || !info?.isFile()) {
		res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found');
		return;
	}
	await sendFile(req, res, {
		absPath: real,
		size: info.size,
		mtimeMs: info.mtimeMs,
		etag: `"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"`,
		contentType: CONTENT_TYPES[extname(real)] ?? 'application/octet-stream',
		cacheControl: 'no-cache',
		headers: {}
	});
}

export async function startPageServer(dir: string): Promise<PageServer> {
	const root = await realpath(dir);
	const server = createServer((req, res) => {
		serve(req, res, root).catch(() => {
			if (!res.headersSent) res.writeHead(500).end('Internal server error');
			else res.destroy();
		});
	});
	await new Promise<void>((done, fail) => {
		server.once('error', fail);
		server.listen(0, '127.0.0.1', () => done());
	});
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}/`,
		close: () =>
			new Promise<void>((done) => {
				server.closeAllConnections();
				server.close(() => done());
			})
	};
}

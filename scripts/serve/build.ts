// Builds the app only when its sources are newer than the last build, so `npm start` and `npm test` are
// quick the second time and never serve a stale build.

import { spawn } from 'node:child_process';
import { mkdir, readdir, readFile, rmdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export const ROOT = new URL('../../', import.meta.url).pathname.replace(/\/$/, '');
export const BUILD_DIR = join(ROOT, 'build');
export const HUB_DIR = join(ROOT, '.hub');

const SOURCES = ['src', 'workers', 'static', 'svelte.config.js', 'vite.config.ts', 'package-lock.json'];

async function newestMtime(path: string): Promise<number> {
	let info;
	try {
		info = await stat(path);
	} catch {
		return 0;
	}
	if (!info.isDirectory()) return info.mtimeMs;
	const entries = await readdir(path);
	const times = await Promise.all(entries.map((entry) => newestMtime(join(path, entry))));
	return Math.max(info.mtimeMs, ...times);
}

/** The newest source time a build saw when it started: edits made while it ran are newer, so they rebuild. */
const SOURCES_STAMP = join(BUILD_DIR, '.sources-mtime');

async function newestSourceMtime(): Promise<number> {
	const sources = await Promise.all(SOURCES.map((source) => newestMtime(join(ROOT, source))));
	return Math.max(...sources);
}

export async function buildIsStale(): Promise<boolean> {
	const built = await stat(join(BUILD_DIR, 'index.html')).then(
		() => readFile(SOURCES_STAMP, 'utf8').then(Number, () => 0),
		() => 0
	);
	if (!built) return true;
	return (await newestSourceMtime()) > built;
}

export function run(command: string, args: string[]): Promise<void> {
	return new Promise((done, fail) => {
		const child = spawn(command, args, { cwd: ROOT, stdio: 'inherit' });
		child.once('error', fail);
		child.once('exit', (code, signal) =>
			code === 0
				? done()
				: fail(new Error(`${command} ${args.join(' ')} failed (${signal ?? `exit ${code}`})`))
		);
	});
}

const BUILD_LOCK = join(ROOT, '.svelte-kit', 'build.lock');
const STALE_LOCK_MS = 10 * 60_000;

/** Holds a directory lock while `work` runs, so two test runs on one checkout never build into it at once. */
async function withBuildLock<T>(work: () => Promise<T>): Promise<T> {
	await mkdir(join(ROOT, '.svelte-kit'), { recursive: true });
	for (;;) {
		try {
			await mkdir(BUILD_LOCK);
			break;
		} catch {
			// A lock left by a killed build must not block every later run.
			const held = await stat(BUILD_LOCK).then(
				(info) => Date.now() - info.mtimeMs,
				() => 0
			);
			if (held > STALE_LOCK_MS) await rmdir(BUILD_LOCK).catch(() => undefined);
			await new Promise((wake) => setTimeout(wake, 500));
		}
	}
	try {
		return await work();
	} finally {
		await rmdir(BUILD_LOCK).catch(() => undefined);
	}
}

export async function ensureBuild(log: (line: string) => void = console.log): Promise<void> {
	if (!(await buildIsStale())) return;
	await withBuildLock(async () => {
		// Another run may have built while this one waited for the lock.
		if (!(await buildIsStale())) return;
		log('Building the app (sources changed since the last build)…');
		const sources = await newestSourceMtime();
		await run(join(ROOT, 'node_modules/.bin/vite'), ['build', '--logLevel', 'warn']);
		await writeFile(SOURCES_STAMP, String(sources));
	});
}

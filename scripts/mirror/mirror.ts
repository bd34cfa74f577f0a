// The mirror tool's core: for each model, resolve the revision to a commit on the upstream hub (with the
// app's HubClient), pick the files the app would load (select.ts), download each into DIR/ORG/NAME/ (the
// layout the hub server serves) checking its sha256 (or git blob oid) before it is kept, and record it all
// in DIR/browserve-mirror.json: the static index the app reads when a host has no hub API.

import { createHash } from 'node:crypto';
import { mkdir, open, readFile, readdir, rename, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import type { Dtype } from '../../src/lib/runtime/backend.ts';
import { HubClient, hubBaseUrl } from '../../src/lib/hub/client.ts';
import {
	MIRROR_INDEX_FILE,
	MIRROR_INDEX_FORMAT,
	parseMirrorIndex,
	type MirroredFile,
	type MirroredModel,
	type MirrorIndex
} from '../../src/lib/hub/static-index.ts';
import type { RemoteFile } from '../../src/lib/store/types.ts';
import type { TaskId } from '../../src/lib/tasks/registry.ts';
import { selectMirrorFiles, tasksForPipelineTag } from './select.ts';

export interface MirrorRequest {
	model: string;
	revision: string;
}

export interface MirrorOptions {
	/** The upstream hub (huggingface.co, another mirror, the project's hub server). */
	from: string;
	out: string;
	/** Mirror only this dtype's weights (what the app picks when it is missing otherwise). */
	dtype?: Dtype;
	/** Mirror for this task instead of the tasks the model's pipeline tag fits. */
	task?: TaskId;
	log?: (line: string) => void;
	fetch?: typeof fetch;
}

/** A downloaded file did not match the hash the upstream listed: it was not kept. */
export class MirrorIntegrityError extends Error {
	override name = 'MirrorIntegrityError';
}

export class MirrorError extends Error {
	override name = 'MirrorError';
}

const READ_INDEX_LIMIT = 64 * 1024 * 1024;

/** Mirrors every model (one after the other) and returns the index written to DIR. */
export async function mirrorModels(
	requests: readonly MirrorRequest[],
	options: MirrorOptions
): Promise<MirrorIndex> {
	const log = options.log ?? (() => undefined);
	const fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));
	const from = hubBaseUrl(options.from, 'http://localhost/');
	const client = new HubClient([from], fetchImpl);
	await mkdir(options.out, { recursive: true });
	const index = await readIndex(options.out);
	for (const request of requests) {
		const resolved = await client.resolve(request.model, request.revision);
		const listed = await client.listFiles(resolved.hub, request.model, resolved.commit);
		const tasks = options.task ? [options.task] : tasksForPipelineTag(resolved.pipelineTag);
		if (tasks.length === 0) {
			throw new MirrorError(
				`${request.model} is tagged ${resolved.pipelineTag ?? 'with no pipeline'} on ${from}, which no Browserve task runs; pass --task TASK to say which task it is for.`
			);
		}
		const selection = selectMirrorFiles(request.model, tasks, listed, options.dtype);
		const total = selection.files.reduce((sum, file) => sum + file.size, 0);
		log(
			`${request.model}@${request.revision} → ${resolved.commit}: ${selection.files.length} files, ${total} bytes (${selection.dtypes.join(', ')}; for ${selection.tasks.join(', ')})`
		);
		const repoDir = join(options.out, ...request.model.split('/'));
		const files: MirroredFile[] = [];
		for (const file of selection.files) {
			files.push(await mirrorFile(repoDir, file, fetchImpl, log));
		}
		await removeOthers(repoDir, new Set(files.map((file) => file.path)));
		const entry: MirroredModel = {
			revision: request.revision,
			commit: resolved.commit,
			upstream: from,
			pipelineTag: resolved.pipelineTag,
			libraryName: resolved.libraryName,
			tags: resolved.tags,
			license: resolved.tags.find((tag) => tag.startsWith('license:'))?.slice('license:'.length) ?? null,
			files
		};
		index.models[request.model] = entry;
		// Written after each model, so an interrupted run still leaves an index for what it finished.
		await writeIndex(options.out, index);
	}
	return index;
}

async function readIndex(out: string): Promise<MirrorIndex> {
	const path = join(out, MIRROR_INDEX_FILE);
	const info = await stat(path).catch(() => null);
	if (!info) return { format: MIRROR_INDEX_FORMAT, models: {} };
	if (info.size > READ_INDEX_LIMIT) throw new MirrorError(`${path} is too large to be a mirror index.`);
	try {
		return parseMirrorIndex(JSON.parse(await readFile(path, 'utf8')), `${out}/`);
	} catch (error) {
		throw new MirrorError(
			`${path} exists but is not a mirror index (${error instanceof Error ? error.message : String(error)}); move it away or pick another --out.`
		);
	}
}

async function writeIndex(out: string, index: MirrorIndex): Promise<void> {
	const sorted = Object.fromEntries(Object.entries(index.models).sort(([a], [b]) => (a < b ? -1 : 1)));
	const path = join(out, MIRROR_INDEX_FILE);
	await writeFile(`${path}.tmp`, `${JSON.stringify({ ...index, models: sorted }, null, '\t')}\n`);
	await rename(`${path}.tmp`, path);
}

interface Hashes {
	sha256: string;
	gitOid: string;
}

/** Hashes a stored file; null when there is none. */
async function hashFile(path: string): Promise<Hashes | null> {
	const handle = await open(path, 'r').catch(() => null);
	if (!handle) return null;
	try {
		const { size } = await handle.stat();
		const sha256 = createHash('sha256');
		const sha1 = createHash('sha1').update(`blob ${size}\0`);
		for await (const chunk of handle.createReadStream()) {
			sha256.update(chunk as Buffer);
			sha1.update(chunk as Buffer);
		}
		return { sha256: sha256.digest('hex'), gitOid: sha1.digest('hex') };
	} finally {
		await handle.close();
	}
}

/** Whether the bytes are the ones the upstream listed: by sha256 where it gave one, else by git blob oid. */
function matches(file: RemoteFile, size: number, hashes: Hashes): boolean {
	if (size !== file.size) return false;
	if (file.sha256) return hashes.sha256 === file.sha256;
	if (file.gitOid) return hashes.gitOid === file.gitOid;
	// Nothing to check against: the size is all the upstream said.
	return true;
}

function mismatch(file: RemoteFile, size: number, hashes: Hashes): string {
	if (size !== file.size) return `${size} bytes, but the upstream lists ${file.size}`;
	return file.sha256
		? `sha256 ${hashes.sha256}, but the upstream lists ${file.sha256}`
		: `git blob oid ${hashes.gitOid}, but the upstream lists ${file.gitOid ?? 'none'}`;
}

async function mirrorFile(
	repoDir: string,
	file: RemoteFile,
	fetchImpl: typeof fetch,
	log: (line: string) => void
): Promise<MirroredFile> {
	const target = join(repoDir, ...file.path.split('/'));
	if (
		!relative(repoDir, target)
			.split(sep)
			.every((part) => part !== '..')
	)
		throw new MirrorError(`Refusing the file path ${file.path}: it leaves the model's folder.`);
	// Already there and still right (a rerun): nothing to fetch.
	const existing = await hashFile(target);
	const existingSize = await stat(target).then(
		(info) => info.size,
		() => -1
	);
	if (existing && matches(file, existingSize, existing)) {
		return { path: file.path, size: file.size, sha256: existing.sha256, gitOid: file.gitOid };
	}
	await mkdir(dirname(target), { recursive: true });
	const partial = `${target}.part`;
	const response = await fetchImpl(file.url, { redirect: 'follow' });
	if (!response.ok || !response.body) {
		throw new MirrorError(`Downloading ${file.url} failed: HTTP ${response.status}.`);
	}
	const sha256 = createHash('sha256');
	const sha1 = createHash('sha1').update(`blob ${file.size}\0`);
	let size = 0;
	const handle = await open(partial, 'w');
	try {
		for await (const chunk of response.body) {
			const bytes = chunk as Uint8Array;
			size += bytes.byteLength;
			sha256.update(bytes);
			sha1.update(bytes);
			await handle.write(bytes);
		}
	} finally {
		await handle.close();
	}
	const hashes = { sha256: sha256.digest('hex'), gitOid: sha1.digest('hex') };
	if (!matches(file, size, hashes)) {
		await rm(partial, { force: true });
		throw new MirrorIntegrityError(
			`${file.url} does not match its listing (${mismatch(file, size, hashes)}); it was not kept. The upstream file was changed or corrupted on the way.`
		);
	}
	await rename(partial, target);
	log(`  ${file.path} (${size} bytes, sha256 ${hashes.sha256.slice(0, 12)}…)`);
	return { path: file.path, size, sha256: hashes.sha256, gitOid: file.gitOid };
}

/** Deletes files a previous mirror of this model left that this one does not hold (and emptied folders). */
async function removeOthers(dir: string, keep: ReadonlySet<string>, prefix = ''): Promise<void> {
	const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
	for (const entry of entries) {
		const path = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
		const abs = join(dir, entry.name);
		if (entry.isDirectory()) {
			await removeOthers(abs, keep, path);
			await rmdir(abs).catch(() => undefined); // only succeeds when empty
		} else if (!keep.has(path)) {
			await rm(abs, { force: true });
		}
	}
}

// The static index a model mirror carries (browserve-mirror.json at the hub's root, written by
// `npm run mirror`): what the hub API would answer (the commit each model is at, its tags, every file with
// size and hashes), for hubs that are plain static file servers (nginx, python -m http.server, an object
// store, a CDN) with no API. Files then live at {hub}{org}/{name}/{path}, the layout the hub server reads.

import { HubUnavailableError } from '$lib/runtime/errors';
import type { RemoteFile } from '$lib/store/types';

export const MIRROR_INDEX_FILE = 'browserve-mirror.json';
export const MIRROR_INDEX_FORMAT = 1;

export interface MirroredFile {
	path: string;
	size: number;
	sha256: string;
	/** Git blob oid of non-LFS files, as the upstream tree listed it. */
	gitOid: string | null;
}

export interface MirroredModel {
	/** The revision asked for when mirroring (a branch, tag or commit). */
	revision: string;
	/** The upstream commit that revision pointed to. */
	commit: string;
	/** The hub it was mirrored from. */
	upstream: string;
	pipelineTag: string | null;
	libraryName: string | null;
	tags: string[];
	license: string | null;
	files: MirroredFile[];
}

export interface MirrorIndex {
	format: typeof MIRROR_INDEX_FORMAT;
	/** By model id (org/name). */
	models: Record<string, MirroredModel>;
}

const SHA256 = /^[0-9a-f]{64}$/;
const COMMIT = /^[0-9a-f]{40}$/;

function stringOrNull(value: unknown): string | null {
	return typeof value === 'string' ? value : null;
}

function parseFile(value: unknown): MirroredFile | null {
	if (typeof value !== 'object' || value === null) return null;
	const file = value as Record<string, unknown>;
	if (typeof file.path !== 'string' || file.path.split('/').some((part) => part === '..' || part === ''))
		return null;
	if (typeof file.size !== 'number' || !Number.isInteger(file.size) || file.size < 0) return null;
	if (typeof file.sha256 !== 'string' || !SHA256.test(file.sha256)) return null;
	const gitOid = typeof file.gitOid === 'string' && COMMIT.test(file.gitOid) ? file.gitOid : null;
	return { path: file.path, size: file.size, sha256: file.sha256, gitOid };
}

function parseModel(value: unknown): MirroredModel | null {
	if (typeof value !== 'object' || value === null) return null;
	const entry = value as Record<string, unknown>;
	if (typeof entry.commit !== 'string' || !COMMIT.test(entry.commit)) return null;
	if (!Array.isArray(entry.files)) return null;
	const files = entry.files.map(parseFile);
	// One bad file makes the whole model unusable: a load would miss it or fail its hash.
	if (files.some((file) => file === null)) return null;
	return {
		revision: typeof entry.revision === 'string' ? entry.revision : 'main',
		commit: entry.commit,
		upstream: typeof entry.upstream === 'string' ? entry.upstream : '',
		pipelineTag: stringOrNull(entry.pipelineTag),
		libraryName: stringOrNull(entry.libraryName),
		tags: Array.isArray(entry.tags) ? entry.tags.filter((tag): tag is string => typeof tag === 'string') : [],
		license: stringOrNull(entry.license),
		files: files as MirroredFile[]
	};
}

/** Parses browserve-mirror.json; models that do not parse are left out, a file that is no index throws. */
export function parseMirrorIndex(json: unknown, hub: string): MirrorIndex {
	if (typeof json !== 'object' || json === null || Array.isArray(json))
		throw new HubUnavailableError(`${hub}${MIRROR_INDEX_FILE} is not a mirror index.`, { hub });
	const raw = json as Record<string, unknown>;
	if (raw.format !== MIRROR_INDEX_FORMAT || typeof raw.models !== 'object' || raw.models === null)
		throw new HubUnavailableError(
			`${hub}${MIRROR_INDEX_FILE} is not a mirror index this app reads (format ${String(raw.format)}).`,
			{ hub }
		);
	const models: Record<string, MirroredModel> = {};
	for (const [id, value] of Object.entries(raw.models)) {
		const model = parseModel(value);
		if (model && /^[^/]+\/[^/]+$/.test(id)) models[id] = model;
	}
	return { format: MIRROR_INDEX_FORMAT, models };
}

/** The mirrored model when the index has it at that revision (the mirror's copy is its `main` too). */
export function findMirrored(index: MirrorIndex, model: string, revision: string): MirroredModel | null {
	const entry = index.models[model];
	if (!entry) return null;
	return revision === entry.revision || revision === entry.commit || revision === 'main' ? entry : null;
}

/** A file's URL on a static mirror: {hub}{org}/{name}/{path}, each segment encoded. */
export function staticFileUrl(hub: string, repo: string, path: string): string {
	return `${hub}${repo}/${path.split('/').map(encodeURIComponent).join('/')}`;
}

export function mirroredFiles(hub: string, repo: string, entry: MirroredModel): RemoteFile[] {
	return entry.files.map((file) => ({
		path: file.path,
		size: file.size,
		sha256: file.sha256,
		gitOid: file.gitOid,
		url: staticFileUrl(hub, repo, file.path)
	}));
}

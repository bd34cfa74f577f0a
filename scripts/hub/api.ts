// The JSON the hub API returns for a repo snapshot (model info, tree listing) and the search query over
// them, shaped like huggingface.co's /api/models responses.
import { createHash } from 'node:crypto';
import type { CardData } from './card.ts';
import type { ModelConfigSummary, RepoSnapshot } from './repo.ts';

export interface ModelSibling {
	rfilename: string;
	size?: number;
	blobId?: string;
	lfs?: { sha256: string; size: number; pointerSize: number };
}

export interface ModelInfo {
	_id: string;
	id: string;
	modelId: string;
	author: string;
	sha: string;
	pipeline_tag?: string;
	library_name?: string;
	tags: string[];
	siblings?: ModelSibling[];
	gated: false;
	private: false;
	disabled: false;
	downloads: 0;
	likes: 0;
	trendingScore: 0;
	lastModified: string;
	createdAt: string;
	cardData: CardData;
	config?: ModelConfigSummary;
	usedStorage: number;
}

export interface TreeEntry {
	type: 'file' | 'directory';
	oid: string;
	size: number;
	path: string;
	lfs?: { oid: string; size: number; pointerSize: number };
}

export function modelInfo(snap: RepoSnapshot, options: { siblings: boolean; blobs: boolean }): ModelInfo {
	const { card } = snap;
	const info: ModelInfo = {
		// HF ids are Mongo ObjectIds; a stable 24-hex digest of the repo id looks the same to clients.
		_id: createHash('sha1').update(snap.id).digest('hex').slice(0, 24),
		id: snap.id,
		modelId: snap.id,
		author: snap.org,
		sha: snap.commit,
		pipeline_tag: card.pipelineTag,
		library_name: card.libraryName,
		tags: modelTags(snap),
		gated: false,
		private: false,
		disabled: false,
		downloads: 0,
		likes: 0,
		trendingScore: 0,
		lastModified: snap.lastModified,
		createdAt: snap.lastModified,
		cardData: card.data,
		config: snap.config,
		usedStorage: snap.usedStorage
	};
	if (options.siblings) {
		info.siblings = snap.files.map((file) =>
			options.blobs
				? { rfilename: file.path, size: file.size, blobId: file.blobOid, lfs: file.lfs }
				: { rfilename: file.path }
		);
	}
	return info;
}

// HF folds the library, the task and the license into the tags, which is what `filter=` searches.
function modelTags(snap: RepoSnapshot): string[] {
	const { card } = snap;
	const tags = [card.libraryName, ...card.tags, card.pipelineTag, card.license && `license:${card.license}`];
	return [...new Set(tags.filter((tag): tag is string => typeof tag === 'string' && tag !== ''))];
}

/** Undefined when `subpath` is not a directory of the repo. Directories come first, like HF's listing. */
export function treeEntries(
	snap: RepoSnapshot,
	subpath: string,
	recursive: boolean
): TreeEntry[] | undefined {
	if (subpath !== '' && !snap.directories.has(subpath)) return undefined;
	const prefix = subpath === '' ? '' : `${subpath}/`;
	const wanted = (path: string): boolean =>
		path.startsWith(prefix) && (recursive || !path.slice(prefix.length).includes('/'));
	const directories: TreeEntry[] = [...snap.directories.values()]
		.filter((dir) => wanted(dir.path))
		.sort((a, b) => (a.path < b.path ? -1 : 1))
		.map((dir) => ({ type: 'directory', oid: dir.oid, size: 0, path: dir.path }));
	const files: TreeEntry[] = snap.files
		.filter((file) => wanted(file.path))
		.map((file) => {
			const entry: TreeEntry = { type: 'file', oid: file.blobOid, size: file.size, path: file.path };
			if (file.lfs)
				entry.lfs = { oid: file.lfs.sha256, size: file.lfs.size, pointerSize: file.lfs.pointerSize };
			return entry;
		});
	return [...directories, ...files];
}

const SORT_KEYS = {
	id: (info: ModelInfo) => info.id,
	modelId: (info: ModelInfo) => info.id,
	downloads: (info: ModelInfo) => info.downloads,
	likes: (info: ModelInfo) => info.likes,
	trendingScore: (info: ModelInfo) => info.trendingScore,
	trending_score: (info: ModelInfo) => info.trendingScore,
	lastModified: (info: ModelInfo) => info.lastModified,
	createdAt: (info: ModelInfo) => info.createdAt
} satisfies Record<string, (info: ModelInfo) => string | number>;
type SortKey = keyof typeof SORT_KEYS;

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 1000;

export interface ModelQuery {
	search: string | undefined;
	pipelineTag: string | undefined;
	author: string | undefined;
	/** Every one must match a tag or the library name. */
	filters: string[];
	sort: SortKey | undefined;
	direction: 1 | -1;
	limit: number;
	offset: number;
	full: boolean;
}

function isSortKey(value: string): value is SortKey {
	return Object.hasOwn(SORT_KEYS, value);
}

export class QueryError extends Error {
	override name = 'QueryError';
}

export function parseModelQuery(params: URLSearchParams): ModelQuery {
	const sort = nonEmpty(params.get('sort'));
	if (sort !== undefined && !isSortKey(sort)) throw new QueryError(`Invalid sort: ${sort}`);
	const direction = nonEmpty(params.get('direction'));
	if (direction !== undefined && direction !== '1' && direction !== '-1') {
		throw new QueryError(`Invalid direction: ${direction}`);
	}
	const limitText = nonEmpty(params.get('limit'));
	const limit = limitText === undefined ? DEFAULT_LIMIT : Number(limitText);
	if (!Number.isInteger(limit) || limit < 1) throw new QueryError(`Invalid limit: ${limitText}`);
	const cursor = nonEmpty(params.get('cursor'));
	return {
		search: nonEmpty(params.get('search'))?.toLowerCase(),
		pipelineTag: nonEmpty(params.get('pipeline_tag')),
		author: nonEmpty(params.get('author')),
		filters: params
			.getAll('filter')
			.flatMap((value) => value.split(','))
			.map((value) => value.trim())
			.filter((value) => value !== ''),
		sort,
		// HF sorts descending unless told otherwise.
		direction: direction === '1' ? 1 : -1,
		limit: Math.min(limit, MAX_LIMIT),
		offset: cursor === undefined ? 0 : decodeCursor(cursor),
		full: params.get('full') === 'true' || params.get('full') === '1'
	};
}

export function matchesQuery(info: ModelInfo, query: ModelQuery): boolean {
	if (query.search !== undefined && !info.id.toLowerCase().includes(query.search)) return false;
	if (query.pipelineTag !== undefined && info.pipeline_tag !== query.pipelineTag) return false;
	if (query.author !== undefined && info.author !== query.author) return false;
	return query.filters.every((filter) => info.tags.includes(filter) || info.library_name === filter);
}

/** Stable: ties keep id order, so pages never skip or repeat a model. */
export function sortModels(infos: ModelInfo[], query: ModelQuery): ModelInfo[] {
	const byId = [...infos].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
	if (query.sort === undefined) return byId;
	const key = SORT_KEYS[query.sort];
	return byId.sort((a, b) => {
		const left = key(a);
		const right = key(b);
		return left === right ? 0 : (left < right ? -1 : 1) * query.direction;
	});
}

// Opaque to clients, like HF's; it only has to survive a round trip through the Link header.
export function encodeCursor(offset: number): string {
	return Buffer.from(`offset:${offset}`).toString('base64url');
}

function decodeCursor(cursor: string): number {
	const match = /^offset:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
	if (!match) throw new QueryError('Invalid cursor');
	return Number(match[1]);
}

function nonEmpty(value: string | null): string | undefined {
	return value === null || value === '' ? undefined : value;
}

// Reads hub repos from disk: every DIR/ORG/NAME folder is one repo holding its files at revision `main`,
// described with the hashes, LFS split, commit and card metadata that the hub endpoints report.
import { createHash } from 'node:crypto';
import { createReadStream, type Dirent } from 'node:fs';
import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { parseCard, type RepoCard } from './card.ts';

/** Files this large go through LFS on huggingface.co whatever their extension. */
export const LFS_MIN_SIZE = 10 * 1024 * 1024;
const LFS_EXTENSIONS = ['.onnx', '.onnx_data', '.bin', '.safetensors'];

/** HF repo names are ASCII word characters, dots and dashes; this also rules out `.`, `..` and dotfolders. */
const REPO_SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;
const HASH_CONCURRENCY = 4;

export interface LfsInfo {
	sha256: string;
	size: number;
	/** Size of the pointer file git would store in place of the content. */
	pointerSize: number;
}

export interface RepoFile {
	/** Posix path relative to the repo root, as it appears in URLs. */
	path: string;
	/** Real path on disk, already checked to lie inside the hub directory. */
	absPath: string;
	size: number;
	mtimeMs: number;
	sha256: string;
	/** Git blob oid as HF reports it: of the bytes, or of the LFS pointer for LFS files. */
	blobOid: string;
	lfs: LfsInfo | undefined;
}

export interface RepoDirectory {
	path: string;
	/** Git tree oid of the directory, computed the way git would from the blob oids above. */
	oid: string;
}

export interface ModelConfigSummary {
	architectures?: string[];
	model_type?: string;
}

export interface RepoSnapshot {
	id: string;
	org: string;
	name: string;
	commit: string;
	/** Sorted by path. */
	files: RepoFile[];
	byPath: ReadonlyMap<string, RepoFile>;
	/** Every directory except the root, keyed by path. */
	directories: ReadonlyMap<string, RepoDirectory>;
	card: RepoCard;
	config: ModelConfigSummary | undefined;
	lastModified: string;
	usedStorage: number;
}

interface FileHashes {
	sha256: string;
	/** Undefined for LFS files, whose content oid nobody asks for. */
	contentOid: string | undefined;
}

interface CachedHashes {
	size: number;
	mtimeMs: number;
	lfs: boolean;
	hashes: Promise<FileHashes>;
}

// Keyed by real path and checked against size and mtime, so it is safe to share between stores and a
// repeated request for a multi-gigabyte model only pays for a stat.
const hashCache = new Map<string, CachedHashes>();

export function isRepoSegment(segment: string): boolean {
	return REPO_SEGMENT.test(segment);
}

export function isLfsPath(path: string, size: number): boolean {
	return size >= LFS_MIN_SIZE || LFS_EXTENSIONS.some((ext) => path.endsWith(ext));
}

export function lfsPointer(sha256: string, size: number): string {
	return `version https://git-lfs.github.com/spec/v1\noid sha256:${sha256}\nsize ${size}\n`;
}

export function gitBlobOid(content: Buffer): string {
	return createHash('sha1').update(`blob ${content.length}\0`).update(content).digest('hex');
}

export function isInside(root: string, target: string): boolean {
	return target === root || target.startsWith(root.endsWith(sep) ? root : root + sep);
}

export class RepoStore {
	readonly #dir: string;
	#root: Promise<string> | undefined;

	constructor(dir: string) {
		this.#dir = dir;
	}

	/** Real path of the hub directory; every served file must resolve inside it. */
	root(): Promise<string> {
		if (!this.#root) {
			const root = realpath(this.#dir);
			// Forget a failure, so a directory created after startup is picked up by the next request.
			root.catch(() => {
				if (this.#root === root) this.#root = undefined;
			});
			this.#root = root;
		}
		return this.#root;
	}

	async listRepoIds(): Promise<string[]> {
		const root = await this.root();
		const ids: string[] = [];
		for (const org of await readNames(root)) {
			if (!isRepoSegment(org)) continue;
			const orgDir = await this.#resolveDir(root, join(root, org));
			if (orgDir === undefined) continue;
			for (const name of await readNames(orgDir)) {
				if (isRepoSegment(name) && (await this.#repoDir(org, name)) !== undefined) ids.push(`${org}/${name}`);
			}
		}
		return ids.sort();
	}

	/** Undefined when no such repo exists (or its folder escapes the hub directory). */
	async snapshot(org: string, name: string): Promise<RepoSnapshot | undefined> {
		const repoDir = await this.#repoDir(org, name);
		if (repoDir === undefined) return undefined;
		const root = await this.root();
		const listed: ListedFile[] = [];
		await walk(root, repoDir, '', listed);
		listed.sort((a, b) => compareStrings(a.path, b.path));
		const files = await mapLimit(listed, HASH_CONCURRENCY, describeFile);
		const commit = commitOf(files);
		return {
			id: `${org}/${name}`,
			org,
			name,
			commit,
			files,
			byPath: new Map(files.map((file) => [file.path, file])),
			directories: directoriesOf(files),
			card: parseCard(await readSmallText(files, 'README.md')),
			config: parseConfig(await readSmallText(files, 'config.json')),
			lastModified: lastModifiedOf(commit),
			usedStorage: files.reduce((total, file) => total + file.size, 0)
		};
	}

	async #repoDir(org: string, name: string): Promise<string | undefined> {
		if (!isRepoSegment(org) || !isRepoSegment(name)) return undefined;
		const root = await this.root();
		return this.#resolveDir(root, join(root, org, name));
	}

	async #resolveDir(root: string, path: string): Promise<string | undefined> {
		try {
			const real = await realpath(path);
			if (!isInside(root, real)) return undefined;
			return (await stat(real)).isDirectory() ? real : undefined;
		} catch {
			return undefined;
		}
	}
}

interface ListedFile {
	path: string;
	absPath: string;
	size: number;
	mtimeMs: number;
}

async function readNames(dir: string): Promise<string[]> {
	try {
		return (await readdir(dir)).sort();
	} catch {
		return [];
	}
}

async function walk(root: string, dir: string, prefix: string, out: ListedFile[]): Promise<void> {
	let entries: Dirent[];
	try {
		entries = await readdir(dir, { withFileTypes: true });
	} catch {
		return;
	}
	for (const entry of entries) {
		const name = entry.name;
		// Dotfiles are local clutter (.git, .cache, .DS_Store); .gitattributes is part of every HF repo.
		if (name.startsWith('.') && name !== '.gitattributes') continue;
		// A backslash would make the URL path ambiguous on the way back in, so such files are not served.
		if (name.includes('\\')) continue;
		const abs = join(dir, name);
		const path = prefix === '' ? name : `${prefix}/${name}`;
		if (entry.isDirectory()) {
			await walk(root, abs, path, out);
		} else if (entry.isFile() || entry.isSymbolicLink()) {
			// Symlinks are followed only to files inside the hub directory; symlinked folders are skipped,
			// which also rules out cycles.
			const real = await realpath(abs).catch(() => undefined);
			if (real === undefined || !isInside(root, real)) continue;
			const info = await stat(real).catch(() => undefined);
			if (!info?.isFile()) continue;
			out.push({ path, absPath: real, size: info.size, mtimeMs: info.mtimeMs });
		}
	}
}

async function describeFile(file: ListedFile): Promise<RepoFile> {
	const lfs = isLfsPath(file.path, file.size);
	const { sha256, contentOid } = await hashesOf(file.absPath, file.size, file.mtimeMs, lfs);
	if (!lfs) return { ...file, sha256, blobOid: contentOid ?? '', lfs: undefined };
	const pointer = lfsPointer(sha256, file.size);
	return {
		...file,
		sha256,
		blobOid: gitBlobOid(Buffer.from(pointer)),
		lfs: { sha256, size: file.size, pointerSize: Buffer.byteLength(pointer) }
	};
}

function hashesOf(absPath: string, size: number, mtimeMs: number, lfs: boolean): Promise<FileHashes> {
	const cached = hashCache.get(absPath);
	if (cached && cached.size === size && cached.mtimeMs === mtimeMs && cached.lfs === lfs)
		return cached.hashes;
	const hashes = hashFile(absPath, size, lfs);
	hashCache.set(absPath, { size, mtimeMs, lfs, hashes });
	// A failed read must not poison the cache for the next request.
	hashes.catch(() => {
		if (hashCache.get(absPath)?.hashes === hashes) hashCache.delete(absPath);
	});
	return hashes;
}

function hashFile(absPath: string, size: number, lfs: boolean): Promise<FileHashes> {
	return new Promise((resolve, reject) => {
		const sha256 = createHash('sha256');
		const sha1 = lfs ? undefined : createHash('sha1').update(`blob ${size}\0`);
		let read = 0;
		const stream = createReadStream(absPath);
		stream.on('data', (chunk: Buffer | string) => {
			const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
			read += bytes.length;
			sha256.update(bytes);
			sha1?.update(bytes);
		});
		stream.on('error', reject);
		stream.on('end', () => {
			// The git header already committed to `size`; a file that changed under us would give a bogus oid.
			if (read !== size) reject(new Error(`${absPath} changed while it was being hashed`));
			else resolve({ sha256: sha256.digest('hex'), contentOid: sha1?.digest('hex') });
		});
	});
}

function commitOf(files: RepoFile[]): string {
	const hash = createHash('sha1');
	for (const file of files) hash.update(`${file.path}\0${file.blobOid}\n`);
	return hash.digest('hex');
}

// Derived from the commit rather than from mtimes, so the same content reports the same date wherever it is
// copied or checked out, and any change of content moves it. The date itself carries no meaning.
const LAST_MODIFIED_EPOCH = Date.UTC(2024, 0, 1);
const LAST_MODIFIED_SPAN_S = 2 * 365 * 24 * 3600;
function lastModifiedOf(commit: string): string {
	const offset = Number.parseInt(commit.slice(0, 8), 16) % LAST_MODIFIED_SPAN_S;
	return new Date(LAST_MODIFIED_EPOCH + offset * 1000).toISOString();
}

interface TreeNode {
	files: Map<string, string>;
	dirs: Map<string, TreeNode>;
}

function directoriesOf(files: RepoFile[]): Map<string, RepoDirectory> {
	const root: TreeNode = { files: new Map(), dirs: new Map() };
	for (const file of files) {
		const parts = file.path.split('/');
		const base = parts.pop() ?? '';
		let node = root;
		for (const part of parts) {
			let child = node.dirs.get(part);
			if (!child) {
				child = { files: new Map(), dirs: new Map() };
				node.dirs.set(part, child);
			}
			node = child;
		}
		node.files.set(base, file.blobOid);
	}
	const out = new Map<string, RepoDirectory>();
	treeOid(root, '', out);
	return out;
}

function treeOid(node: TreeNode, path: string, out: Map<string, RepoDirectory>): string {
	const entries: { sortKey: string; header: string; oid: string }[] = [];
	for (const [name, oid] of node.files) entries.push({ sortKey: name, header: `100644 ${name}\0`, oid });
	for (const [name, child] of node.dirs) {
		const childPath = path === '' ? name : `${path}/${name}`;
		const oid = treeOid(child, childPath, out);
		// Git orders a tree's entries as if directory names ended in '/'.
		entries.push({ sortKey: `${name}/`, header: `40000 ${name}\0`, oid });
	}
	entries.sort((a, b) => compareStrings(a.sortKey, b.sortKey));
	const body = Buffer.concat(
		entries.flatMap((entry) => [Buffer.from(entry.header), Buffer.from(entry.oid, 'hex')])
	);
	const oid = createHash('sha1').update(`tree ${body.length}\0`).update(body).digest('hex');
	if (path !== '') out.set(path, { path, oid });
	return oid;
}

async function readSmallText(files: RepoFile[], path: string): Promise<string> {
	const file = files.find((candidate) => candidate.path === path);
	if (!file || file.size > 1024 * 1024) return '';
	return readFile(file.absPath, 'utf8').catch(() => '');
}

function parseConfig(text: string): ModelConfigSummary | undefined {
	if (text === '') return undefined;
	let parsed: unknown;
	try {
		parsed = JSON.parse(text);
	} catch {
		return undefined;
	}
	if (typeof parsed !== 'object' || parsed === null) return undefined;
	const summary: ModelConfigSummary = {};
	const architectures: unknown = Reflect.get(parsed, 'architectures');
	if (Array.isArray(architectures) && architectures.every((item) => typeof item === 'string')) {
		summary.architectures = architectures;
	}
	const modelType: unknown = Reflect.get(parsed, 'model_type');
	if (typeof modelType === 'string') summary.model_type = modelType;
	return summary;
}

// Code-unit order, not locale order, so every machine computes the same commit.
function compareStrings(a: string, b: string): number {
	return a < b ? -1 : a > b ? 1 : 0;
}

async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
	const results = new Array<R>(items.length);
	// The workers share one iterator, so each item is taken exactly once.
	const queue = items.entries();
	const worker = async (): Promise<void> => {
		for (const [index, item] of queue) results[index] = await fn(item);
	};
	await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
	return results;
}

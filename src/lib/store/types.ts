// The records the on-device model store keeps (in IndexedDB) and the shapes of its API, shared by the
// store, its byte backends and whoever lists or loads stored models (the worker and the page).

/** Where a file's bytes live: OPFS files (fast, dedicated workers only) or IndexedDB chunks. */
export type ByteBackend = 'opfs' | 'idb';

/**
 * 'partial': some or none of the bytes are stored (a download can resume from `bytesStored`);
 * 'complete': every byte is stored and matched the published hash while downloading;
 * 'verified': re-hashed from storage later, on demand, and still matched.
 */
export type FileState = 'partial' | 'complete' | 'verified';

/** One file of one model at one commit, on one hub: the identity of stored bytes. */
export interface FileRef {
	hub: string;
	repo: string;
	commit: string;
	path: string;
}

/** What the hub says about a file: its size, its hashes (LFS sha256, git blob oid) and where to get it. */
export interface RemoteFile {
	path: string;
	size: number;
	sha256: string | null;
	gitOid: string | null;
	/** The hub's resolve URL, pinned to the commit. */
	url: string;
}

export interface FileRecord extends FileRef {
	/** sha-256 hex of the file's identity: names its OPFS file, its IndexedDB chunks and its Web Lock. */
	key: string;
	size: number;
	sha256: string | null;
	gitOid: string | null;
	/** The ETag of the response the stored bytes came from, sent back as If-Range when resuming. */
	etag: string | null;
	state: FileState;
	/** Bytes durably written, in order from the start; a resume asks for the rest. */
	bytesStored: number;
	firstUsed: number;
	lastUsed: number;
	verifiedAt: number | null;
	backend: ByteBackend;
}

/** Which commit a branch or tag meant when it was last resolved, so a stored model loads offline. */
export interface RefRecord {
	hub: string;
	repo: string;
	revision: string;
	commit: string;
	resolvedAt: number;
}

export interface ModelRecord {
	hub: string;
	repo: string;
	commit: string;
	task?: string;
	/** Paths of the files that make up the model. */
	files: string[];
	totalSize: number;
	firstUsed: number;
	lastUsed: number;
}

/** A model as a storage page shows it: its record joined with its files' records. */
export interface StoredModel {
	hub: string;
	repo: string;
	commit: string;
	task?: string;
	files: FileRecord[];
	/** Paths the model record lists that have no file record (never started, or removed). */
	missing: string[];
	totalSize: number;
	bytesStored: number;
	/** The weakest state among its files: 'partial' while any file is missing or partial. */
	state: FileState;
	firstUsed: number;
	lastUsed: number;
}

export interface DownloadOptions {
	/** Defaults to the global fetch. */
	fetch?: typeof fetch;
	signal?: AbortSignal;
	/** Bytes stored so far (the resumed prefix included) and the file size. */
	onProgress?: (loaded: number, total: number) => void;
	/** How many times a dropped connection is resumed before giving up; default 3. */
	retries?: number;
	/** The first retry's wait, doubled for each next one; default 250 ms. */
	retryDelayMs?: number;
}

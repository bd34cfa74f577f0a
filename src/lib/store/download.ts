// Downloading one file into a byte store: streamed straight to storage, resumable from whatever prefix is
// durably stored (Range + If-Range), retried when the connection drops, hashed as it arrives and checked
// against the hub's hash. The record is saved whenever more bytes become durable, so an error, a crash or
// a closed tab leaves a record that says exactly which prefix is safe to resume from.

import type { IHasher } from 'hash-wasm';
import { CancelledError, DownloadError, IntegrityError, StorageFullError } from '$lib/runtime/errors';
import { readBody } from './body-reader';
import { isQuotaError, type ByteStore } from './byte-store';
import { createFileHasher, describeHash, expectedHash, hashStoredPrefix } from './integrity';
import type { DownloadOptions, FileRecord, RemoteFile } from './types';

export interface DownloadContext {
	bytes: ByteStore;
	/** Bytes between durable points: a crash loses at most this much. */
	chunkSize: number;
	/** Block size when re-reading a stored prefix to hash it. */
	readBlockSize: number;
	save(record: FileRecord): Promise<void>;
}

const DEFAULT_RETRIES = 3;
const DEFAULT_RETRY_DELAY_MS = 250;

/** Hasher state after exactly `at` bytes, so a retry in the same call need not re-read the prefix. */
interface HashSnapshot {
	at: number;
	state: Uint8Array;
}

interface Transferred {
	record: FileRecord;
	digest: string | null;
	/** The body went on past the size the hub listed. */
	overflow: boolean;
}

type Failure = { source: 'network' | 'storage'; error: unknown };

export function cancelReason(signal: AbortSignal): unknown {
	return signal.reason ?? new CancelledError('The download was cancelled.');
}

function throwIfCancelled(signal: AbortSignal | undefined): void {
	if (signal?.aborted) throw cancelReason(signal);
}

/**
 * Downloads `remote` into the file `start` describes (resuming from its stored prefix) and returns the
 * record marked 'complete'. A hash mismatch discards the bytes and downloads once more from scratch.
 */
export async function downloadFile(
	context: DownloadContext,
	start: FileRecord,
	remote: RemoteFile,
	options: DownloadOptions
): Promise<FileRecord> {
	const expected = expectedHash(remote);
	let record = start;
	for (let attempt = 1; ; attempt++) {
		const result = await transfer(context, record, remote, options).catch((error: unknown) => {
			// The write path reports a full disk with what it kept; this catches the rest (saving a record).
			if (!isQuotaError(error)) throw error;
			throw new StorageFullError(
				`Storage is full: ${remote.path} could not be stored. Free some space (delete stored models) and try again.`,
				{ repo: record.repo, path: remote.path, size: remote.size }
			);
		});
		record = result.record;
		const problem = result.overflow
			? `the hub sent more than the ${remote.size} bytes it listed`
			: expected && result.digest !== expected.hex
				? `expected ${describeHash(expected)} ${expected.hex}, got ${result.digest}`
				: null;
		if (problem === null) {
			record = { ...record, state: 'complete', verifiedAt: null, lastUsed: Date.now() };
			await context.save(record);
			return record;
		}
		await context.bytes.delete(record.key);
		record = { ...record, state: 'partial', bytesStored: 0, etag: null };
		await context.save(record);
		if (attempt >= 2) {
			throw new IntegrityError(`${remote.path} from ${record.repo} is corrupt: ${problem}.`, {
				repo: record.repo,
				path: remote.path,
				expected: expected?.hex ?? '',
				actual: result.digest ?? ''
			});
		}
	}
}

async function transfer(
	context: DownloadContext,
	start: FileRecord,
	remote: RemoteFile,
	options: DownloadOptions
): Promise<Transferred> {
	const { signal, onProgress } = options;
	const fetchFile = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
	const retries = options.retries ?? DEFAULT_RETRIES;
	const retryDelayMs = options.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS;
	const expected = expectedHash(remote);
	let record = start;
	let failures = 0;
	let snapshot: HashSnapshot | null = null;

	const commit = async (bytesStored: number, changes: Partial<FileRecord> = {}): Promise<void> => {
		const next = { ...record, ...changes, bytesStored };
		if (next.bytesStored === record.bytesStored && next.etag === record.etag) return;
		await context.save(next);
		record = next;
	};

	const retryOrGiveUp = async (cause: unknown, what: string): Promise<void> => {
		failures++;
		if (failures > retries) {
			const error = new DownloadError(
				`Downloading ${remote.path} failed: ${what}. Gave up after ${retries} retries; ` +
					`${record.bytesStored} of ${remote.size} bytes are stored and the download can resume.`,
				{ repo: record.repo, path: remote.path, bytesStored: record.bytesStored, size: remote.size }
			);
			error.cause = cause;
			throw error;
		}
		await sleep(retryDelayMs * 2 ** (failures - 1), signal);
	};

	for (;;) {
		throwIfCancelled(signal);
		// What is really stored can be less than the record says (storage cleared underneath it), or more
		// (a crash between writing bytes and recording them): the smaller of the two is safe to resume from.
		const stored: number = Math.min(record.bytesStored, await context.bytes.size(record.key));
		await commit(stored);
		let hasher = await createFileHasher(expected, remote.size);
		if (hasher && stored > 0) {
			if (snapshot?.at === stored) hasher.load(snapshot.state);
			else await hashStoredPrefix(context.bytes, record.key, stored, hasher, context.readBlockSize, signal);
		}
		let hashed: number = stored;
		onProgress?.(stored, remote.size);
		if (stored >= remote.size) return { record, digest: finish(hasher), overflow: false };

		let response: Response;
		try {
			// no-store: the store keeps the bytes; a second copy in the HTTP cache would only double the disk used
			// (and Chromium's cache rewrites Range requests against partial entries it kept).
			response = await fetchFile(remote.url, {
				headers: rangeHeaders(stored, record.etag),
				signal,
				cache: 'no-store'
			});
		} catch (error) {
			throwIfCancelled(signal);
			await retryOrGiveUp(error, 'the hub could not be reached');
			continue;
		}

		let from: number;
		if (response.status === 206 && contentRangeStart(response) === stored) {
			from = stored;
		} else if (response.status === 200) {
			// The hub ignored the range, or If-Range told it the file changed: the stored prefix is useless.
			from = 0;
		} else {
			await response.body?.cancel().catch(() => undefined);
			if (response.status === 416) await commit(0, { etag: null });
			if (response.status === 206 || response.status === 416 || isRetryableStatus(response.status)) {
				await retryOrGiveUp(null, `the hub answered HTTP ${response.status}`);
				continue;
			}
			throw new DownloadError(
				`Downloading ${remote.path} failed: the hub answered HTTP ${response.status}.`,
				{
					repo: record.repo,
					path: remote.path,
					status: response.status
				}
			);
		}
		if (!response.body) {
			await retryOrGiveUp(null, 'the hub sent no body');
			continue;
		}
		const etag = response.headers.get('ETag');
		if (from === 0) {
			if (stored > 0) hasher = await createFileHasher(expected, remote.size);
			hashed = 0;
			await commit(0, { etag });
		} else if (record.etag === null && etag !== null) {
			await commit(stored, { etag });
		}

		const writer = await context.bytes.openWriter(record.key, from).catch(async (error: unknown) => {
			await response.body?.cancel().catch(() => undefined);
			throw error;
		});
		// One chunk-sized buffer for the whole body (where it is a byte stream): the pieces below are written and
		// hashed before the next read reuses it.
		const reader = readBody(response.body, context.chunkSize);
		const onAbort = (): void => void reader.cancel().catch(() => undefined);
		signal?.addEventListener('abort', onAbort, { once: true });
		let failure: Failure | null = null;
		let overflow = false;
		try {
			for (;;) {
				let chunk: Uint8Array | null;
				try {
					chunk = await reader.read();
				} catch (error) {
					failure = { source: 'network', error };
					break;
				}
				if (chunk === null || signal?.aborted) break;
				const room = remote.size - writer.position;
				overflow = chunk.length > room;
				const bytes = overflow ? chunk.subarray(0, room) : chunk;
				for (let at = 0; at < bytes.length;) {
					// Pieces end where the writer flushes, so the hasher has seen exactly the durable bytes there.
					const piece = bytes.subarray(at, at + context.chunkSize - (writer.position - writer.durable));
					await writer.write(piece);
					hasher?.update(piece);
					hashed += piece.length;
					at += piece.length;
					if (writer.durable === writer.position && writer.durable > record.bytesStored) {
						if (hasher) snapshot = { at: hashed, state: hasher.save() };
						await commit(writer.durable);
					}
					onProgress?.(writer.position, remote.size);
				}
				if (overflow) {
					await reader.cancel().catch(() => undefined);
					break;
				}
			}
		} catch (error) {
			failure = { source: 'storage', error };
		}
		signal?.removeEventListener('abort', onAbort);
		// Whatever happened, record the prefix that made it to storage so the next try resumes from there.
		try {
			await writer.flush();
			if (hasher && hashed === writer.durable) snapshot = { at: hashed, state: hasher.save() };
		} catch (error) {
			failure ??= { source: 'storage', error };
		}
		await writer.close().catch(() => undefined);
		try {
			await commit(writer.durable);
		} catch (error) {
			failure ??= { source: 'storage', error };
		}

		throwIfCancelled(signal);
		if (failure?.source === 'storage') {
			if (!isQuotaError(failure.error)) throw failure.error;
			throw new StorageFullError(
				`Storage is full: ${remote.path} stopped after ${record.bytesStored} of ${remote.size} bytes. ` +
					'Free some space (delete stored models) and download again to resume.',
				{ repo: record.repo, path: remote.path, bytesStored: record.bytesStored, size: remote.size }
			);
		}
		if (failure) {
			await retryOrGiveUp(failure.error, 'the connection dropped');
			continue;
		}
		if (overflow) return { record, digest: null, overflow: true };
		if (writer.position < remote.size) {
			await retryOrGiveUp(null, `the body ended after ${writer.position} of ${remote.size} bytes`);
			continue;
		}
		return { record, digest: finish(hasher), overflow: false };
	}
}

function finish(hasher: IHasher | null): string | null {
	return hasher ? hasher.digest('hex') : null;
}

function rangeHeaders(offset: number, etag: string | null): Record<string, string> {
	if (offset === 0) return {};
	// A weak ETag never matches If-Range, which would restart every resume; the hash check guards instead.
	return etag && !etag.startsWith('W/')
		? { Range: `bytes=${offset}-`, 'If-Range': etag }
		: { Range: `bytes=${offset}-` };
}

function contentRangeStart(response: Response): number | null {
	const match = /^bytes (\d+)-\d+\/(?:\d+|\*)$/i.exec(response.headers.get('Content-Range') ?? '');
	return match?.[1] === undefined ? null : Number(match[1]);
}

function isRetryableStatus(status: number): boolean {
	return status === 408 || status === 429 || status >= 500;
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
	return new Promise((resolve, reject) => {
		if (signal?.aborted) return reject(cancelReason(signal));
		const onAbort = (): void => {
			clearTimeout(timer);
			reject(cancelReason(signal as AbortSignal));
		};
		const timer = setTimeout(() => {
			signal?.removeEventListener('abort', onAbort);
			resolve();
		}, ms);
		signal?.addEventListener('abort', onAbort, { once: true });
	});
}

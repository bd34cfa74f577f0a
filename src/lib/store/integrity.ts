// Hashing stored and downloading files against what the hub published: the LFS SHA-256 where there is one,
// else the git blob SHA-1 (sha1 of "blob <size>\0" + bytes). hash-wasm hashes incrementally, which
// WebCrypto cannot, so a file is hashed as it streams in instead of being held whole in memory.

import { createSHA1, createSHA256, type IHasher } from 'hash-wasm';
import type { ByteStore } from './byte-store';
import type { RemoteFile } from './types';

export interface ExpectedHash {
	algorithm: 'sha256' | 'git-sha1';
	hex: string;
}

export function expectedHash(file: Pick<RemoteFile, 'sha256' | 'gitOid'>): ExpectedHash | null {
	if (file.sha256) return { algorithm: 'sha256', hex: file.sha256.toLowerCase() };
	if (file.gitOid) return { algorithm: 'git-sha1', hex: file.gitOid.toLowerCase() };
	return null;
}

/** A hasher primed for a file of `size` bytes, or null when nothing was published to compare with. */
export async function createFileHasher(expected: ExpectedHash | null, size: number): Promise<IHasher | null> {
	if (!expected) return null;
	if (expected.algorithm === 'sha256') return (await createSHA256()).init();
	const hasher = (await createSHA1()).init();
	return hasher.update(`blob ${size}\0`);
}

/** Feeds bytes [0, length) of a stored file through `hasher`, a block at a time. */
export async function hashStoredPrefix(
	bytes: ByteStore,
	key: string,
	length: number,
	hasher: IHasher,
	blockSize: number,
	signal?: AbortSignal
): Promise<void> {
	const block = new Uint8Array(Math.min(blockSize, Math.max(length, 1)));
	for (let offset = 0; offset < length;) {
		signal?.throwIfAborted();
		const want = Math.min(block.length, length - offset);
		const read = await bytes.readInto(key, block.subarray(0, want), offset);
		if (read < want) throw new RangeError(`Stored bytes end at ${offset + read}, expected ${length}.`);
		hasher.update(block.subarray(0, read));
		offset += read;
	}
}

export function describeHash(expected: ExpectedHash): string {
	return expected.algorithm === 'sha256' ? 'SHA-256' : 'git blob SHA-1';
}

// readBody: BYOB reads into one reused buffer where the body is a byte stream (as fetch bodies are), the
// default reader elsewhere, and the same bytes either way.

import { describe, expect, it } from 'vitest';
import { readBody } from './body-reader';
import { FakeHub, patternBytes } from './testing/fake-hub';

async function body(bytes: Uint8Array, byteStreams: boolean, pieceSize = 700): Promise<ReadableStream> {
	const hub = new FakeHub();
	hub.byteStreams = byteStreams;
	hub.pieceSize = pieceSize;
	hub.serve('https://hub.test/file', bytes);
	const response = await hub.fetch('https://hub.test/file');
	if (!response.body) throw new Error('no body');
	return response.body;
}

async function drain(reader: ReturnType<typeof readBody>): Promise<{ bytes: number[]; sizes: number[] }> {
	const bytes: number[] = [];
	const sizes: number[] = [];
	for (let piece = await reader.read(); piece !== null; piece = await reader.read()) {
		// Copied at once: the next read reuses the memory.
		bytes.push(...piece);
		sizes.push(piece.length);
	}
	return { bytes, sizes };
}

describe('readBody', () => {
	it('reads a byte stream with a BYOB reader into one buffer, never more than its size at a time', async () => {
		const bytes = patternBytes(5000);
		const reader = readBody(await body(bytes, true), 512);
		expect(reader.mode).toBe('byob');
		const { bytes: read, sizes } = await drain(reader);
		expect(read).toEqual([...bytes]);
		expect(Math.max(...sizes)).toBeLessThanOrEqual(512);
	});

	it('reuses the memory of the previous read', async () => {
		const reader = readBody(await body(patternBytes(3000), true), 1024);
		const first = await reader.read();
		expect(first?.buffer.byteLength).toBe(1024);
		await reader.read();
		// The buffer went back into the stream for the second read: the first view is detached, not garbage.
		expect(first?.byteLength).toBe(0);
	});

	it('falls back to the default reader for a plain stream', async () => {
		const bytes = patternBytes(3000);
		const reader = readBody(await body(bytes, false), 512);
		expect(reader.mode).toBe('default');
		const { bytes: read, sizes } = await drain(reader);
		expect(read).toEqual([...bytes]);
		expect(sizes[0]).toBe(700);
	});

	it('passes a dropped connection on as the error of the read', async () => {
		for (const byteStreams of [true, false]) {
			const hub = new FakeHub();
			hub.byteStreams = byteStreams;
			hub.serve('https://hub.test/file', patternBytes(3000));
			hub.dropAfter = [1400];
			const response = await hub.fetch('https://hub.test/file');
			const reader = readBody(response.body as ReadableStream<Uint8Array>, 4096);
			let received = 0;
			const error = await (async () => {
				for (let piece = await reader.read(); piece !== null; piece = await reader.read())
					received += piece.length;
			})().catch((e: unknown) => e);
			expect(error).toBeInstanceOf(TypeError);
			expect(received).toBe(1400);
		}
	});
});

// Reading a download's body. Fetch bodies are byte streams, and a BYOB reader reads them into one buffer that
// every read reuses, so a download holds about one chunk of body however fast it arrives. The default reader
// hands over a fresh allocation per read instead, and on a fast connection those pile up until the GC runs
// (about 28 chunks of 4 MiB for a 219 MB file, measured in Chromium). Bodies that are not byte streams (a
// plain ReadableStream, as specs build) are read with the default reader.

export interface BodyReader {
	readonly mode: 'byob' | 'default';
	/**
	 * The next bytes of the body, or null at its end. In 'byob' mode they live in the reused buffer: they are
	 * only valid until the next read, so whoever keeps them must copy them first.
	 */
	read(): Promise<Uint8Array | null>;
	cancel(): Promise<void>;
}

/** A reader for `body`: BYOB into a reused buffer of `bufferSize` bytes where the body allows it. */
export function readBody(body: ReadableStream<Uint8Array>, bufferSize: number): BodyReader {
	let byob: ReadableStreamBYOBReader;
	try {
		byob = body.getReader({ mode: 'byob' });
	} catch {
		// TypeError: not a byte stream.
		const reader = body.getReader();
		return {
			mode: 'default',
			read: async () => {
				const { done, value } = await reader.read();
				return done ? null : value;
			},
			cancel: () => reader.cancel()
		};
	}
	let buffer = new ArrayBuffer(bufferSize);
	return {
		mode: 'byob',
		read: async () => {
			for (;;) {
				// The read transfers the buffer into the stream and hands it back, filled, as value.buffer.
				const { done, value } = await byob.read(new Uint8Array(buffer));
				if (value) buffer = value.buffer;
				if (done) return null;
				if (value.byteLength > 0) return value;
			}
		},
		cancel: () => byob.cancel()
	};
}

import { describe, expect, it } from 'vitest';
import { transferablesOf } from './transfer';

describe('transferablesOf', () => {
	it('finds buffers and the buffers under typed arrays, once each', () => {
		const image = new Uint8Array(16);
		const audio = new Float32Array(8);
		const raw = new ArrayBuffer(4);
		const message = { kind: 'run', input: { image, audio, again: image, nested: [{ raw }] }, text: 'x' };
		const found = transferablesOf(message);
		expect(found).toHaveLength(3);
		expect(new Set(found)).toEqual(new Set([image.buffer, audio.buffer, raw]));
	});

	it('skips strings, numbers, empty and shared buffers', () => {
		expect(transferablesOf({ a: 'text', b: 3, c: null, d: new ArrayBuffer(0) })).toEqual([]);
		expect(transferablesOf({ shared: new Uint8Array(new SharedArrayBuffer(8)) })).toEqual([]);
	});

	it('finds message ports, which cannot be cloned, only transferred', () => {
		const { port1, port2 } = new MessageChannel();
		const audio = new Float32Array(4);
		expect(
			new Set(transferablesOf({ input: { live: { port: port2, samplingRate: 48_000 }, audio } }))
		).toEqual(new Set([port2, audio.buffer]));
		port1.close();
		port2.close();
	});

	it('survives cycles', () => {
		const a: Record<string, unknown> = { buffer: new ArrayBuffer(2) };
		a.self = a;
		expect(transferablesOf(a)).toHaveLength(1);
	});

	it('what it finds really transfers: the receiver gets the bytes, the sender is left detached', async () => {
		const bytes = new Uint8Array([1, 2, 3, 4]);
		const { port1, port2 } = new MessageChannel();
		const received = new Promise<Uint8Array>((resolve) => {
			port2.onmessage = (event: MessageEvent<{ bytes: Uint8Array }>) => resolve(event.data.bytes);
		});
		const message = { bytes };
		port1.postMessage(message, transferablesOf(message));
		expect(bytes.byteLength).toBe(0);
		expect([...(await received)]).toEqual([1, 2, 3, 4]);
		port1.close();
		port2.close();
	});
});

import { describe, expect, it } from 'vitest';
import { resultJson } from './result-json';

describe('resultJson', () => {
	it('summarises binary data by kind and size and keeps everything else', () => {
		const value = {
			width: 2,
			pixels: new ArrayBuffer(16),
			mask: new Uint8Array(4),
			samples: new Float32Array(3),
			view: new DataView(new ArrayBuffer(5)),
			nested: [{ audio: new Int16Array(7), label: 'a' }]
		};
		expect(JSON.parse(resultJson(value))).toEqual({
			width: 2,
			pixels: 'ArrayBuffer (16 bytes)',
			mask: 'Uint8Array (4 values)',
			samples: 'Float32Array (3 values)',
			view: 'DataView (5 bytes)',
			nested: [{ audio: 'Int16Array (7 values)', label: 'a' }]
		});
	});

	it('indents like JSON.stringify for plain values', () => {
		const plain = [{ label: 'POSITIVE', score: 0.9 }];
		expect(resultJson(plain)).toBe(JSON.stringify(plain, null, 2));
		expect(resultJson(undefined)).toBe('null');
	});

	it('summarises a Blob with its type', () => {
		expect(JSON.parse(resultJson({ png: new Blob(['abc'], { type: 'image/png' }) }))).toEqual({
			png: 'Blob (3 bytes, image/png)'
		});
	});
});

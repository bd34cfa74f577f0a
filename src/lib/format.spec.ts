import { describe, expect, it } from 'vitest';
import { formatBytes, formatMs } from './format';

describe('format', () => {
	it.each([
		[0, '0 B'],
		[1023, '1023 B'],
		[1536, '1.5 KB'],
		[27 * 1024 * 1024, '27 MB'],
		[3 * 1024 ** 3, '3.0 GB']
	])('formatBytes(%d) = %s', (bytes, text) => expect(formatBytes(bytes)).toBe(text));

	it.each([
		[0.25, '0.25 ms'],
		[12.4, '12 ms'],
		[1500, '1.50 s'],
		[65_000, '65.0 s']
	])('formatMs(%d) = %s', (ms, text) => expect(formatMs(ms)).toBe(text));
});

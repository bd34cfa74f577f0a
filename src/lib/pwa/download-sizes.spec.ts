// Remembered download sizes: kept per model and revision, bounded, never trusted when malformed; and the
// offline message, which gives the size when it is known and says so when it is not.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
	offlineModelMessage,
	parseSizeTable,
	rememberDownloadSize,
	rememberedDownloadSize,
	withSize
} from './download-sizes';

function memoryStorage(): Storage {
	const items = new Map<string, string>();
	return {
		get length() {
			return items.size;
		},
		clear: () => items.clear(),
		getItem: (key) => items.get(key) ?? null,
		key: (index) => [...items.keys()][index] ?? null,
		removeItem: (key) => void items.delete(key),
		setItem: (key, value) => void items.set(key, value)
	};
}

describe('remembered sizes', () => {
	it('are kept per model and revision', () => {
		const storage = memoryStorage();
		rememberDownloadSize('org/a', 'main', { bytes: 1234, files: 3, at: 1 }, storage);
		rememberDownloadSize('org/a', 'v2', { bytes: 99, files: 1, at: 2 }, storage);
		expect(rememberedDownloadSize('org/a', 'main', storage)).toEqual({ bytes: 1234, files: 3, at: 1 });
		expect(rememberedDownloadSize('org/a', 'v2', storage)?.bytes).toBe(99);
		expect(rememberedDownloadSize('org/b', 'main', storage)).toBeNull();
	});

	it('keep only the newest 200 entries', () => {
		let table = {};
		for (let i = 0; i < 250; i++) table = withSize(table, `org/m${i}`, 'main', { bytes: i, files: 1, at: i });
		const keys = Object.keys(table);
		expect(keys).toHaveLength(200);
		expect(keys).toContain('org/m249@main');
		expect(keys).not.toContain('org/m0@main');
	});

	it('drop malformed entries and never throw on garbage', () => {
		expect(
			parseSizeTable('{"a@main":{"bytes":5,"files":1,"at":1},"b@main":{"bytes":"5"},"c@main":null}')
		).toEqual({ 'a@main': { bytes: 5, files: 1, at: 1 } });
		expect(parseSizeTable('[1,2]')).toEqual({});
		fc.assert(fc.property(fc.string(), (raw) => typeof parseSizeTable(raw) === 'object'));
	});
});

describe('offlineModelMessage', () => {
	it('says a connection is needed and how big the download is, when known', () => {
		const message = offlineModelMessage('org/model', {
			bytes: 3 * 1024 * 1024,
			files: 4,
			at: Date.UTC(2026, 10, 1)
		});
		expect(message).toContain('You are offline, and org/model is not stored on this device');
		expect(message).toContain('needs a connection');
		expect(message).toContain('3.0 MB (4 files');
	});

	it('says the size is not known when this device never asked the hub', () => {
		const message = offlineModelMessage('org/model', null);
		expect(message).toContain('needs a connection');
		expect(message).toContain('size is not known offline');
	});
});

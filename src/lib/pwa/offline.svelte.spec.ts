// Offline readiness: a task runs offline when its default model, or a model stored for it, is complete on
// this device from a hub the deployment uses; and the online state follows the browser's events.
import { describe, expect, it } from 'vitest';
import type { StoredModel } from '$lib/store/types';
import { ConnectionStatus, OfflineTasks, offlineTasks } from './offline.svelte';

const HUB = 'http://app.test/hub/';

function stored(repo: string, changes: Partial<StoredModel> = {}): StoredModel {
	return {
		hub: HUB,
		repo,
		commit: 'a'.repeat(40),
		files: [],
		missing: [],
		totalSize: 10,
		bytesStored: 10,
		state: 'complete',
		firstUsed: 1,
		lastUsed: 1,
		...changes
	};
}

const defaults = (task: string) => `default/${task}`;

describe('offlineTasks', () => {
	it('counts a task whose default model is stored, whichever task stored it', () => {
		const ready = offlineTasks(
			['text-classification', 'summarization'],
			defaults,
			[stored('default/text-classification', { task: 'feature-extraction' })],
			[HUB]
		);
		expect([...ready]).toEqual([
			['text-classification', { model: 'default/text-classification', isDefault: true }]
		]);
	});

	it('else counts the most recently used model stored for the task', () => {
		const ready = offlineTasks(
			['summarization'],
			defaults,
			[
				stored('org/old', { task: 'summarization', lastUsed: 1 }),
				stored('org/new', { task: 'summarization', lastUsed: 5 })
			],
			[HUB]
		);
		expect(ready.get('summarization')).toEqual({ model: 'org/new', isDefault: false });
	});

	it('does not count partial copies, copies with files missing, or copies from hubs no longer used', () => {
		const ready = offlineTasks(
			['text-classification', 'summarization', 'translation'],
			defaults,
			[
				stored('default/text-classification', { state: 'partial' }),
				stored('default/summarization', { missing: ['onnx/model_quantized.onnx'] }),
				stored('default/translation', { hub: 'http://elsewhere.test/' })
			],
			[HUB]
		);
		expect(ready.size).toBe(0);
	});
});

describe('OfflineTasks', () => {
	it('reads the store with the deployment hubs made absolute, and closes it', async () => {
		let closed = false;
		const page = new OfflineTasks({
			hubs: ['/hub/'],
			defaultModels: { 'text-classification': 'browserve/tiny-sentiment' },
			problems: []
		});
		await page.refresh(
			async () => ({
				listModels: async () => [stored('browserve/tiny-sentiment')],
				close: () => void (closed = true)
			}),
			'http://app.test'
		);
		expect(page.loaded).toBe(true);
		expect(page.ready.get('text-classification')).toEqual({
			model: 'browserve/tiny-sentiment',
			isDefault: true
		});
		expect(closed).toBe(true);
	});

	it('claims nothing when the store cannot be opened', async () => {
		const page = new OfflineTasks({ hubs: ['/hub/'], defaultModels: {}, problems: [] });
		await page.refresh(() => Promise.reject(new Error('IndexedDB is off')), 'http://app.test');
		expect(page.loaded).toBe(true);
		expect(page.ready.size).toBe(0);
	});
});

describe('ConnectionStatus', () => {
	it('follows online and offline events until unwatched', () => {
		const target = new EventTarget();
		let onLine = true;
		const original = Object.getOwnPropertyDescriptor(globalThis, 'navigator');
		Object.defineProperty(globalThis, 'navigator', {
			configurable: true,
			value: {
				get onLine() {
					return onLine;
				}
			}
		});
		try {
			const connection = new ConnectionStatus();
			const unwatch = connection.watch(target as unknown as Window);
			onLine = false;
			target.dispatchEvent(new Event('offline'));
			expect(connection.online).toBe(false);
			onLine = true;
			target.dispatchEvent(new Event('online'));
			expect(connection.online).toBe(true);
			unwatch();
			onLine = false;
			target.dispatchEvent(new Event('offline'));
			expect(connection.online).toBe(true);
		} finally {
			if (original) Object.defineProperty(globalThis, 'navigator', original);
		}
	});
});

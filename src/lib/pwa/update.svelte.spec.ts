// The "new version" prompt: shown when a worker waits, takes the update only when the user accepts, waits
// for a busy pool to go idle first, and reloads once the new worker controls the page.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AppUpdate, type UpdateChannel } from './update.svelte';

type ControllingEvent = { isUpdate?: boolean; isExternal?: boolean };

class FakeWorkbox implements UpdateChannel {
	readonly listeners: Record<string, ((event: ControllingEvent) => void)[]> = {};
	skipWaiting = 0;
	/** What Workbox says when the accepted worker takes over: a page first loaded uncontrolled gets no isUpdate. */
	takeover: ControllingEvent = { isUpdate: true };
	addEventListener(type: string, listener: (event: ControllingEvent) => void): void {
		(this.listeners[type] ??= []).push(listener);
	}
	emit(type: 'waiting' | 'controlling', event: ControllingEvent = {}): void {
		for (const listener of this.listeners[type] ?? []) listener(event);
	}
	messageSkipWaiting(): void {
		this.skipWaiting++;
		// The new worker activates and claims the page, as Workbox's does after SKIP_WAITING.
		this.emit('controlling', this.takeover);
	}
}

let busy = false;
let reloads = 0;
let workbox: FakeWorkbox;
let update: AppUpdate;

beforeEach(() => {
	vi.useFakeTimers();
	busy = false;
	reloads = 0;
	workbox = new FakeWorkbox();
	update = new AppUpdate({ busy: () => busy, reload: () => reloads++, pollMs: 1000 });
	update.attach(workbox);
});
afterEach(() => vi.useRealTimers());

describe('AppUpdate', () => {
	it('says nothing until a new worker waits, then offers the reload without reloading', () => {
		expect(update.visible).toBe(false);
		workbox.emit('waiting');
		expect(update.status).toBe('available');
		expect(update.visible).toBe(true);
		vi.advanceTimersByTime(60_000);
		expect(reloads).toBe(0);
		expect(workbox.skipWaiting).toBe(0);
	});

	it('takes the update and reloads when the user accepts while idle', () => {
		workbox.emit('waiting');
		update.accept();
		expect(workbox.skipWaiting).toBe(1);
		expect(reloads).toBe(1);
		expect(update.status).toBe('reloading');
	});

	it('reloads when the accepted worker takes over, however Workbox labels it', () => {
		// The update was found by a later check (Workbox: "external"), on a page first loaded uncontrolled.
		workbox.takeover = { isUpdate: false, isExternal: true };
		workbox.emit('waiting');
		update.accept();
		expect(reloads).toBe(1);
	});

	it('waits for a download or run to end before taking the update', () => {
		workbox.emit('waiting');
		busy = true;
		update.accept();
		expect(update.status).toBe('deferred');
		vi.advanceTimersByTime(10_000);
		expect(workbox.skipWaiting).toBe(0);
		expect(reloads).toBe(0);
		busy = false;
		vi.advanceTimersByTime(1000);
		expect(workbox.skipWaiting).toBe(1);
		expect(reloads).toBe(1);
	});

	it('never reloads after the user dismissed a deferred update', () => {
		workbox.emit('waiting');
		busy = true;
		update.accept();
		update.dismiss();
		busy = false;
		vi.advanceTimersByTime(10_000);
		expect(reloads).toBe(0);
		expect(update.visible).toBe(false);
		// The next new version brings the prompt back.
		workbox.emit('waiting');
		expect(update.visible).toBe(true);
	});

	it('when another tab let the new version in, offers a plain reload here', () => {
		workbox.emit('controlling', { isUpdate: true });
		expect(update.status).toBe('available');
		expect(reloads).toBe(0);
		update.accept();
		expect(workbox.skipWaiting).toBe(0);
		expect(reloads).toBe(1);
	});

	it('ignores the first worker taking control (not an update)', () => {
		workbox.emit('controlling', { isUpdate: false, isExternal: false });
		expect(update.status).toBe('current');
		update.accept();
		expect(reloads).toBe(0);
	});
});

// Registers the service worker (Workbox's workbox-window). On a host that cannot send COOP/COEP, the page
// becomes cross-origin isolated (threads) only once the service worker serves it: reload once for that,
// but never while a model is downloading, loading or running. New versions wait for the user (update.svelte.ts).

import { Workbox } from 'workbox-window';

const RELOADED_KEY = 'browserve:isolation-reload';

export interface RegisterOptions {
	base: string;
	/** True while a download, load or run is under way: a reload then would lose it. */
	busy(): boolean;
	/** Called before registering, so no update event is missed (the "new version" prompt listens here). */
	attach?(workbox: Workbox): void;
}

/** A tab left open for days should still hear of new versions, not only on its next navigation. */
const UPDATE_CHECK_MS = 60 * 60 * 1000;

function coepMode(): 'credentialless' | 'require-corp' {
	// Chromium and Firefox support COEP credentialless (cross-origin images load without CORP headers).
	return typeof HTMLIFrameElement !== 'undefined' && 'credentialless' in HTMLIFrameElement.prototype
		? 'credentialless'
		: 'require-corp';
}

function reloadWhenIdle(busy: () => boolean): void {
	if (busy()) {
		setTimeout(() => reloadWhenIdle(busy), 1000);
		return;
	}
	sessionStorage.setItem(RELOADED_KEY, '1');
	location.reload();
}

export async function registerServiceWorker(options: RegisterOptions): Promise<Workbox | null> {
	if (!('serviceWorker' in navigator)) return null;
	const workbox = new Workbox(`${options.base}/service-worker.js?coep=${coepMode()}`, {
		scope: `${options.base}/`
	});
	workbox.addEventListener('controlling', () => {
		// Now served with COOP/COEP by the service worker: one reload makes the page isolated.
		if (!crossOriginIsolated && !sessionStorage.getItem(RELOADED_KEY)) reloadWhenIdle(options.busy);
	});
	options.attach?.(workbox);
	try {
		await workbox.register();
	} catch (error) {
		// Private windows and some embedded browsers refuse service workers; the app still works online.
		console.warn('The service worker could not be registered:', error);
		return null;
	}
	if (!crossOriginIsolated && navigator.serviceWorker.controller && !sessionStorage.getItem(RELOADED_KEY)) {
		reloadWhenIdle(options.busy);
	}
	setInterval(() => void workbox.update().catch(() => undefined), UPDATE_CHECK_MS);
	return workbox;
}

// State of the "new version" prompt. A new service worker waits until the user accepts; then, as soon as
// nothing is downloading or running, it takes over and the page reloads into the new version. Stored models
// live in the model store (IndexedDB/OPFS), which no update touches, so they are all there afterwards.

/** What the prompt needs of workbox-window's Workbox (a fake in specs). */
export interface UpdateChannel {
	addEventListener(type: 'waiting', listener: () => void): void;
	addEventListener(
		type: 'controlling',
		listener: (event: { isUpdate?: boolean; isExternal?: boolean }) => void
	): void;
	messageSkipWaiting(): void;
}

/**
 * 'current': nothing to say; 'available': a new version waits for the user; 'deferred': the user accepted
 * while a download or run was going on, so it waits for that to end; 'reloading': the new version is taking
 * over and the page reloads when it has.
 */
export type UpdateStatus = 'current' | 'available' | 'deferred' | 'reloading';

export interface AppUpdateOptions {
	/** True while a download, load or run is under way. */
	busy(): boolean;
	reload(): void;
	/** How often to look again whether the work the user waits for has ended. */
	pollMs?: number;
}

export class AppUpdate {
	status = $state<UpdateStatus>('current');
	/** The user closed the prompt; it comes back with the next new version. */
	dismissed = $state(false);
	readonly #options: AppUpdateOptions;
	#channel: UpdateChannel | null = null;
	/** A newer worker already controls this page (another tab accepted): only a reload is left to do. */
	#activated = false;
	#timer: ReturnType<typeof setTimeout> | null = null;

	readonly visible = $derived(this.status !== 'current' && !this.dismissed);

	constructor(options: AppUpdateOptions) {
		this.#options = options;
	}

	attach(channel: UpdateChannel): void {
		this.#channel = channel;
		channel.addEventListener('waiting', () => {
			if (this.status === 'current') this.status = 'available';
			this.dismissed = false;
		});
		channel.addEventListener('controlling', (event) => {
			// After the user accepted, whichever worker took over is the new version. (Workbox calls a worker
			// found by a later update check "external" and says isUpdate only when the page loaded controlled.)
			if (this.status === 'reloading') {
				this.#options.reload();
				return;
			}
			// The first worker claiming a fresh page is no update.
			if (!event.isUpdate && !event.isExternal) return;
			// Another tab let the new version in; this page still runs the old code. Offer the reload here too.
			this.#activated = true;
			if (this.status === 'current') this.status = 'available';
			this.dismissed = false;
		});
	}

	/** The user clicked Reload: take the update now, or as soon as the current work ends. */
	accept(): void {
		if (this.status === 'current' || this.status === 'reloading') return;
		if (this.#timer) clearTimeout(this.#timer);
		this.#timer = null;
		if (this.#options.busy()) {
			this.status = 'deferred';
			this.#timer = setTimeout(() => this.accept(), this.#options.pollMs ?? 1000);
			return;
		}
		this.status = 'reloading';
		if (this.#activated || !this.#channel) this.#options.reload();
		else this.#channel.messageSkipWaiting();
	}

	/** Hides the prompt; a deferred reload is called off too (nothing reloads without the user). */
	dismiss(): void {
		if (this.#timer) clearTimeout(this.#timer);
		this.#timer = null;
		if (this.status === 'deferred') this.status = 'available';
		this.dismissed = true;
	}
}

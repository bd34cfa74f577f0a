// A typed client for the hub's control API, for end-to-end tests that run the hub in another process:
// `new HubControl(hubUrl)` switches faults on and off and reads the request log over HTTP.
import type { HubFault, RequestLogEntry } from './faults.ts';

export type { HubFault, RequestLogEntry } from './faults.ts';

export class HubControl {
	readonly #base: URL;

	/** `hubUrl` is the hub root, as RunningHub.url gives it; the hub must run with control on. */
	constructor(hubUrl: string | URL) {
		this.#base = new URL('__control/', new URL(hubUrl).href.replace(/\/?$/, '/'));
	}

	/** Replaces the active faults. */
	async setFaults(faults: readonly HubFault[]): Promise<void> {
		await this.#call('POST', 'faults', faults);
	}

	async clearFaults(): Promise<void> {
		await this.#call('DELETE', 'faults');
	}

	/** The active faults, with `times` counting what is left of each. */
	async faults(): Promise<HubFault[]> {
		return (await (await this.#call('GET', 'faults')).json()) as HubFault[];
	}

	/** Requests to the hub and CDN origins, oldest first; `since` keeps those that arrived at or after it. */
	async log(since?: number): Promise<RequestLogEntry[]> {
		const path = since === undefined ? 'log' : `log?since=${encodeURIComponent(String(since))}`;
		return (await (await this.#call('GET', path)).json()) as RequestLogEntry[];
	}

	async clearLog(): Promise<void> {
		await this.#call('DELETE', 'log');
	}

	/** Clears the faults and the log. */
	async reset(): Promise<void> {
		await this.#call('POST', 'reset');
	}

	async #call(method: string, path: string, body?: unknown): Promise<Response> {
		const res = await fetch(new URL(path, this.#base), {
			method,
			headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
			body: body === undefined ? undefined : JSON.stringify(body)
		});
		if (!res.ok) {
			const detail = await res.text().catch(() => '');
			throw new Error(`Hub control ${method} ${path} failed with ${res.status}: ${detail}`);
		}
		return res;
	}
}

// Worker side: how transformers.js reads models from the ModelStore. It is given a custom cache (match/put)
// that answers from the store, and a fetch that answers 404 at once for files the commit does not have, so
// a stored model loads with no request to the hub and no copy ever lands in the Cache API. A stored file's
// Response opens it only when its bytes are read (transformers.js asks for some files just for their size),
// and its arrayBuffer() is the store's one exact-size buffer (see stored-file.ts).

import type { ModelStore } from '$lib/store/model-store';
import type { FileRef } from '$lib/store/types';

interface RegisteredModel {
	hub: string;
	repo: string;
	commit: string;
	known: ReadonlySet<string>;
}

/** Maps transformers.js' resolve URLs back to store references for the models the worker loaded. */
export class StoreBridge {
	readonly #store: ModelStore;
	readonly #models = new Map<string, RegisteredModel>();
	readonly #fetch: typeof fetch;

	constructor(store: ModelStore, fetchImpl: typeof fetch = (input, init) => fetch(input, init)) {
		this.#store = store;
		this.#fetch = fetchImpl;
	}

	/** The URL prefix transformers.js uses for a model at a commit (remoteHost + '{model}/resolve/{revision}/'). */
	static prefix(hub: string, repo: string, commit: string): string {
		return `${hub}${repo}/resolve/${encodeURIComponent(commit)}/`;
	}

	register(model: RegisteredModel): void {
		this.#models.set(StoreBridge.prefix(model.hub, model.repo, model.commit), model);
		// transformers.js 4.3.1 drops the revision in some internal lookups (get_pipeline_files, get_config,
		// get_tokenizer_files ask for `main`); those must read the commit being loaded, not the hub's main.
		this.#models.set(StoreBridge.prefix(model.hub, model.repo, 'main'), model);
	}

	#lookup(url: string): { model: RegisteredModel; ref: FileRef } | null {
		for (const [prefix, model] of this.#models) {
			if (!url.startsWith(prefix)) continue;
			const path = url
				.slice(prefix.length)
				.split('/')
				.map((part) => decodeURIComponent(part))
				.join('/');
			return { model, ref: { hub: model.hub, repo: model.repo, commit: model.commit, path } };
		}
		return null;
	}

	/** The Cache-like object transformers.js calls (env.customCache). */
	readonly cache = {
		match: async (request: string | Request): Promise<Response | undefined> => {
			const found = this.#lookup(typeof request === 'string' ? request : request.url);
			if (!found) return undefined;
			const record = await this.#store.getFile(found.ref);
			if (!record || (record.state !== 'complete' && record.state !== 'verified')) return undefined;
			return this.#store.respond(record);
		},
		// Files reach the store through ModelSource's verified downloads, never through transformers.js'
		// unverified copy; an unplanned file is fetched (and kept in memory) by transformers.js itself.
		put: async (): Promise<void> => {}
	};

	/** The fetch transformers.js uses (env.fetch): files the commit does not have are 404 without asking the hub. */
	readonly fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
		const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
		const found = this.#lookup(url);
		if (found && !found.model.known.has(found.ref.path)) {
			return new Response(JSON.stringify({ error: 'Entry not found' }), {
				status: 404,
				headers: { 'X-Error-Code': 'EntryNotFound', 'Content-Type': 'application/json' }
			});
		}
		return this.#fetch(input, init);
	};
}

// State of the model picker: type-ahead search of the hubs' models for one task, debounced, with stale
// answers dropped, and keyboard navigation through the results.

import { isAllowed, notAllowedMessage } from '$lib/config/allowlist';
import { hubBaseUrl } from '$lib/hub/client';
import { searchModels, type ModelHit, type SearchQuery } from '$lib/hub/search';

const DEBOUNCE_MS = 200;

export class ModelPickerState {
	readonly #hubs: string[];
	readonly #tags: readonly string[];
	readonly #library: SearchQuery['library'];
	readonly #allowlist: readonly string[] | null;
	readonly #origin: string;
	hits = $state.raw<ModelHit[]>([]);
	failed = $state.raw<string[]>([]);
	open = $state(false);
	loading = $state(false);
	/** The highlighted result, for the keyboard; -1 when none. */
	active = $state(-1);
	#timer: ReturnType<typeof setTimeout> | null = null;
	#controller: AbortController | null = null;

	constructor(
		hubs: readonly string[],
		tags: readonly string[],
		origin: string,
		allowlist: readonly string[] | null = null,
		library: SearchQuery['library'] = 'transformers.js'
	) {
		this.#library = library;
		this.#allowlist = allowlist;
		this.#origin = origin;
		this.#hubs = hubs.flatMap((hub) => {
			try {
				return [hubBaseUrl(hub, origin)];
			} catch {
				return [];
			}
		});
		this.#tags = tags;
	}

	/** Searches for `text` after a short pause in typing. */
	search(text: string): void {
		if (this.#timer) clearTimeout(this.#timer);
		this.open = true;
		this.#timer = setTimeout(() => void this.#run(text), DEBOUNCE_MS);
	}

	async #run(text: string): Promise<void> {
		this.#controller?.abort();
		const controller = new AbortController();
		this.#controller = controller;
		this.loading = true;
		try {
			// One search per pipeline tag that fits the task; hits merged in tag order, each model once.
			const answers = await Promise.all(
				this.#tags.map((tag) =>
					searchModels(
						this.#hubs,
						{ pipelineTag: tag, text, limit: 20, library: this.#library },
						controller.signal
					)
				)
			);
			if (controller.signal.aborted) return;
			// A local dedupe set, not state: nothing renders it.
			// eslint-disable-next-line svelte/prefer-svelte-reactivity
			const seen = new Set<string>();
			const hits = answers
				.flatMap((answer) => answer.hits)
				.filter((hit) => !seen.has(hit.id) && seen.add(hit.id));
			this.hits = hits.slice(0, 20);
			this.failed = answers
				.flatMap((answer) => answer.failed)
				.filter((hub, index, all) => all.indexOf(hub) === index);
			this.active = hits.length > 0 ? 0 : -1;
		} catch {
			// Aborted by a newer search: its answer replaces this one.
		} finally {
			if (this.#controller === controller) this.loading = false;
		}
	}

	/** Why a hit cannot be picked (the deployment's allowlist refuses it), or null when it can. */
	blocked(hit: ModelHit): string | null {
		if (!this.#allowlist || isAllowed(hit.hub, hit.id, this.#allowlist, this.#origin)) return null;
		return notAllowedMessage(hit.id, this.#allowlist);
	}

	move(step: 1 | -1): void {
		if (this.hits.length === 0) return;
		this.open = true;
		this.active = (this.active + step + this.hits.length) % this.hits.length;
	}

	close(): void {
		this.open = false;
		this.active = -1;
	}
}

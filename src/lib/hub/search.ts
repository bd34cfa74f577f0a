// Model search on the configured hubs (`/api/models?filter=transformers.js&pipeline_tag=…&search=…`), for the
// model picker: results from every hub that answers, in hub order, parsed at the edge.

export interface ModelHit {
	id: string;
	/** The hub base URL it was found on. */
	hub: string;
	downloads: number | null;
	likes: number | null;
	license: string | null;
	/** Bytes the hub says the repo stores, where it says it. */
	size: number | null;
}

export interface SearchQuery {
	pipelineTag: string;
	text: string;
	limit: number;
	/** The hub's library tag: transformers.js models, or plain ONNX for tasks that run graphs themselves. */
	library?: 'transformers.js' | 'onnx';
}

function numberOrNull(value: unknown): number | null {
	return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

function licenseOf(item: Record<string, unknown>): string | null {
	const card = item.cardData;
	if (
		typeof card === 'object' &&
		card !== null &&
		typeof (card as { license?: unknown }).license === 'string'
	) {
		return (card as { license: string }).license;
	}
	const tag = Array.isArray(item.tags)
		? item.tags.find((t): t is string => typeof t === 'string' && t.startsWith('license:'))
		: undefined;
	return tag ? tag.slice('license:'.length) : null;
}

/** Parses one hub's search answer; anything that is not a model entry is skipped. */
export function parseSearch(json: unknown, hub: string): ModelHit[] {
	if (!Array.isArray(json)) return [];
	const hits: ModelHit[] = [];
	for (const entry of json as unknown[]) {
		if (typeof entry !== 'object' || entry === null) continue;
		const item = entry as Record<string, unknown>;
		const id = typeof item.id === 'string' ? item.id : typeof item.modelId === 'string' ? item.modelId : null;
		if (!id) continue;
		hits.push({
			id,
			hub,
			downloads: numberOrNull(item.downloads),
			likes: numberOrNull(item.likes),
			license: licenseOf(item),
			size: numberOrNull(item.usedStorage)
		});
	}
	return hits;
}

export function searchUrl(hub: string, query: SearchQuery): string {
	const params = new URLSearchParams({
		filter: query.library ?? 'transformers.js',
		pipeline_tag: query.pipelineTag,
		sort: 'downloads',
		limit: String(query.limit)
	});
	if (query.text.trim()) params.set('search', query.text.trim());
	return `${hub}api/models?${params}`;
}

/** Searches every hub at once; a hub that fails is left out, and listed in `failed`. */
export async function searchModels(
	hubs: readonly string[],
	query: SearchQuery,
	signal?: AbortSignal,
	fetchImpl: typeof fetch = (input, init) => fetch(input, init)
): Promise<{ hits: ModelHit[]; failed: string[] }> {
	const answers = await Promise.all(
		hubs.map(async (hub) => {
			try {
				const response = await fetchImpl(searchUrl(hub, query), {
					signal,
					headers: { Accept: 'application/json' }
				});
				if (!response.ok) return { hub, hits: null };
				return { hub, hits: parseSearch(await response.json(), hub) };
			} catch (error) {
				if (signal?.aborted) throw error;
				return { hub, hits: null };
			}
		})
	);
	const seen = new Set<string>();
	const hits: ModelHit[] = [];
	for (const answer of answers) {
		for (const hit of answer.hits ?? []) {
			if (seen.has(hit.id)) continue;
			seen.add(hit.id);
			hits.push(hit);
		}
	}
	return {
		hits: hits.slice(0, query.limit),
		failed: answers.filter((answer) => answer.hits === null).map((answer) => answer.hub)
	};
}

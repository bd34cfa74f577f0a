// HubClient: talks to Hugging Face-compatible hubs (huggingface.co, the bundled mirror, an on-prem one).
// It resolves a model and revision to a commit on the first hub that has it, and parses every answer into
// typed values at the edge, so a hub that answers nonsense gives a clear error instead of a wrong load.

import { HubUnavailableError, ModelNotFoundError } from '$lib/runtime/errors';
import type { RemoteFile } from '$lib/store/types';
import { parseTree } from './files';

export interface ResolvedModel {
	/** The hub base URL that has the model, absolute and ending with '/'. */
	hub: string;
	model: string;
	revision: string;
	commit: string;
	pipelineTag: string | null;
	libraryName: string | null;
	tags: string[];
	files: string[];
}

type Fetch = typeof fetch;

/** Makes a hub base absolute (root-relative ones are relative to the app) and ends it with '/'. */
export function hubBaseUrl(hub: string, origin: string): string {
	const url = new URL(hub, origin);
	if (url.protocol !== 'http:' && url.protocol !== 'https:')
		throw new TypeError(`${hub} is not an http(s) hub address.`);
	url.search = '';
	url.hash = '';
	return url.href.endsWith('/') ? url.href : `${url.href}/`;
}

function stringArray(value: unknown): string[] {
	return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/** Parses the hub's model info (`/api/models/{id}/revision/{rev}`), rejecting answers that are not one. */
export function parseModelInfo(json: unknown, hub: string, model: string, revision: string): ResolvedModel {
	if (typeof json !== 'object' || json === null)
		throw new HubUnavailableError(`${hub} answered with something that is not model info.`);
	const info = json as Record<string, unknown>;
	const sha = info.sha;
	if (typeof sha !== 'string' || !/^[0-9a-f]{40}$/.test(sha)) {
		throw new HubUnavailableError(`${hub} did not say which commit ${model}@${revision} is.`, { hub, model });
	}
	const siblings = Array.isArray(info.siblings) ? info.siblings : [];
	const files = siblings
		.map((sibling: unknown) =>
			typeof sibling === 'object' && sibling !== null ? (sibling as { rfilename?: unknown }).rfilename : null
		)
		.filter((name): name is string => typeof name === 'string');
	return {
		hub,
		model,
		revision,
		commit: sha,
		pipelineTag: typeof info.pipeline_tag === 'string' ? info.pipeline_tag : null,
		libraryName: typeof info.library_name === 'string' ? info.library_name : null,
		tags: stringArray(info.tags),
		files
	};
}

export class HubClient {
	readonly hubs: readonly string[];
	readonly #fetch: Fetch;

	/** hubs: base URLs, absolute, in the order to try them. fetch is wrapped: called as a method it throws "Illegal invocation". */
	constructor(hubs: readonly string[], fetchImpl: Fetch = (input, init) => fetch(input, init)) {
		this.hubs = hubs;
		this.#fetch = fetchImpl;
	}

	/** The first hub that has the model at that revision wins; hubs that are down are skipped. */
	async resolve(model: string, revision: string, signal?: AbortSignal): Promise<ResolvedModel> {
		const unreachable: string[] = [];
		const missing: string[] = [];
		for (const hub of this.hubs) {
			const url = `${hub}api/models/${model}/revision/${encodeURIComponent(revision)}`;
			let response: Response;
			try {
				response = await this.#fetch(url, { signal, headers: { Accept: 'application/json' } });
			} catch (error) {
				if (signal?.aborted) throw error;
				unreachable.push(`${hub} (${error instanceof Error ? error.message : 'network error'})`);
				continue;
			}
			if (response.status === 404) {
				missing.push(`${hub} (${response.headers.get('X-Error-Code') ?? 'not found'})`);
				continue;
			}
			if (response.status === 401 || response.status === 403) {
				missing.push(`${hub} (needs an access token: gated or private)`);
				continue;
			}
			if (!response.ok) {
				unreachable.push(`${hub} (HTTP ${response.status})`);
				continue;
			}
			let json: unknown;
			try {
				json = await response.json();
			} catch {
				unreachable.push(`${hub} (not JSON)`);
				continue;
			}
			return parseModelInfo(json, hub, model, revision);
		}
		if (missing.length > 0) {
			throw new ModelNotFoundError(
				`${model}@${revision} was not found on ${missing.join(', ')}${unreachable.length ? `; unreachable: ${unreachable.join(', ')}` : ''}.`,
				{ model, revision }
			);
		}
		throw new HubUnavailableError(
			`No hub could be reached to fetch ${model} (tried ${unreachable.join(', ') || 'none configured'}). Check the connection or the hub list in Settings.`,
			{ model }
		);
	}

	/** Every file of a commit with its size and hash (the hub's tree API). */
	async listFiles(hub: string, model: string, commit: string, signal?: AbortSignal): Promise<RemoteFile[]> {
		const url = `${hub}api/models/${model}/tree/${encodeURIComponent(commit)}?recursive=true`;
		let response: Response;
		try {
			response = await this.#fetch(url, { signal, headers: { Accept: 'application/json' } });
		} catch (error) {
			if (signal?.aborted) throw error;
			throw new HubUnavailableError(`${hub} could not be reached to list the files of ${model}.`, {
				hub,
				model
			});
		}
		if (!response.ok) {
			throw new HubUnavailableError(
				`${hub} answered HTTP ${response.status} when asked for the files of ${model}.`,
				{ hub, model }
			);
		}
		return parseTree(await response.json().catch(() => null), hub, model, commit);
	}
}

// HubClient: talks to Hugging Face-compatible hubs (huggingface.co, the bundled mirror, an on-prem one).
// It resolves a model and revision to a commit on the first hub that has it, and parses every answer into
// typed values at the edge, so a hub that answers nonsense gives a clear error instead of a wrong load.
// A hub with no API (a static mirror on nginx, an object store, a CDN) is read from its browserve-mirror.json.

import { HubUnavailableError, ModelNotFoundError } from '$lib/runtime/errors';
import type { RemoteFile } from '$lib/store/types';
import { parseTree } from './files';
import {
	findMirrored,
	MIRROR_INDEX_FILE,
	mirroredFiles,
	parseMirrorIndex,
	type MirroredModel,
	type MirrorIndex
} from './static-index';

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
	/** Each hub's static mirror index, fetched at most once per client; null where there is none. */
	readonly #indexes = new Map<string, Promise<MirrorIndex | null>>();

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
			let json: unknown = undefined;
			if (response.ok) json = await response.json().catch(() => undefined);
			if (json !== undefined) return parseModelInfo(json, hub, model, revision);
			// No API here (a static host answers 404, 403 or its HTML page): the mirror's index may have the model.
			// A hub API's own "not found" carries X-Error-Code, and such a hub has no index to ask.
			const apiAnswered = response.headers.has('X-Error-Code');
			const mirrored = apiAnswered ? null : await this.#mirrored(hub, model, revision, signal);
			if (mirrored) return resolvedFromIndex(hub, model, revision, mirrored);
			if (!apiAnswered && (await this.#indexes.get(hub))) {
				missing.push(`${hub} (not in its ${MIRROR_INDEX_FILE} at ${revision})`);
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
			unreachable.push(`${hub} (${response.ok ? 'not JSON' : `HTTP ${response.status}`})`);
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

	/** The hub's mirror index entry for the model at that revision, or null (no index, or not in it). */
	async #mirrored(
		hub: string,
		model: string,
		revision: string,
		signal?: AbortSignal
	): Promise<MirroredModel | null> {
		let index = this.#indexes.get(hub);
		if (!index) {
			index = this.#loadIndex(hub, signal);
			this.#indexes.set(hub, index);
		}
		const loaded = await index;
		return loaded ? findMirrored(loaded, model, revision) : null;
	}

	async #loadIndex(hub: string, signal?: AbortSignal): Promise<MirrorIndex | null> {
		try {
			const response = await this.#fetch(`${hub}${MIRROR_INDEX_FILE}`, {
				signal,
				headers: { Accept: 'application/json' },
				// A mirror is updated in place: always ask whether the index changed.
				cache: 'no-cache'
			});
			if (!response.ok) return null;
			return parseMirrorIndex(await response.json(), hub);
		} catch {
			// No index (or not one): the hub is treated as it was before, missing or unreachable.
			return null;
		}
	}

	/** Every file of a commit with its size and hash (the hub's tree API, or the mirror's index). */
	async listFiles(hub: string, model: string, commit: string, signal?: AbortSignal): Promise<RemoteFile[]> {
		// A hub already known to be a static mirror is not asked for an API it does not have.
		const known = this.#indexes.has(hub) ? await this.#mirrored(hub, model, commit, signal) : null;
		if (known) return mirroredFiles(hub, model, known);
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
			const mirrored = await this.#mirrored(hub, model, commit, signal);
			if (mirrored) return mirroredFiles(hub, model, mirrored);
			throw new HubUnavailableError(
				`${hub} answered HTTP ${response.status} when asked for the files of ${model}.`,
				{ hub, model }
			);
		}
		return parseTree(await response.json().catch(() => null), hub, model, commit);
	}
}

function resolvedFromIndex(
	hub: string,
	model: string,
	revision: string,
	entry: MirroredModel
): ResolvedModel {
	return {
		hub,
		model,
		revision,
		commit: entry.commit,
		pipelineTag: entry.pipelineTag,
		libraryName: entry.libraryName,
		tags: entry.tags,
		files: entry.files.map((file) => file.path)
	};
}

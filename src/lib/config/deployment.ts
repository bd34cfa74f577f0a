// The deployment's configuration, read at start from browserve.config.json next to index.html, so a site
// can choose its hubs and default models without rebuilding. Parsed strictly: a broken file is reported
// on the page and the built-in defaults are used, never a blank app.

import { isTaskId, type TaskId } from '$lib/tasks/registry';
import { whyNotModelId } from '$lib/share/link';

export interface DeploymentConfig {
	/** Hub base URLs, in the order the app tries them. Root-relative ones are on the app's own origin. */
	hubs: string[];
	/** Default model per task, overriding the registry's huggingface.co defaults. */
	defaultModels: Partial<Record<TaskId, string>>;
	// The four rules below are optional so configs built in code before they existed stay valid; absent means
	// the permissive default (no allowlist, no limit, user hubs allowed, none added).
	/**
	 * Address prefixes models may be loaded from (a hub, a hub's org, or one model: `/hub/`,
	 * `https://huggingface.co/Xenova`); null lets every configured hub serve any model.
	 */
	allowlist?: string[] | null;
	/** Downloads larger than this many bytes wait for the user to confirm them; null never asks. */
	maxDownloadWithoutAsking?: number | null;
	/** Whether users may add hubs of their own in Settings. */
	allowUserHubs?: boolean;
	/** Hubs this user added (already at the end of `hubs`), so Settings can tell them apart. */
	userHubs?: string[];
	/** Problems found in the file, for the page to show. */
	problems: string[];
}

export const BUILT_IN_CONFIG: DeploymentConfig = {
	hubs: ['https://huggingface.co/'],
	defaultModels: {},
	allowlist: null,
	maxDownloadWithoutAsking: null,
	allowUserHubs: true,
	userHubs: [],
	problems: []
};

const SIZE_UNITS: Record<string, number> = {
	b: 1,
	kb: 1e3,
	mb: 1e6,
	gb: 1e9,
	kib: 1024,
	mib: 1024 ** 2,
	gib: 1024 ** 3
};

/** A size in bytes from a number or a string such as "500 MB" or "2 GiB"; null when it is neither. */
export function parseByteSize(value: unknown): number | null {
	if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? Math.floor(value) : null;
	if (typeof value !== 'string') return null;
	const match = /^\s*(\d+(?:\.\d+)?)\s*([kmg]i?b|b)?\s*$/i.exec(value);
	if (!match?.[1]) return null;
	const unit = SIZE_UNITS[(match[2] ?? 'b').toLowerCase()];
	return unit === undefined ? null : Math.floor(Number(match[1]) * unit);
}

/** An http(s) URL or a root-relative path (not protocol-relative): what a hub or allowlist entry may be. */
export function isHubAddress(value: unknown): value is string {
	if (typeof value !== 'string') return false;
	if (value.startsWith('/')) return !value.startsWith('//');
	try {
		const url = new URL(value);
		return url.protocol === 'http:' || url.protocol === 'https:';
	} catch {
		return false;
	}
}

export function parseDeploymentConfig(json: unknown): DeploymentConfig {
	if (typeof json !== 'object' || json === null || Array.isArray(json)) {
		return {
			...BUILT_IN_CONFIG,
			problems: ['browserve.config.json is not a JSON object; using the built-in settings.']
		};
	}
	const raw = json as Record<string, unknown>;
	const problems: string[] = [];
	let hubs = BUILT_IN_CONFIG.hubs;
	if (raw.hubs !== undefined) {
		const list = Array.isArray(raw.hubs) ? raw.hubs : [];
		const good = list.filter(isHubAddress);
		if (good.length !== list.length || list.length === 0)
			problems.push(
				'Some hubs in browserve.config.json are not http(s) or root-relative addresses and were ignored.'
			);
		if (good.length > 0) hubs = good;
	}
	const defaultModels: Partial<Record<TaskId, string>> = {};
	if (typeof raw.defaultModels === 'object' && raw.defaultModels !== null) {
		for (const [task, model] of Object.entries(raw.defaultModels)) {
			if (isTaskId(task) && typeof model === 'string' && whyNotModelId(model) === null)
				defaultModels[task] = model;
			else problems.push(`defaultModels.${task} in browserve.config.json was ignored.`);
		}
	}
	let allowlist: string[] | null = null;
	if (raw.allowlist !== undefined && raw.allowlist !== null) {
		const list = Array.isArray(raw.allowlist) ? raw.allowlist : [];
		allowlist = list.filter(isHubAddress);
		// An allowlist that lost entries still applies, so a typo can only refuse more, never allow more.
		if (allowlist.length !== list.length || !Array.isArray(raw.allowlist))
			problems.push(
				'Some allowlist entries in browserve.config.json are not http(s) or root-relative addresses and were ignored.'
			);
	}
	let maxDownloadWithoutAsking: number | null = null;
	if (raw.maxDownloadWithoutAsking !== undefined && raw.maxDownloadWithoutAsking !== null) {
		maxDownloadWithoutAsking = parseByteSize(raw.maxDownloadWithoutAsking);
		if (maxDownloadWithoutAsking === null)
			problems.push(
				'maxDownloadWithoutAsking in browserve.config.json is not a size (bytes, or a text like "500 MB"); downloads are not limited.'
			);
	}
	let allowUserHubs = true;
	if (raw.allowUserHubs !== undefined) {
		if (typeof raw.allowUserHubs === 'boolean') allowUserHubs = raw.allowUserHubs;
		else {
			// Read as forbidden: a deployment that wrote something here meant to restrict.
			allowUserHubs = false;
			problems.push('allowUserHubs in browserve.config.json is not true or false; users may not add hubs.');
		}
	}
	return {
		...BUILT_IN_CONFIG,
		hubs,
		defaultModels,
		allowlist,
		maxDownloadWithoutAsking,
		allowUserHubs,
		problems
	};
}

/** Reads the config next to the app; a missing file means the built-in settings. */
export async function loadDeploymentConfig(
	base: string,
	fetchImpl: typeof fetch = fetch
): Promise<DeploymentConfig> {
	let response: Response;
	try {
		response = await fetchImpl(`${base}/browserve.config.json`, { cache: 'no-cache' });
	} catch {
		return BUILT_IN_CONFIG;
	}
	if (response.status === 404) return BUILT_IN_CONFIG;
	try {
		return parseDeploymentConfig(await response.json());
	} catch {
		return {
			...BUILT_IN_CONFIG,
			problems: ['browserve.config.json is not valid JSON; using the built-in settings.']
		};
	}
}

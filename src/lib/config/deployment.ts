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
	/** Problems found in the file, for the page to show. */
	problems: string[];
}

export const BUILT_IN_CONFIG: DeploymentConfig = {
	hubs: ['https://huggingface.co/'],
	defaultModels: {},
	problems: []
};

function isHubAddress(value: unknown): value is string {
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
	return { hubs, defaultModels, problems };
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

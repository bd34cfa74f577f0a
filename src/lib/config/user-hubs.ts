// Hubs a user adds in Settings, kept in localStorage (per origin, per browser) and appended after the
// deployment's own hubs, unless the deployment forbids it. Stored data is parsed like any external input:
// a tampered or outdated entry is dropped, never trusted.

import { isHubAddress, type DeploymentConfig } from './deployment';

export const USER_HUBS_KEY = 'browserve.userHubs';

/** Minimal Storage, so specs can pass a Map-backed one. */
export interface HubStorage {
	getItem(key: string): string | null;
	setItem(key: string, value: string): void;
}

function defaultStorage(): HubStorage | null {
	try {
		return typeof localStorage === 'undefined' ? null : localStorage;
	} catch {
		// Storage can be blocked (privacy settings): the app then simply has no user hubs.
		return null;
	}
}

export function readUserHubs(storage: HubStorage | null = defaultStorage()): string[] {
	if (!storage) return [];
	let parsed: unknown;
	try {
		parsed = JSON.parse(storage.getItem(USER_HUBS_KEY) ?? '[]');
	} catch {
		return [];
	}
	return Array.isArray(parsed) ? [...new Set(parsed.filter(isHubAddress))] : [];
}

export function writeUserHubs(hubs: readonly string[], storage: HubStorage | null = defaultStorage()): void {
	storage?.setItem(USER_HUBS_KEY, JSON.stringify(hubs));
}

/** Why a typed hub address cannot be added, or null when it can. */
export function whyNotUserHub(address: string, config: DeploymentConfig): string | null {
	const trimmed = address.trim();
	if (config.allowUserHubs === false) return 'This deployment does not let users add hubs.';
	if (trimmed === '') return 'Type the address of a hub, such as https://hub.example.org/.';
	if (!isHubAddress(trimmed))
		return `${trimmed} is not an http(s) address or a path on this site (starting with /).`;
	const same = (hub: string) => hub.replace(/\/+$/, '') === trimmed.replace(/\/+$/, '');
	if (config.hubs.some(same)) return `${trimmed} is already in the list.`;
	return null;
}

/** The deployment's config with this user's hubs appended (none when the deployment forbids them). */
export function withUserHubs(config: DeploymentConfig, userHubs: readonly string[]): DeploymentConfig {
	if (config.allowUserHubs === false) return { ...config, userHubs: [] };
	const own = userHubs.filter((hub) => !config.hubs.includes(hub));
	return { ...config, hubs: [...config.hubs, ...own], userHubs: own };
}

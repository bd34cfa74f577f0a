// State of the Settings page: the effective deployment config (as +layout.ts loaded it, user hubs included)
// and the form that adds or removes this user's own hubs in localStorage. The page reloads the config
// after a change, so every page sees the new hub list.

import type { DeploymentConfig } from '$lib/config/deployment';
import { readUserHubs, whyNotUserHub, writeUserHubs, type HubStorage } from '$lib/config/user-hubs';

export class SettingsPageState {
	readonly #config: () => DeploymentConfig;
	readonly #storage: HubStorage | undefined;
	draft = $state('');
	/** Shown after a failed add; typing clears it. */
	problem = $state<string | null>(null);

	readonly config = $derived.by(() => this.#config());
	/** The deployment's own hubs, without this user's. */
	readonly userHubs = $derived(this.config.userHubs ?? []);
	readonly deploymentHubs = $derived(this.config.hubs.filter((hub) => !this.userHubs.includes(hub)));
	readonly allowlist = $derived(this.config.allowlist ?? null);
	readonly limit = $derived(this.config.maxDownloadWithoutAsking ?? null);
	readonly allowUserHubs = $derived(this.config.allowUserHubs !== false);

	/** config is a getter, so the page sees the config reloaded after a change. storage is for specs. */
	constructor(config: () => DeploymentConfig, storage?: HubStorage) {
		this.#config = config;
		this.#storage = storage;
	}

	/** Adds the typed hub; true when it was added. */
	add(): boolean {
		const problem = whyNotUserHub(this.draft, this.config);
		this.problem = problem;
		if (problem !== null) return false;
		const stored = readUserHubs(this.#storage);
		writeUserHubs([...stored, this.draft.trim()], this.#storage);
		this.draft = '';
		return true;
	}

	remove(hub: string): void {
		writeUserHubs(
			readUserHubs(this.#storage).filter((stored) => stored !== hub),
			this.#storage
		);
	}
}

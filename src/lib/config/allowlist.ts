// The deployment's allowlist of where models may come from: each entry is an address prefix (a hub, an org
// on a hub, or one model), matched against the model's address on a hub at path-segment boundaries. Pure,
// so the worker (which enforces it when loading) and the page (which explains it in the picker) agree.

/** An allowlist entry or hub as an absolute URL ending with '/', or null when it is no http(s) address. */
function absolutePrefix(entry: string, origin: string): string | null {
	try {
		const url = new URL(entry, origin);
		if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
		url.search = '';
		url.hash = '';
		return url.href.endsWith('/') ? url.href : `${url.href}/`;
	} catch {
		return null;
	}
}

/** Whether the model, served by this hub (a base URL), is inside the allowlist; no allowlist allows all. */
export function isAllowed(
	hub: string,
	model: string,
	allowlist: readonly string[] | null | undefined,
	origin: string
): boolean {
	if (!allowlist) return true;
	const base = absolutePrefix(hub, origin);
	if (!base) return false;
	// Trailing slash on both sides: "…/Xenova" allows "…/Xenova/x" but not "…/XenovaEvil/x".
	const address = `${base}${model}/`;
	return allowlist.some((entry) => {
		const prefix = absolutePrefix(entry, origin);
		return prefix !== null && address.startsWith(prefix);
	});
}

/** The hubs, in order, that may serve this model. */
export function allowedHubs(
	hubs: readonly string[],
	model: string,
	allowlist: readonly string[] | null | undefined,
	origin: string
): string[] {
	return hubs.filter((hub) => isAllowed(hub, model, allowlist, origin));
}

/** Why the model is refused, naming the rule, so the person knows whom to ask. */
export function notAllowedMessage(model: string, allowlist: readonly string[]): string {
	const permitted =
		allowlist.length === 0
			? 'it permits no models at all'
			: `it only permits models from ${allowlist.join(', ')}`;
	return `${model} is not allowed on this site: the allowlist in browserve.config.json refuses it (${permitted}). Ask whoever runs this site to add it.`;
}

/** null when the model may load from at least one of the hubs, else the message that refuses it. */
export function whyNotAllowed(
	hubs: readonly string[],
	model: string,
	allowlist: readonly string[] | null | undefined,
	origin: string
): string | null {
	if (!allowlist || allowedHubs(hubs, model, allowlist, origin).length > 0) return null;
	return notAllowedMessage(model, allowlist);
}

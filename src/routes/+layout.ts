// Every page is a static shell that renders in the browser: the app has no server to render on.
import { base } from '$app/paths';
import { loadDeploymentConfig } from '$lib/config/deployment';
import { readUserHubs, withUserHubs } from '$lib/config/user-hubs';

export const prerender = true;
export const ssr = false;
export const trailingSlash = 'never';

export async function load({ fetch }) {
	// The hubs this user added in Settings come after the deployment's own (unless it forbids them).
	return { config: withUserHubs(await loadDeploymentConfig(base, fetch), readUserHubs()) };
}

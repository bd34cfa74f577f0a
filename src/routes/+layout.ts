// Every page is a static shell that renders in the browser: the app has no server to render on.
import { base } from '$app/paths';
import { loadDeploymentConfig } from '$lib/config/deployment';

export const prerender = true;
export const ssr = false;
export const trailingSlash = 'never';

export async function load({ fetch }) {
	return { config: await loadDeploymentConfig(base, fetch) };
}

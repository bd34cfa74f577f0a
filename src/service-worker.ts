// The service worker: precaches the app shell and ONNX Runtime's wasm/mjs (Workbox), so the installed app
// starts and runs stored models with no network, and adds COOP/COEP to what it serves, so multithreaded
// WASM works on static hosts that cannot set headers. Models are not cached here: they live in the store.
/// <reference types="@sveltejs/kit" />
/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />

import { base, build, files, prerendered, version } from '$service-worker';
import { clientsClaim } from 'workbox-core';
import { addPlugins, cleanupOutdatedCaches, matchPrecache, precacheAndRoute } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { NetworkFirst } from 'workbox-strategies';

declare const self: ServiceWorkerGlobalScope;

// The page asks for `credentialless` where the browser supports it (cross-origin images then load without
// CORP headers); `require-corp` works everywhere else.
const coep =
	new URL(self.location.href).searchParams.get('coep') === 'credentialless'
		? 'credentialless'
		: 'require-corp';

/** The same response with the headers that make the page cross-origin isolated. */
function isolated(response: Response): Response {
	if (response.type === 'opaque' || response.type === 'opaqueredirect' || response.status === 0)
		return response;
	const headers = new Headers(response.headers);
	headers.set('Cross-Origin-Opener-Policy', 'same-origin');
	headers.set('Cross-Origin-Embedder-Policy', coep);
	if (!headers.has('Cross-Origin-Resource-Policy'))
		headers.set('Cross-Origin-Resource-Policy', 'same-origin');
	return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

const FALLBACK = `${base}/404.html`;

addPlugins([{ handlerWillRespond: async ({ response }) => isolated(response) }]);
precacheAndRoute(
	[
		...build.map((url) => ({ url, revision: null })),
		...files.map((url) => ({ url, revision: version })),
		...prerendered.map((url) => ({ url, revision: version })),
		{ url: FALLBACK, revision: version }
	],
	// Share links carry their state in the query string; the page shell is the same for all of them.
	{ ignoreURLParametersMatching: [/.*/], cleanURLs: true }
);
cleanupOutdatedCaches();

// The deployment's hub list must be there offline too: the network's copy when it answers, else the last one.
registerRoute(
	({ url }) => url.origin === self.location.origin && url.pathname === `${base}/browserve.config.json`,
	new NetworkFirst({ cacheName: `browserve-config`, networkTimeoutSeconds: 3 })
);

// Any other page (an unknown task, say) gets the network's answer, or offline the app shell, which explains.
registerRoute(
	new NavigationRoute(async ({ request }) => {
		try {
			return isolated(await fetch(request));
		} catch {
			const shell = await matchPrecache(FALLBACK);
			return shell ? isolated(shell) : Response.error();
		}
	})
);

self.addEventListener('message', (event) => {
	// The page decides when an update may take over (never during a download or a run).
	if ((event.data as { type?: string } | null)?.type === 'SKIP_WAITING') void self.skipWaiting();
});

// The first install takes control at once; later versions wait until the page says so.
self.addEventListener('install', () => {
	if (!self.registration.active) void self.skipWaiting();
});
clientsClaim();

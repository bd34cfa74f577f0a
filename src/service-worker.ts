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
import {
	keepSharedFile,
	SHARE_PATH,
	shareQuery,
	SHARED_FILES_PATH,
	sharedFileResponse
} from '$lib/pwa/share-target';

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
		// The files themselves (text-classification.html), not their clean URLs: a plain static server (python's
		// http.server, an object store) does not map /text-classification to the .html file, and one 404 would
		// stop the service worker installing. cleanURLs below serves them under the clean URL.
		...prerendered.map((url) => ({ url: url === `${base}/` ? url : `${url}.html`, revision: version })),
		{ url: FALLBACK, revision: version }
	],
	// Share links carry their state in the query string; the page shell is the same for all of them.
	{ ignoreURLParametersMatching: [/.*/], cleanURLs: true }
);
cleanupOutdatedCaches();

// The deployment's hub list must be there offline too: the network's copy when it answers, else the last one.
const CONFIG_CACHE = 'browserve-config';
const CONFIG_URL = `${base}/browserve.config.json`;
registerRoute(
	({ url }) => url.origin === self.location.origin && url.pathname === CONFIG_URL,
	new NetworkFirst({ cacheName: CONFIG_CACHE, networkTimeoutSeconds: 3 })
);
// The first visit read the config before this worker controlled the page, so it never passed through the
// route above: fetch it at install, or the first offline start would fall back to the built-in hubs.
self.addEventListener('install', (event) => {
	event.waitUntil(
		caches
			.open(CONFIG_CACHE)
			.then((cache) => cache.add(new URL(CONFIG_URL, self.location.origin).href))
			// A host without the file (the built-in settings apply) or a flaky network must not fail the install.
			.catch(() => undefined)
	);
});

// The share target: another app POSTs text or a file; the share-target page (a GET) picks the task for it.
registerRoute(
	({ url }) => url.origin === self.location.origin && url.pathname === `${base}${SHARE_PATH}`,
	async ({ request }) => {
		let query: URLSearchParams;
		try {
			const form = await request.formData();
			query = await shareQuery(form, (file, type) => keepSharedFile(file, type, self.location.origin, base));
		} catch (error) {
			query = new URLSearchParams({
				problem: `What was shared could not be read (${error instanceof Error ? error.message : String(error)}).`
			});
		}
		// 303: the browser follows with a GET, so reloading the page never re-posts the share.
		return Response.redirect(new URL(`${base}${SHARE_PATH}?${query}`, self.location.origin).href, 303);
	},
	'POST'
);

// Shared files, kept on this device until a few newer shares replace them.
registerRoute(
	({ url }) => url.origin === self.location.origin && url.pathname.startsWith(`${base}${SHARED_FILES_PATH}`),
	async ({ request }) => isolated(await sharedFileResponse(request.url))
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
	const type = (event.data as { type?: string } | null)?.type;
	// The page decides when an update may take over (never during a download or a run).
	if (type === 'SKIP_WAITING') void self.skipWaiting();
	// Which build this worker serves: tells an old worker from its update (the update e2e spec asks it).
	if (type === 'GET_VERSION') event.ports[0]?.postMessage({ version });
});

// The first install takes control at once; later versions wait until the page says so.
self.addEventListener('install', () => {
	if (!self.registration.active) void self.skipWaiting();
});
clientsClaim();

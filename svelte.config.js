// SvelteKit configuration: a plain static site (adapter-static) that any web server or CDN can host.
import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	compilerOptions: { runes: true },
	kit: {
		// Every task page is prerendered; unknown paths fall back to the SPA shell so the app can
		// explain what went wrong instead of the host's bare 404.
		adapter: adapter({ fallback: '404.html' }),
		// Registered by the app itself (workbox-window), to control when updates and the isolation reload happen.
		serviceWorker: { register: false },
		typescript: {
			// The workers and command-line scripts are type-checked with the app.
			config: (tsconfig) => ({
				...tsconfig,
				include: [...tsconfig.include, '../workers/**/*.ts', '../scripts/**/*.ts']
			})
		}
	}
};

export default config;

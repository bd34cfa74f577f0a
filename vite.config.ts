// Vite configuration for the app and its workers, and vitest's for the unit specs that sit next to the code.
import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

// Multithreaded WASM needs crossOriginIsolated; the dev and preview servers send what `npm start` sends.
const isolationHeaders = {
	'Cross-Origin-Opener-Policy': 'same-origin',
	'Cross-Origin-Embedder-Policy': 'require-corp'
};

export default defineConfig({
	plugins: [sveltekit()],
	server: { headers: isolationHeaders },
	preview: { headers: isolationHeaders },
	worker: { format: 'es' },
	build: { target: 'es2022' },
	test: {
		include: ['src/**/*.spec.ts', 'workers/**/*.spec.ts', 'scripts/**/*.spec.ts'],
		// Specs that need a real browser (OPFS, Web Locks across workers) run in Chromium: npm run test:browser.
		exclude: ['src/**/*.browser.spec.ts'],
		environment: 'node',
		testTimeout: 60_000,
		hookTimeout: 120_000
	}
});

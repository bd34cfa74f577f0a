// Vite configuration for the app and its workers, and vitest's for the unit specs that sit next to the code.
import { sveltekit } from '@sveltejs/kit/vite';
import { defaultClientConditions } from 'vite';
import { defineConfig } from 'vitest/config';

// Multithreaded WASM needs crossOriginIsolated; the dev and preview servers send what `npm start` sends.
const isolationHeaders = {
	'Cross-Origin-Opener-Policy': 'same-origin',
	'Cross-Origin-Embedder-Policy': 'require-corp'
};

export default defineConfig({
	plugins: [sveltekit()],
	resolve: {
		// ORT's "extern wasm" build: the workers load the wasm and its glue from the app's own precached copies
		// (ort-files.ts), instead of the bundle emitting a second 27 MB copy next to each worker.
		conditions: ['onnxruntime-web-use-extern-wasm', ...defaultClientConditions]
	},
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

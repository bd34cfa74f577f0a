// vitest's configuration for specs that need a real browser (src/**/*.browser.spec.ts): OPFS sync access
// handles, Web Locks, IndexedDB in Chromium. It drives the system Chromium headless and never downloads one.
import { fileURLToPath } from 'node:url';
import { playwright } from '@vitest/browser-playwright';
import { defineConfig } from 'vitest/config';
import { CHROMIUM_ARGS } from './scripts/chromium.ts';

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export default defineConfig({
	resolve: { alias: { $lib: fileURLToPath(new URL('./src/lib', import.meta.url)) } },
	worker: { format: 'es' },
	// Pre-bundled up front: discovering them mid-run would reload the page under a running test.
	optimizeDeps: { include: ['idb', 'hash-wasm'] },
	test: {
		include: ['src/**/*.browser.spec.ts'],
		testTimeout: 60_000,
		browser: {
			enabled: true,
			headless: true,
			screenshotFailures: false,
			provider: playwright({
				launchOptions: {
					executablePath: chromium,
					args: CHROMIUM_ARGS
				}
			}),
			instances: [{ browser: 'chromium' }]
		}
	}
});

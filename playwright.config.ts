// End-to-end specs: the production build in real Chromium, against the project's own hub servers.
import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS } from './scripts/chromium.ts';

export default defineConfig({
	testDir: 'tests',
	testMatch: '**/*.e2e.ts',
	globalSetup: './tests/global-setup.ts',
	forbidOnly: true,
	retries: 0,
	// Two cores: one browser at a time keeps WASM timings and the machine's memory predictable.
	workers: 1,
	timeout: 90_000,
	expect: { timeout: 30_000 },
	reporter: [['list']],
	use: {
		browserName: 'chromium',
		launchOptions: {
			executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
			// Nothing but loopback is reachable: every other request goes to a proxy that is not there (Chromium
			// never proxies loopback). Blocking with page.route instead would strip the Range headers that
			// resumed downloads depend on.
			args: [...CHROMIUM_ARGS, '--proxy-server=http://127.0.0.1:9', '--proxy-bypass-list=<local>']
		},
		trace: 'retain-on-failure'
	}
});

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
		launchOptions: { executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS },
		trace: 'retain-on-failure'
	}
});

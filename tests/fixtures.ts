// Shared end-to-end fixtures: the running app and hub, and a record of every request to a host other than
// loopback (the browser's launch flags make those fail), so each spec can assert the app never tried to
// reach the internet.

import { test as base, expect, type Page } from '@playwright/test';

export interface AppUnderTest {
	/** The app's origin, ending with '/'. */
	url: string;
	/** The hub started for the tests (the app's HUB_URL). */
	hubUrl: string;
	cdnUrl: string;
}

function isLoopback(url: string): boolean {
	try {
		const { protocol, hostname } = new URL(url);
		if (protocol === 'data:' || protocol === 'blob:' || protocol === 'about:') return true;
		return hostname === '127.0.0.1' || hostname === 'localhost' || hostname === '[::1]';
	} catch {
		return false;
	}
}

export const test = base.extend<{ app: AppUnderTest; external: string[]; page: Page }>({
	// Playwright reads a fixture's dependencies from its first parameter's destructuring; this one has none.
	// eslint-disable-next-line no-empty-pattern
	app: async ({}, use) => {
		const url = process.env.BROWSERVE_URL;
		const hubUrl = process.env.BROWSERVE_HUB_URL;
		const cdnUrl = process.env.BROWSERVE_CDN_URL;
		if (!url || !hubUrl || !cdnUrl) throw new Error('The global setup did not start the app and hub.');
		await use({ url, hubUrl, cdnUrl });
	},
	external: async ({ context }, use) => {
		const attempted: string[] = [];
		// Request events cover the pages and their dedicated workers; observing (unlike routing) leaves the
		// requests untouched.
		context.on('request', (request) => {
			if (!isLoopback(request.url())) attempted.push(request.url());
		});
		await use(attempted);
		expect(attempted, 'requests to hosts other than loopback').toEqual([]);
	},
	page: async ({ page, external }, use) => {
		void external; // depending on it installs the blocking route before the page is used
		const errors: string[] = [];
		page.on('pageerror', (error) => errors.push(error.message));
		await use(page);
		expect(errors, 'uncaught errors on the page').toEqual([]);
	}
});

export { expect };

/** The app URL of a task page with a query string. */
export function taskUrl(app: AppUnderTest, task: string, params: Record<string, string>): string {
	return `${app.url}${task}?${new URLSearchParams(params)}`;
}

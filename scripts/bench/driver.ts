// The Node side of the bench page: opens it in a tab of its own (so in a renderer process of its own), finds
// that process for the memory figures, and relays calls to the page's worker with the protocol's types.

import type { BrowserContext, Page } from 'playwright-core';
import { readMemory, rendererProcesses } from './memory.ts';
import type { BenchKind, BenchPageApi, BenchReplyOf, BenchRequestOf, BenchWindow } from './page/protocol.ts';

const PROBE_BYTES = 256 * 1024 * 1024;

function rssOf(pid: number): number {
	try {
		return readMemory(pid).rss;
	} catch {
		// The process exited between listing and reading (a spare renderer, an old tab's).
		return 0;
	}
}

/**
 * The renderer process hosting `page` (and so its workers): the one whose memory grows when the page
 * allocates. Chromium may keep spare renderers and old tabs' processes around, so no guess is safe.
 */
async function findRenderer(page: Page): Promise<number> {
	const before = new Map(rendererProcesses().map((pid) => [pid, rssOf(pid)]));
	await page.evaluate((bytes) => (window as unknown as BenchWindow).browserveBench.hold(bytes), PROBE_BYTES);
	const grown = [...before].map(([pid, was]) => ({ pid, growth: rssOf(pid) - was }));
	await page.evaluate(() => (window as unknown as BenchWindow).browserveBench.release());
	const best = grown.sort((a, b) => b.growth - a.growth)[0];
	if (!best || best.growth < PROBE_BYTES / 2) {
		throw new Error(
			`No renderer grew when the page allocated ${PROBE_BYTES} bytes: ${JSON.stringify(grown)}.`
		);
	}
	return best.pid;
}

export class BenchSession {
	readonly page: Page;
	/** Pid of the renderer process that hosts the page and its workers. */
	readonly renderer: number;

	private constructor(page: Page, renderer: number) {
		this.page = page;
		this.renderer = renderer;
	}

	/** A new tab on the bench page, with a fresh worker started. */
	static async open(
		context: BrowserContext,
		url: string,
		log: (line: string) => void
	): Promise<BenchSession> {
		const page = await context.newPage();
		page.on('console', (message) => {
			if (message.type() === 'error') log(`  [page] ${message.text()}`);
		});
		page.on('pageerror', (error) => log(`  [page] ${error.message}`));
		await page.goto(url);
		await page.waitForFunction(() => 'browserveBench' in window);
		const session = new BenchSession(page, await findRenderer(page));
		await session.restart();
		return session;
	}

	restart(): Promise<void> {
		return this.page.evaluate(() => (window as unknown as BenchWindow).browserveBench.restart());
	}

	call<K extends BenchKind>(kind: K, request: BenchRequestOf<K>): Promise<BenchReplyOf<K>> {
		// The page answers a call of kind K with K's reply (protocol.ts); Playwright only loses that link.
		return this.page.evaluate(
			(message) => (window as unknown as BenchWindow).browserveBench.call(message.kind, message.request),
			{ kind, request }
		) as Promise<BenchReplyOf<K>>;
	}

	fetchFiles(urls: readonly string[]): Promise<{ ms: number; bytes: number }> {
		return this.page.evaluate(
			(list) => (window as unknown as BenchWindow).browserveBench.fetchFiles(list),
			urls
		);
	}

	about(): Promise<ReturnType<BenchPageApi['about']>> {
		return this.page.evaluate(() => (window as unknown as BenchWindow).browserveBench.about());
	}

	/** The browser's full version (the user agent only carries the major one). */
	async browserVersion(): Promise<string> {
		const cdp = await this.page.context().newCDPSession(this.page);
		try {
			const { product } = await cdp.send('Browser.getVersion');
			return product.replace(/^.*?\//, '');
		} finally {
			await cdp.detach();
		}
	}

	close(): Promise<void> {
		return this.page.close();
	}
}

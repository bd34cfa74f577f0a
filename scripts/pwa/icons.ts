// Renders the app's PNG icons from the two SVGs in static/icons/ (the drawn source), in the sizes browsers
// ask for: 192 and 512 for the manifest (plain and maskable) and 180 for iOS' home screen. Chromium does the
// rasterising, so no image library is needed. The PNGs are committed: run `npm run icons` after editing an
// SVG; the build itself never needs a browser.

import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, ensureChromium } from '../chromium.ts';

export const ICON_DIR = new URL('../../static/icons/', import.meta.url).pathname;

/** Every PNG the manifest and app.html reference: file, source SVG, edge in pixels. */
export const ICON_OUTPUTS = [
	{ file: 'icon-192.png', source: 'icon.svg', size: 192 },
	{ file: 'icon-512.png', source: 'icon.svg', size: 512 },
	{ file: 'maskable-192.png', source: 'maskable.svg', size: 192 },
	{ file: 'maskable-512.png', source: 'maskable.svg', size: 512 },
	// iOS rounds the corners itself and shows transparency as black: the full-bleed variant fits it.
	{ file: 'apple-touch-icon.png', source: 'maskable.svg', size: 180 }
] as const;

export async function renderIcons(dir = ICON_DIR): Promise<string[]> {
	const browser = await chromium.launch({ executablePath: ensureChromium(), args: CHROMIUM_ARGS });
	const written: string[] = [];
	try {
		const page = await browser.newPage({ deviceScaleFactor: 1 });
		for (const output of ICON_OUTPUTS) {
			const svg = await readFile(join(dir, output.source));
			await page.setViewportSize({ width: output.size, height: output.size });
			// An <img> scales the SVG's viewBox to the exact pixel size; the page itself stays transparent.
			await page.setContent(
				`<html><body style="margin:0;background:transparent"><img alt="" width="${output.size}" height="${output.size}" src="data:image/svg+xml;base64,${svg.toString('base64')}"></body></html>`
			);
			await page.locator('img').evaluate((img: HTMLImageElement) => img.decode());
			const png = await page.screenshot({
				omitBackground: true,
				clip: { x: 0, y: 0, width: output.size, height: output.size }
			});
			await writeFile(join(dir, output.file), png);
			written.push(output.file);
		}
	} finally {
		await browser.close();
	}
	return written;
}

if (import.meta.url === `file://${process.argv[1]}`) {
	const written = await renderIcons();
	console.log(`Wrote ${written.map((file) => `static/icons/${file}`).join(', ')}`);
}

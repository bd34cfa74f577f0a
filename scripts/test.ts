// `npm test`: everything, in order of speed: the unit specs (vitest, in Node, then those that need a real
// browser in Chromium), then the end-to-end specs
// (Playwright in real Chromium) against the production build. Finds or installs Chromium (and espeak-ng, which
// speaks the VAD spec's test clip) first.

import { ensureChromium, ensureEspeak } from './chromium.ts';
import { generateFixtures } from './fixtures/index.ts';
import { ensureBuild, HUB_DIR, ROOT, run } from './serve/build.ts';
import { join } from 'node:path';

const chromiumPath = ensureChromium();
process.env.CHROMIUM_PATH = chromiumPath;
console.log(`Chromium: ${chromiumPath}`);
ensureEspeak();

const bin = (name: string) => join(ROOT, 'node_modules/.bin', name);
try {
	await run(bin('vitest'), ['run']);
	await run(bin('vitest'), ['run', '--config', 'vitest.browser.config.ts']);
	await ensureBuild();
	await generateFixtures(HUB_DIR);
	await run(bin('playwright'), ['test', ...process.argv.slice(2)]);
} catch (error) {
	console.error(error instanceof Error ? error.message : String(error));
	process.exit(1);
}

// `npm start`: builds the app if needed, writes the bundled model mirror, and serves both on one origin,
// cross-origin isolated, so the app works out of the box on a machine with no internet.
//   PORT (default 4173), HOST (default 127.0.0.1), HUB_URL (an HF-compatible hub to use first).

import { generateFixtures } from './fixtures/index.ts';
import { BUILD_DIR, ensureBuild, HUB_DIR } from './serve/build.ts';
import { startAppServer } from './serve/app-server.ts';

function fail(message: string): never {
	console.error(`npm start: ${message}`);
	process.exit(2);
}

const port = Number(process.env.PORT ?? 4173);
if (!Number.isInteger(port) || port < 0 || port > 65535)
	fail(`PORT=${process.env.PORT} is not a port number.`);
const hubUrl = process.env.HUB_URL?.trim() || undefined;
if (hubUrl) {
	try {
		const url = new URL(hubUrl);
		if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error();
	} catch {
		fail(`HUB_URL=${hubUrl} is not an http(s) address.`);
	}
}

await ensureBuild();
const repos = await generateFixtures(HUB_DIR);
const app = await startAppServer({
	buildDir: BUILD_DIR,
	hubDir: HUB_DIR,
	hubUrl,
	port,
	host: process.env.HOST ?? '127.0.0.1'
}).catch((error: unknown) => fail(error instanceof Error ? error.message : String(error)));
console.log(`Browserve is running at ${app.url}`);
console.log(
	`  bundled mirror: ${app.url}hub/ (${repos.length} models)${hubUrl ? `\n  default hub: ${hubUrl}` : ''}`
);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
	process.once(signal, () => void app.close().then(() => process.exit(0)));
}

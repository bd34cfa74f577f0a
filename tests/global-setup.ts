// Starts what the end-to-end specs run against: a hub on an ephemeral port (as an on-prem mirror would be),
// and the app server with that hub as HUB_URL, both over real HTTP. Their URLs reach the specs through env.

import { generateFixtures } from '../scripts/fixtures/index.ts';
import { startHub } from '../scripts/hub/server.ts';
import { startAppServer } from '../scripts/serve/app-server.ts';
import { BUILD_DIR, ensureBuild, HUB_DIR } from '../scripts/serve/build.ts';

export default async function globalSetup(): Promise<() => Promise<void>> {
	await ensureBuild();
	await generateFixtures(HUB_DIR);
	const hub = await startHub({ dir: HUB_DIR, control: true });
	const app = await startAppServer({ buildDir: BUILD_DIR, hubDir: HUB_DIR, hubUrl: hub.url });
	process.env.BROWSERVE_URL = app.url;
	process.env.BROWSERVE_HUB_URL = hub.url;
	process.env.BROWSERVE_CDN_URL = hub.cdnUrl;
	return async () => {
		await app.close();
		await hub.close();
	};
}

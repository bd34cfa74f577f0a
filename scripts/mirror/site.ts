// `npm run build:site -- --with-models DIR --out OUT`: the app's static build with a mirror (from
// `npm run mirror`) under OUT/hub/ and a browserve.config.json that points the app at it, so OUT can be
// copied as it is to nginx, an object store or a CDN, and users need nothing outside that server.

import { cp, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { MIRROR_INDEX_FILE, parseMirrorIndex, type MirrorIndex } from '../../src/lib/hub/static-index.ts';
import type { TaskId } from '../../src/lib/tasks/registry.ts';
import { BUILD_DIR, ensureBuild } from '../serve/build.ts';
import { tasksForPipelineTag } from './select.ts';

const USAGE = 'usage: npm run build:site -- --with-models DIR --out OUT';

/** The site's config: only its own mirror, with a mirrored model as each task's default where there is one. */
export function siteConfig(index: MirrorIndex): object {
	const defaultModels: Partial<Record<TaskId, string>> = {};
	for (const [id, model] of Object.entries(index.models)) {
		for (const task of tasksForPipelineTag(model.pipelineTag)) defaultModels[task] ??= id;
	}
	return { hubs: ['/hub/'], defaultModels };
}

/** Writes the site; the mirror must have its index (a folder that is not a mirror is refused). */
export async function buildSite(models: string, out: string, buildDir = BUILD_DIR): Promise<MirrorIndex> {
	const indexText = await readFile(join(models, MIRROR_INDEX_FILE), 'utf8').catch(() => null);
	if (indexText === null)
		throw new Error(
			`${models} has no ${MIRROR_INDEX_FILE}: make it with npm run mirror -- ORG/NAME --out ${models}`
		);
	const index = parseMirrorIndex(JSON.parse(indexText), `${models}/`);
	await rm(out, { recursive: true, force: true });
	await cp(buildDir, out, { recursive: true });
	// Only what the index lists (and the index): leftovers in the folder are not published.
	await mkdir(join(out, 'hub'), { recursive: true });
	await writeFile(join(out, 'hub', MIRROR_INDEX_FILE), indexText);
	for (const [id, model] of Object.entries(index.models)) {
		for (const file of model.files) {
			const from = join(models, ...id.split('/'), ...file.path.split('/'));
			const info = await stat(from).catch(() => null);
			if (info?.size !== file.size)
				throw new Error(`${from} is missing or not the size the index records; run the mirror again.`);
			await cp(from, join(out, 'hub', ...id.split('/'), ...file.path.split('/')));
		}
	}
	await writeFile(join(out, 'browserve.config.json'), `${JSON.stringify(siteConfig(index), null, '\t')}\n`);
	return index;
}

async function main(): Promise<void> {
	let values;
	try {
		({ values } = parseArgs({
			args: process.argv.slice(2),
			options: { 'with-models': { type: 'string' }, out: { type: 'string' } },
			strict: true
		}));
		if (!values['with-models'] || !values.out) throw new Error('--with-models and --out are required');
	} catch (error) {
		console.error(`build:site: ${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
		process.exit(2);
	}
	await ensureBuild();
	const out = resolve(values.out);
	const index = await buildSite(resolve(values['with-models']), out);
	console.log(`Static site with ${Object.keys(index.models).length} model(s) under /hub/ written to ${out}`);
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) {
	main().catch((error: unknown) => {
		console.error(`build:site: ${error instanceof Error ? error.message : String(error)}`);
		process.exit(1);
	});
}

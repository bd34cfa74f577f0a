// CLI for `npm run fixtures`: writes the fixture hub repos (default `.hub/` at the repo root) and lists them.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { generateFixtures } from './fixtures/index.ts';
import { REPO_ROOT } from './fixtures/pretrained.ts';

const { values } = parseArgs({ options: { out: { type: 'string' } } });
const outDir = resolve(values.out ?? resolve(REPO_ROOT, '.hub'));
const started = performance.now();
const repos = await generateFixtures(outDir);
for (const repo of repos)
	console.log(`${repo.id.padEnd(32)} ${repo.pipelineTag.padEnd(26)} ${repo.files.length} files`);
console.log(`${repos.length} repos in ${outDir} (${Math.round(performance.now() - started)} ms)`);

// `npm run bench`: every figure of Browserve's benchmark from one run on this machine. Runs the store suite
// (cold and warm loads, store reads, memory) and the runtime suite (inference overhead, fixed cost, threads,
// browser vs native, WebGPU vs WASM, main thread) in Chromium against the local hub, writes everything to one
// bench/results/<date>-<machine>.json and prints one markdown table at the end, each row a ratio of two things
// measured side by side. `--quick` does the same on small models with few runs (the test suite runs it).

import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { format, resolveConfig } from 'prettier';
import { findChromium } from '../chromium.ts';
import { parseBenchOptions } from './options.ts';
import { REPO_ROOT } from './pages.ts';
import { renderReport } from './report.ts';
import { renderSummary, resultFileName, type BenchResult } from './result.ts';
import { brokenRows } from './rows.ts';
import { runRuntimeSuite } from './runtime.ts';
import { renderRuntimeDetails } from './runtime-report.ts';
import { runStoreSuite } from './store.ts';
import { storeRows } from './store-rows.ts';
import { runtimeRows } from './runtime-rows.ts';

const log = (line: string): void => void process.stderr.write(`${line}\n`);

async function writeResult(result: BenchResult, outDir: string): Promise<string> {
	await mkdir(outDir, { recursive: true });
	const path = join(outDir, resultFileName(result.date, result.machine.hostname, result.quick));
	// Written aside and renamed, so an interrupted run never leaves half a file (*.tmp is gitignored).
	const temp = `${path}.tmp`;
	// Formatted as the repo's Prettier would, so a committed result passes `npm run lint` as written.
	const options = { ...(await resolveConfig(path)), filepath: path };
	await writeFile(temp, await format(JSON.stringify(result), options));
	await rename(temp, path);
	return path;
}

async function main(): Promise<void> {
	const started = performance.now();
	const options = parseBenchOptions(process.argv.slice(2), REPO_ROOT);
	const chromiumPath = findChromium();
	if (!chromiumPath) throw new Error('No Chromium found: install Debian’s chromium or set CHROMIUM_PATH.');
	log(
		`${options.quick ? 'Quick bench' : 'Bench'}: ${options.suites.join(' + ')}, ${options.warmups} warm-ups + ${options.pairs} pairs.`
	);

	// One after the other, so neither suite's figures carry the other's load. A quick run's figures are not read
	// (it proves every row comes out), so it runs both at once and takes half the time.
	const runStore = () => (options.suites.includes('store') ? runStoreSuite(options, chromiumPath) : null);
	const runRuntime = () =>
		options.suites.includes('runtime') ? runRuntimeSuite(options, chromiumPath) : null;
	const [store, runtime] = options.quick
		? await Promise.all([runStore(), runRuntime()])
		: [await runStore(), await runRuntime()];
	const machine = store?.machine ?? runtime?.machine;
	if (!machine) throw new Error('No suite ran.');
	const { cacheDir: _cache, hubDir: _hub, outDir, ...settings } = options;
	const result: BenchResult = {
		benchmark: 'browserve',
		date: new Date().toISOString().slice(0, 10),
		quick: options.quick,
		machine,
		settings,
		rows: [...(runtime ? runtimeRows(runtime) : []), ...(store ? storeRows(store) : [])],
		store,
		runtime,
		tookSeconds: Math.round((performance.now() - started) / 1000)
	};
	const path = await writeResult(result, outDir);
	// The detailed reports are for reading figures; a quick run's are not figures, and skip the detail runs.
	if (store && !options.quick) process.stdout.write(`${renderReport(store)}\n`);
	if (runtime && !options.quick) process.stdout.write(`${renderRuntimeDetails(runtime)}\n`);
	process.stdout.write(`${renderSummary(result)}\n`);
	const broken = brokenRows(result.rows);
	if (broken.length > 0) log(`These rows have no finite positive ratio: ${broken.join(', ')}.`);
	log(`Raw samples: ${relative(REPO_ROOT, path)}. Took ${result.tookSeconds} s.`);
}

await main();

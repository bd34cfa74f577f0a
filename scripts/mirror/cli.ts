// `npm run mirror -- ORG/NAME[@REVISION] ... --out DIR [--from URL] [--dtype DTYPE] [--task TASK]`:
// copies exactly the files the app would load for those models from an upstream hub into DIR, checked by
// sha256, with browserve-mirror.json recording the commits. DIR is served as is by `npm run hub -- --dir DIR`
// or by any static file server once `npm run build:site -- --with-models DIR --out OUT` has put it under /hub/.

import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DTYPES, type Dtype } from '../../src/lib/runtime/backend.ts';
import { whyNotModelId, whyNotRevision } from '../../src/lib/share/link.ts';
import { isTaskId, type TaskId } from '../../src/lib/tasks/registry.ts';
import { mirrorModels, type MirrorRequest } from './mirror.ts';

const USAGE =
	'usage: npm run mirror -- ORG/NAME[@REVISION] ... --out DIR [--from https://huggingface.co] [--dtype q8] [--task TASK]';

class UsageError extends Error {
	override name = 'UsageError';
}

export interface MirrorArgs {
	requests: MirrorRequest[];
	out: string;
	from: string;
	dtype?: Dtype;
	task?: TaskId;
}

export function parseMirrorArgs(argv: string[]): MirrorArgs {
	let parsed;
	try {
		parsed = parseArgs({
			args: argv,
			options: {
				out: { type: 'string' },
				from: { type: 'string' },
				dtype: { type: 'string' },
				task: { type: 'string' }
			},
			strict: true,
			allowPositionals: true
		});
	} catch (error) {
		throw new UsageError(error instanceof Error ? error.message : String(error));
	}
	const { values, positionals } = parsed;
	if (positionals.length === 0)
		throw new UsageError('name at least one model (ORG/NAME or ORG/NAME@REVISION)');
	if (!values.out) throw new UsageError('--out DIR is required');
	const requests = positionals.map((arg) => {
		const at = arg.indexOf('@');
		const model = at === -1 ? arg : arg.slice(0, at);
		const revision = at === -1 ? 'main' : arg.slice(at + 1);
		const problem = whyNotModelId(model) ?? (model.includes('/') ? null : `${model} needs its organisation`);
		if (problem) throw new UsageError(problem);
		const badRevision = whyNotRevision(revision);
		if (badRevision) throw new UsageError(`${arg}: ${badRevision}`);
		return { model, revision };
	});
	const seen = new Set<string>();
	for (const request of requests) {
		// A mirror folder holds one revision per model (it is that model's `main` on the mirror).
		if (seen.has(request.model))
			throw new UsageError(`${request.model} is named twice; a mirror holds one revision of it`);
		seen.add(request.model);
	}
	const from = values.from ?? 'https://huggingface.co/';
	try {
		const url = new URL(from);
		if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error();
	} catch {
		throw new UsageError(`--from ${from} is not an http(s) address`);
	}
	let dtype: Dtype | undefined;
	if (values.dtype !== undefined) {
		if (!(DTYPES as readonly string[]).includes(values.dtype))
			throw new UsageError(`--dtype must be one of ${DTYPES.join(', ')}, got "${values.dtype}"`);
		dtype = values.dtype as Dtype;
	}
	let task: TaskId | undefined;
	if (values.task !== undefined) {
		if (!isTaskId(values.task)) throw new UsageError(`--task ${values.task} is not a Browserve task`);
		task = values.task;
	}
	return { requests, out: resolve(values.out), from, dtype, task };
}

async function main(): Promise<void> {
	let args: MirrorArgs;
	try {
		args = parseMirrorArgs(process.argv.slice(2));
	} catch (error) {
		if (!(error instanceof UsageError)) throw error;
		console.error(`mirror: ${error.message}\n${USAGE}`);
		process.exit(2);
	}
	const index = await mirrorModels(args.requests, { ...args, log: (line) => console.log(line) });
	console.log(
		`Mirrored ${args.requests.length} model(s) into ${args.out} (${Object.keys(index.models).length} in its index).`
	);
}

// Run as a command, not when a spec imports the argument parser.
if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) {
	main().catch((error: unknown) => {
		console.error(`mirror: ${error instanceof Error ? error.message : String(error)}`);
		process.exit(1);
	});
}

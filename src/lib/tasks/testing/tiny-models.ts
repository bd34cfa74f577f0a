// For specs that run the generated tiny models in Node transformers.js: before the suite, the fixtures are
// generated into a temporary directory and transformers.js reads models from there (and only there); after it,
// every pipeline loaded through load() is disposed and the directory removed.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import * as transformers from '@huggingface/transformers';
import { generateFixtures, type GeneratedRepo } from '../../../../scripts/fixtures/index.ts';
import type { PipelineCall } from '../types';

export interface TinyModels {
	/** The directory the fixtures were generated into (set once the suite has started). */
	readonly dir: string;
	/** The generated repos (set once the suite has started). */
	readonly repos: GeneratedRepo[];
	/** A generated model's fp32 pipeline for `task`, disposed after the suite. */
	load(task: transformers.PipelineType, model: string): Promise<PipelineCall>;
}

/** Registers the suite's beforeAll/afterAll; call it at the top of a spec file or describe block. */
export function useTinyModels(dirPrefix: string): TinyModels {
	let dir = '';
	let repos: GeneratedRepo[] = [];
	const loaded: { dispose(): Promise<unknown> }[] = [];

	beforeAll(async () => {
		dir = await mkdtemp(join(tmpdir(), dirPrefix));
		repos = await generateFixtures(dir);
		transformers.env.allowRemoteModels = false;
		transformers.env.allowLocalModels = true;
		transformers.env.localModelPath = `${dir}/`;
		transformers.env.useFSCache = false;
	});

	afterAll(async () => {
		await Promise.all(loaded.splice(0).map((pipe) => pipe.dispose()));
		if (dir) await rm(dir, { recursive: true, force: true });
	});

	return {
		get dir() {
			return dir;
		},
		get repos() {
			return repos;
		},
		async load(task, model) {
			const pipe = await transformers.pipeline(task, model, { dtype: 'fp32' });
			loaded.push(pipe);
			return pipe as unknown as PipelineCall;
		}
	};
}

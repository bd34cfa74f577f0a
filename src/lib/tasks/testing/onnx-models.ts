// For specs of tasks that run their own ONNX pipeline (voice activity detection, OCR): before the suite, the
// fixtures are generated into a temporary directory; load() opens a repo there as the worker would (through
// openOnnxModel, on WASM) with onnxruntime-web's Node build, and builds the task's pipe. Everything loaded is
// disposed, and the directory removed, after the suite.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import * as ort from 'onnxruntime-web';
import { generateFixtures, type GeneratedRepo } from '../../../../scripts/fixtures/index.ts';
import { openOnnxModel, selectOnnxFiles } from '$lib/runtime/onnx-model';
import type { OnnxModel, OnnxPipeline } from '../types';

export interface OnnxModels {
	/** The generated repos (set once the suite has started). */
	readonly repos: GeneratedRepo[];
	/** A repo's planned files opened as the worker opens them. */
	open(repo: string, pipeline: OnnxPipeline<unknown>): OnnxModel;
	/** The task's pipe for a repo, disposed after the suite. */
	load<Pipe>(repo: string, pipeline: OnnxPipeline<Pipe>): Promise<Pipe>;
}

/** Registers the suite's beforeAll/afterAll; call it at the top of a spec file or describe block. */
export function useOnnxModels(dirPrefix: string): OnnxModels {
	let dir = '';
	let repos: GeneratedRepo[] = [];
	const loaded: { dispose(): Promise<void> }[] = [];

	beforeAll(async () => {
		dir = await mkdtemp(join(tmpdir(), dirPrefix));
		repos = await generateFixtures(dir);
	});

	afterAll(async () => {
		await Promise.all(loaded.splice(0).map((pipe) => pipe.dispose()));
		if (dir) await rm(dir, { recursive: true, force: true });
	});

	const open = (repo: string, pipeline: OnnxPipeline<unknown>): OnnxModel => {
		const generated = repos.find((candidate) => candidate.id === repo);
		if (!generated) throw new Error(`No fixture repo ${repo}.`);
		return openOnnxModel({
			files: selectOnnxFiles(pipeline, repo, generated.files),
			backend: { device: 'wasm', dtype: 'fp32' },
			ort,
			read: async (path) => new Uint8Array(await readFile(join(dir, repo, path)))
		});
	};

	return {
		get repos() {
			return repos;
		},
		open,
		async load<Pipe>(repo: string, pipeline: OnnxPipeline<Pipe>) {
			const pipe = await pipeline.load(open(repo, pipeline as OnnxPipeline<unknown>));
			loaded.push(pipe);
			return pipe;
		}
	};
}

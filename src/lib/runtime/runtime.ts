// The app's one worker pool, created on first use so pages that never run a model never start a worker.

import { ORT_FILES } from './ort-files';
import { WorkerPool } from './pool.svelte';

let pool: WorkerPool | null = null;

export function getPool(): WorkerPool {
	pool ??= new WorkerPool(
		() =>
			new Worker(new URL('../../../workers/inference.worker.ts', import.meta.url), {
				type: 'module',
				name: 'browserve-inference'
			}),
		{
			maxModels: 3,
			ortFiles: {
				wasm: new URL(ORT_FILES.wasm, location.href).href,
				mjs: new URL(ORT_FILES.mjs, location.href).href
			}
		}
	);
	return pool;
}

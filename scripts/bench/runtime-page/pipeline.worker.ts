// A bare transformers.js worker: one text-classification pipeline, called as the app's task calls it, with
// nothing around it. The app's fixed cost per call is measured against this.
/// <reference lib="webworker" />

import { env, pipeline, type TextClassificationPipeline } from '@huggingface/transformers';
import { serializeError } from '$lib/runtime/errors';
import type { BareReply, BareRequest, LabelScore } from './protocol';

declare const self: DedicatedWorkerGlobalScope;

let classify: TextClassificationPipeline | null = null;

async function run(text: string): Promise<LabelScore[]> {
	if (!classify) throw new Error('Send init-pipeline first.');
	// As the app's text-classification task calls it: every label, sorted by score.
	return (await classify(text, { top_k: null })) as LabelScore[];
}

async function handle(request: BareRequest): Promise<BareReply> {
	const started = performance.now();
	if (request.kind === 'init-pipeline') {
		const { runtime, hub, repo, dtype } = request;
		const onnx = env.backends.onnx;
		if (onnx.wasm) {
			onnx.wasm.wasmPaths = { wasm: runtime.wasm, mjs: runtime.mjs };
			onnx.wasm.numThreads = runtime.threads;
		}
		env.allowLocalModels = false;
		env.useBrowserCache = false;
		env.useWasmCache = false;
		env.remoteHost = hub;
		env.remotePathTemplate = '{model}/resolve/{revision}/';
		classify = await pipeline('text-classification', repo, { device: 'wasm', dtype });
		return { ok: true, workerMs: performance.now() - started, labels: await run('warm up') };
	}
	if (request.kind === 'run') {
		const labels = await run(request.text);
		return { ok: true, workerMs: performance.now() - started, labels };
	}
	throw new Error(`This worker runs a transformers.js pipeline only, not ${request.kind}.`);
}

self.addEventListener('message', (event: MessageEvent<BareRequest>) => {
	handle(event.data).then(
		(reply) => self.postMessage(reply),
		(error: unknown) => self.postMessage({ ok: false, error: serializeError(error) } satisfies BareReply)
	);
});

// A bare ONNX Runtime Web worker: one InferenceSession on the WASM backend, fed the same tensors every call.
// It is what the app's path is measured against: the same ONNX file, backend and threads, and nothing else
// (no tokenizer, no pipeline, no task code, no store).
/// <reference lib="webworker" />

import { env, InferenceSession, Tensor } from 'onnxruntime-web/webgpu';
import { serializeError } from '$lib/runtime/errors';
import type { BareReply, BareRequest } from './protocol';

declare const self: DedicatedWorkerGlobalScope;

let session: InferenceSession | null = null;
let feeds: Record<string, Tensor> = {};

async function run(): Promise<number[]> {
	if (!session) throw new Error('Send init-ort first.');
	const outputs = await session.run(feeds);
	const logits = outputs.logits;
	if (!logits) throw new Error('The model has no logits output.');
	return Array.from(logits.data as Float32Array);
}

async function handle(request: BareRequest): Promise<BareReply> {
	const started = performance.now();
	if (request.kind === 'init-ort') {
		const { runtime, modelUrl, inputIds } = request;
		env.wasm.wasmPaths = { wasm: runtime.wasm, mjs: runtime.mjs };
		// Fixed when ORT's WASM starts: one worker per thread count.
		env.wasm.numThreads = runtime.threads;
		const response = await fetch(modelUrl);
		if (!response.ok) throw new Error(`${modelUrl} answered HTTP ${response.status}.`);
		session = await InferenceSession.create(new Uint8Array(await response.arrayBuffer()), {
			executionProviders: ['wasm']
		});
		const dims = [1, inputIds.length];
		feeds = {
			input_ids: new Tensor('int64', BigInt64Array.from(inputIds, BigInt), dims),
			attention_mask: new Tensor('int64', new BigInt64Array(inputIds.length).fill(1n), dims)
		};
		// One run sizes ORT's buffers, as the app's warm-up does.
		return { ok: true, workerMs: performance.now() - started, logits: await run() };
	}
	if (request.kind === 'run') {
		const logits = await run();
		return { ok: true, workerMs: performance.now() - started, logits };
	}
	throw new Error(`This worker runs ONNX Runtime only, not ${request.kind}.`);
}

self.addEventListener('message', (event: MessageEvent<BareRequest>) => {
	handle(event.data).then(
		(reply) => self.postMessage(reply),
		(error: unknown) => self.postMessage({ ok: false, error: serializeError(error) } satisfies BareReply)
	);
});

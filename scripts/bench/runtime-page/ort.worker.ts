// A bare ONNX Runtime Web worker: one InferenceSession on the WASM backend, fed the same prepared feeds every
// call (programs.ts). It is what the app's path is measured against: the same ONNX file, backend and threads,
// and nothing else (no tokenizer, no pipeline, no task code, no store).
/// <reference lib="webworker" />

import { env, InferenceSession, Tensor } from 'onnxruntime-web/webgpu';
import { serializeError } from '$lib/runtime/errors';
import { prepareProgram, type ProgramCall, type TensorMaker } from './programs';
import type { BareReply, BareRequest } from './protocol';

declare const self: DedicatedWorkerGlobalScope;

const make: TensorMaker<Tensor> = {
	float32: (data, dims) => new Tensor('float32', data, dims),
	int64: (data, dims) => new Tensor('int64', data, dims)
};

let call: ProgramCall | null = null;

async function handle(request: BareRequest): Promise<BareReply> {
	const started = performance.now();
	if (request.kind === 'init-ort') {
		const { runtime, modelUrl, program } = request;
		env.wasm.wasmPaths = { wasm: runtime.wasm, mjs: runtime.mjs };
		// Fixed when ORT's WASM starts: one worker per thread count.
		env.wasm.numThreads = runtime.threads;
		const response = await fetch(modelUrl);
		if (!response.ok) throw new Error(`${modelUrl} answered HTTP ${response.status}.`);
		const session = await InferenceSession.create(new Uint8Array(await response.arrayBuffer()), {
			executionProviders: ['wasm']
		});
		call = prepareProgram(make, session, program);
		// One run sizes ORT's buffers, as the app's warm-up does.
		return { ok: true, workerMs: performance.now() - started, values: await call(true) };
	}
	if (request.kind === 'run') {
		if (!call) throw new Error('Send init-ort first.');
		const values = await call();
		return { ok: true, workerMs: performance.now() - started, values };
	}
	throw new Error(`This worker runs ONNX Runtime only, not ${request.kind}.`);
}

self.addEventListener('message', (event: MessageEvent<BareRequest>) => {
	handle(event.data).then(
		(reply) => self.postMessage(reply),
		(error: unknown) => self.postMessage({ ok: false, error: serializeError(error) } satisfies BareReply)
	);
});

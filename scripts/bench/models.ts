// The models the store benchmark needs on disk: the ~219 MB big embedder as a hub repo (regenerated each run in
// about two seconds, rewritten only if its bytes changed so the hub's hashes stay cached) and a tiny graph
// that starts ONNX Runtime in each fresh worker before the timed load.

import { join } from 'node:path';
import { bigEmbedder } from '../fixtures/big.ts';
import { GraphBuilder } from '../fixtures/onnx.ts';
import { renderCard, type RepoSpec } from '../fixtures/repo.ts';
import { toBytes, writeFileIfChanged, writeRepo, type FileContent } from '../fixtures/write.ts';

export interface BigModel {
	spec: RepoSpec;
	/** Bytes of `onnx/model.onnx`, the file every figure is about. */
	modelBytes: number;
	/** Bytes of every file of the repo. */
	totalBytes: number;
}

export const MODEL_PATH = 'onnx/model.onnx';

/** Writes the big embedder under `hubDir/ORG/NAME/`; another `hiddenSize` scales it (for diagnostics). */
export async function writeBigModel(hubDir: string, hiddenSize?: number): Promise<BigModel> {
	const spec = bigEmbedder({ hiddenSize });
	const files = new Map<string, FileContent>([...spec.files, ['README.md', renderCard(spec.card)]]);
	await writeRepo(hubDir, spec.id, files);
	const sizes = new Map([...files].map(([path, content]) => [path, toBytes(content).length]));
	return {
		spec,
		modelBytes: sizes.get(MODEL_PATH) ?? 0,
		totalBytes: [...sizes.values()].reduce((sum, size) => sum + size, 0)
	};
}

/** A one-node graph: creating a session from it initialises ORT's WASM backend and nothing more. */
export async function writeWarmupModel(dir: string, name = 'warmup.onnx'): Promise<string> {
	const g = new GraphBuilder('warmup');
	const x = g.input('x', 'float32', [1]);
	g.op('Identity', [x], {}, 'y');
	g.output('y', 'float32', [1]);
	await writeFileIfChanged(join(dir, name), g.encode());
	return name;
}

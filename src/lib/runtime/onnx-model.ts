// Worker side: the runtime half of a task's own ONNX pipeline (tasks that are not transformers.js pipelines,
// such as voice activity detection and OCR). Chooses which of a repo's files to plan for such a task, and opens
// the stored files as an OnnxModel: bytes come from the model store through `read`, and sessions use the
// device the plan chose and ONNX Runtime's environment (threads, WASM files) that the worker configured.

import type { OnnxModel, OnnxPipeline, OnnxRuntime, OnnxSession } from '$lib/tasks/types';
import type { BackendPlan } from './backend';
import { ModelLoadError } from './errors';

/** A task's own pipeline, told apart from a transformers.js pipeline tag. */
export function isOnnxPipeline(pipeline: unknown): pipeline is OnnxPipeline<unknown> {
	return (
		typeof pipeline === 'object' && pipeline !== null && (pipeline as { kind?: unknown }).kind === 'onnx'
	);
}

/** External weights ORT reads next to a graph: `model.onnx_data`, `model.onnx_data_1`, … */
function externalDataOf(graph: string, paths: readonly string[]): string[] {
	return paths.filter((path) => path === `${graph}_data` || path.startsWith(`${graph}_data_`));
}

/**
 * The paths to download for a task's own pipeline: what it asks for, plus the external data of its graphs.
 * Refuses, naming them, a repo without the files the task needs.
 */
export function selectOnnxFiles(
	pipeline: OnnxPipeline<unknown>,
	model: string,
	paths: readonly string[],
	graph?: string
): string[] {
	const needed = [...pipeline.files(paths, graph)];
	const available = new Set(paths);
	const missing = needed.filter((path) => !available.has(path));
	if (missing.length > 0) {
		throw new ModelLoadError(`${model} lacks ${missing.join(', ')}, which this task needs.`, { model });
	}
	if (!needed.some((path) => path.endsWith('.onnx'))) {
		throw new ModelLoadError(`${model} has no ONNX graph this task can run.`, { model });
	}
	const external = needed.filter((path) => path.endsWith('.onnx')).flatMap((g) => externalDataOf(g, paths));
	return [...new Set([...needed, ...external])];
}

export interface OnnxModelOptions {
	/** The planned files (all stored). */
	files: readonly string[];
	backend: Pick<BackendPlan, 'device' | 'dtype'>;
	ort: OnnxRuntime;
	/** Reads a stored file's bytes (the model store in the worker). */
	read(path: string): Promise<Uint8Array>;
}

/** Opens a model's stored files for a task's own pipeline. */
export function openOnnxModel(options: OnnxModelOptions): OnnxModel {
	const { files, backend, ort, read } = options;
	const planned = new Set(files);
	const sessions: OnnxSession[] = [];
	const bytes = (path: string): Promise<Uint8Array> => {
		// Only planned files are stored; anything else would silently need the network.
		if (!planned.has(path)) throw new ModelLoadError(`${path} was not planned for this model.`, { path });
		return read(path);
	};
	return {
		files,
		device: backend.device,
		dtype: backend.dtype,
		ort,
		bytes,
		async text(path) {
			return new TextDecoder().decode(await bytes(path));
		},
		async session(path) {
			const external = await Promise.all(
				externalDataOf(path, files).map(async (data) => ({
					// ORT matches external data by the file name the graph records (relative to the graph).
					path: data.slice(data.lastIndexOf('/') + 1),
					data: await bytes(data)
				}))
			);
			const session = await ort.InferenceSession.create(await bytes(path), {
				executionProviders: [backend.device],
				...(external.length > 0 ? { externalData: external } : {})
			});
			sessions.push(session);
			return session;
		},
		async release() {
			await Promise.all(sessions.splice(0).map((session) => session.release()));
		}
	};
}

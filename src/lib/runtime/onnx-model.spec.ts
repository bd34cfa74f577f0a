// The runtime half of a task's own ONNX pipeline: telling it from a transformers.js pipeline tag, choosing the
// files to plan (with external data, refusing by name what is missing), and an OnnxModel that reads only
// planned files, opens sessions on the planned device with their external data, and releases them all. A real
// session comes from onnxruntime-web's Node build on the Silero graph that the fixtures copy.

import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-web';
import type { OnnxPipeline, OnnxRuntime } from '$lib/tasks/types';
import { REPO_ROOT } from '../../../scripts/fixtures/pretrained.ts';
import { ModelLoadError } from './errors';
import { isOnnxPipeline, openOnnxModel, selectOnnxFiles } from './onnx-model';

function pipelineNeeding(...paths: string[]): OnnxPipeline<unknown> {
	return {
		kind: 'onnx',
		files: () => paths,
		devices: ['wasm'],
		load: async () => ({ dispose: async () => undefined })
	};
}

/** Every .onnx file of the repo: what a page for "any ONNX model" would ask for. */
const everyGraph: OnnxPipeline<unknown> = {
	...pipelineNeeding(),
	files: (paths) => paths.filter((path) => path.endsWith('.onnx'))
};

describe('isOnnxPipeline', () => {
	it.each([
		['a pipeline tag', 'text-classification', false],
		['null', null, false],
		['another object', { kind: 'other' }, false],
		['an OnnxPipeline', pipelineNeeding('onnx/model.onnx'), true]
	])('%s', (_, value, expected) => {
		expect(isOnnxPipeline(value)).toBe(expected);
	});
});

describe('selectOnnxFiles', () => {
	const repo = [
		'README.md',
		'config.json',
		'onnx/det.onnx',
		'onnx/rec.onnx',
		'onnx/rec.onnx_data',
		'onnx/rec.onnx_data_1',
		'onnx/other.onnx',
		'keys.txt'
	];

	it.each([
		['the named files', pipelineNeeding('onnx/det.onnx', 'keys.txt'), ['onnx/det.onnx', 'keys.txt']],
		[
			'a graph with its external data',
			pipelineNeeding('onnx/rec.onnx'),
			['onnx/rec.onnx', 'onnx/rec.onnx_data', 'onnx/rec.onnx_data_1']
		],
		[
			'every graph, when the task asks for them',
			everyGraph,
			['onnx/det.onnx', 'onnx/rec.onnx', 'onnx/other.onnx', 'onnx/rec.onnx_data', 'onnx/rec.onnx_data_1']
		]
	])('plans %s', (_, pipeline, expected) => {
		expect(selectOnnxFiles(pipeline, 'org/model', repo)).toEqual(expected);
	});

	it('refuses a repo without a file the task needs, naming it', () => {
		const refuse = () =>
			selectOnnxFiles(pipelineNeeding('onnx/cls.onnx', 'keys.txt', 'x.txt'), 'org/m', repo);
		expect(refuse).toThrow(ModelLoadError);
		expect(refuse).toThrow('org/m lacks onnx/cls.onnx, x.txt, which this task needs.');
	});

	it('refuses a repo with no graph to run', () => {
		expect(() => selectOnnxFiles(everyGraph, 'org/text', ['config.json'])).toThrow(
			'org/text has no ONNX graph this task can run.'
		);
	});
});

/** An ORT stand-in that records how sessions were created and released. */
function recordingRuntime() {
	const created: { bytes: Uint8Array; options: unknown }[] = [];
	let released = 0;
	const runtime = {
		InferenceSession: {
			create: async (bytes: Uint8Array, options: unknown) => {
				created.push({ bytes, options });
				return {
					release: async () => {
						released++;
					}
				};
			}
		},
		Tensor: ort.Tensor
	} as unknown as OnnxRuntime;
	return { runtime, created, released: () => released };
}

describe('openOnnxModel', () => {
	const stored: Record<string, string> = {
		'onnx/a.onnx': 'graph a',
		'onnx/b.onnx': 'graph b',
		'onnx/b.onnx_data': 'weights of b',
		'keys.txt': 'α\nβ\n'
	};
	const reads: string[] = [];
	const read = async (path: string) => {
		reads.push(path);
		return new TextEncoder().encode(stored[path] ?? '');
	};

	it('reads planned files through the store, and no other', async () => {
		const { runtime } = recordingRuntime();
		const model = openOnnxModel({
			files: ['onnx/a.onnx', 'keys.txt'],
			backend: { device: 'wasm', dtype: 'fp32' },
			ort: runtime,
			read
		});
		expect(await model.text('keys.txt')).toBe('α\nβ\n');
		expect(() => model.bytes('onnx/b.onnx')).toThrow('onnx/b.onnx was not planned for this model.');
		expect(reads).toContain('keys.txt');
		expect(reads).not.toContain('onnx/b.onnx');
		expect([model.device, model.dtype]).toEqual(['wasm', 'fp32']);
	});

	it('opens sessions on the planned device with their external data, and releases them all', async () => {
		const { runtime, created, released } = recordingRuntime();
		const model = openOnnxModel({
			files: ['onnx/a.onnx', 'onnx/b.onnx', 'onnx/b.onnx_data'],
			backend: { device: 'webgpu', dtype: 'fp16' },
			ort: runtime,
			read
		});
		await model.session('onnx/a.onnx');
		await model.session('onnx/b.onnx');
		expect(created.map((c) => new TextDecoder().decode(c.bytes))).toEqual(['graph a', 'graph b']);
		expect(created[0]!.options).toEqual({ executionProviders: ['webgpu'] });
		expect(created[1]!.options).toEqual({
			executionProviders: ['webgpu'],
			externalData: [{ path: 'b.onnx_data', data: new TextEncoder().encode('weights of b') }]
		});
		await model.release();
		expect(released()).toBe(2);
		await model.release();
		expect(released()).toBe(2);
	});

	it('runs a real graph with onnxruntime-web (Silero VAD v5)', async () => {
		const bytes = await readFile(`${REPO_ROOT}node_modules/@ricky0123/vad-web/dist/silero_vad_v5.onnx`);
		const model = openOnnxModel({
			files: ['onnx/model.onnx'],
			backend: { device: 'wasm', dtype: 'fp32' },
			ort,
			read: async () => new Uint8Array(bytes)
		});
		const session = await model.session('onnx/model.onnx');
		expect(session.inputNames).toEqual(['input', 'state', 'sr']);
		expect(session.outputNames).toEqual(['output', 'stateN']);
		await model.release();
	});
});

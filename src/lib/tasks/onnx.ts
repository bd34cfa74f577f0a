// Any ONNX model (/onnx): one graph from a hub repo (`repo=` and `file=`; planned, stored and run offline like
// every model) or an .onnx file opened from disk (stored on this device as the repo `local/<sha256>`). The task's
// own OnnxPipeline opens the one graph; an inspecting run (the page's first look, and the warm-up) reports its
// inputs and outputs from the session, and a real run fills each input as the form says (onnx-fill), checks the
// values against the graph's shapes (onnx-tensors) and summarises every output for a person (onnx-outputs).

import { whyNotModelId } from '$lib/share/link';
import { audioFill, imageFill, readDims, readFills, writeFills, type TensorFill } from './onnx-fill';
import { summariseTensor, type TensorResult } from './onnx-outputs';
import { buildTensors, describeIo, whyNotJson, type Dim, type OnnxIo, type ValueInfo } from './onnx-tensors';
import type { OnnxPipeline, OnnxRuntime, OnnxSession, TaskSpec } from './types';

export interface OnnxInput {
	/** A hub repo (`org/name`), or `local/<sha256>` for a file opened from disk (stored on this device only). */
	repo: string;
	/** The graph's path in the repo. */
	file: string;
	/** The name of the file opened from disk, to show; '' for a hub repo. Links do not carry it. */
	localName: string;
	/** How each input is filled, by input name. */
	fills: Record<string, TensorFill>;
	/** Values chosen for symbolic dimensions, by name; others are fixed by JSON inputs, or 1. */
	dims: Record<string, number>;
	/** Only describe the graph's inputs and outputs (the page's first look, and the warm-up). */
	inspect: boolean;
	/** The graph's inputs and outputs once the page has inspected it; links never carry them. */
	io: OnnxIo | null;
}

export interface OnnxOutput {
	repo: string;
	file: string;
	io: OnnxIo;
	/** False for an inspecting run: only `io` is filled. */
	ran: boolean;
	/** Every output, in the graph's order. */
	results: TensorResult[];
}

/** What the task's pipeline holds: the one graph's session and what it says of its inputs and outputs. */
export interface OnnxGraphPipe {
	readonly io: OnnxIo;
	run(feeds: Record<string, Parameters<OnnxSession['run']>[0][string]>): ReturnType<OnnxSession['run']>;
	readonly ort: OnnxRuntime;
	dispose(): Promise<void>;
}

const SAFE_PATH = /^(?!\/)(?!.*(?:^|\/)\.\.?(?:\/|$))[A-Za-z0-9._\-/]{1,300}\.onnx$/;

/** Why a path is not a graph of a repo, or null. */
export function whyNotGraphPath(path: string): string | null {
	return SAFE_PATH.test(path)
		? null
		: `file must be the path of an .onnx file in the repo, such as onnx/model.onnx (not ${JSON.stringify(path.slice(0, 60))}).`;
}

/** The graph a repo offers when none is named: the usual places first, else its first .onnx file. */
export function defaultGraph(paths: readonly string[]): string | null {
	for (const usual of ['onnx/model.onnx', 'model.onnx']) if (paths.includes(usual)) return usual;
	return paths.find((path) => path.endsWith('.onnx')) ?? null;
}

/** How an input is filled when the form first meets it: zeros, which every numeric input takes. */
export function defaultFill(): TensorFill {
	return { kind: 'fill', value: 0 };
}

/** A fill of the given kind for an input, with settings its shape suggests (an image's size and layout). */
export function fillOfKind(info: ValueInfo, kind: TensorFill['kind']): TensorFill {
	switch (kind) {
		case 'fill':
			return defaultFill();
		case 'json':
			return { kind: 'json', text: (info.shape ?? []).length === 0 ? '0' : '[]', shape: '' };
		case 'audio':
			return audioFill();
		case 'image': {
			const shape = info.shape ?? [];
			const size = (dim: Dim | undefined) => (typeof dim === 'number' && dim > 1 ? dim : undefined);
			// Channels last when the last axis is 1 or 3 and the second is not.
			const last = shape.at(-1);
			const nhwc = (last === 3 || last === 1) && shape[1] !== 3 && shape[1] !== 1;
			const height = size(nhwc ? shape.at(-3) : shape.at(-2));
			const width = size(nhwc ? shape.at(-2) : shape.at(-1));
			return imageFill({
				layout: nhwc ? 'nhwc' : 'nchw',
				...(height ? { height } : {}),
				...(width ? { width } : {})
			});
		}
	}
}

const GRAPH_PIPE_FILES = (paths: readonly string[], graph?: string): string[] => {
	const chosen = graph ?? defaultGraph(paths);
	return chosen ? [chosen] : [];
};

export const onnxPipeline: OnnxPipeline<OnnxGraphPipe> = {
	kind: 'onnx',
	// The one graph the link names (its external data comes with it); a repo's usual graph when none is named.
	files: GRAPH_PIPE_FILES,
	devices: ['wasm', 'webgpu'],
	async load(model) {
		const graph = model.files.find((path) => path.endsWith('.onnx'));
		if (!graph) throw new TypeError('No .onnx graph was planned for this model.');
		const session = await model.session(graph);
		return {
			io: describeIo(session),
			run: (feeds) => session.run(feeds),
			ort: model.ort,
			dispose: () => model.release()
		};
	}
};

const EMPTY: OnnxInput = {
	repo: '',
	file: '',
	localName: '',
	fills: {},
	dims: {},
	inspect: false,
	io: null
};

/** What the warm-up runs: opening the graph and reading its inputs and outputs fits every model. */
const INSPECT: OnnxInput = { ...EMPTY, inspect: true };

export const onnx = {
	id: 'onnx',
	title: 'Any ONNX model',
	summary:
		'Opens an ONNX graph from the hub or from disk, shows its inputs and outputs, and runs it on values you give.',
	pipeline: onnxPipeline,
	modality: 'multimodal',
	defaultModels: { huggingface: 'snakers4/silero-vad', bundled: 'snakers4/silero-vad' },
	params: ['repo', 'file', 'inputs', 'dims'],
	examples: [
		// Silero VAD v5 on 576 samples of silence (64 of context and a 512-sample window) at 16 kHz, from zero state.
		{
			...EMPTY,
			repo: 'snakers4/silero-vad',
			file: 'onnx/model.onnx',
			fills: {
				input: { kind: 'fill', value: 0 },
				state: { kind: 'fill', value: 0 },
				sr: { kind: 'json', text: '16000', shape: '' }
			},
			dims: { 'input[1]': 576 }
		}
	],
	warmup: INSPECT,
	modelOf(input) {
		if (whyNotModelId(input.repo) !== null || whyNotGraphPath(input.file) !== null) return null;
		return { model: input.repo, graph: input.file };
	},
	parseInput(params, issues) {
		let repo = params.get('repo') ?? '';
		const repoProblem = repo === '' ? null : whyNotModelId(repo);
		if (repoProblem !== null) {
			issues.push({ param: 'repo', message: repoProblem });
			repo = '';
		}
		let file = params.get('file') ?? '';
		const fileProblem = file === '' ? null : whyNotGraphPath(file);
		if (fileProblem !== null) {
			issues.push({ param: 'file', message: fileProblem });
			file = '';
		}
		const fills = readFills(params, issues);
		const problem = whyNotJson(fills);
		if (problem !== null) issues.push({ param: 'inputs', message: problem });
		return { ...EMPTY, repo, file, fills, dims: readDims(params, issues) };
	},
	serializeInput(input): Record<string, string> {
		// A file from disk is named by its hash: the link works again on this device, and says elsewhere that the
		// file must be opened there (its bytes never travel in a link).
		const params: Record<string, string> = {};
		if (input.repo) params.repo = input.repo;
		if (input.file) params.file = input.file;
		return { ...params, ...writeFills(input.fills, input.dims) };
	},
	whyNotRunnable(input) {
		if (input.repo === '')
			return 'Give a hub repo and the .onnx file in it, or open an .onnx file from disk.';
		const problem = whyNotModelId(input.repo) ?? whyNotGraphPath(input.file) ?? whyNotJson(input.fills);
		if (problem !== null) return problem;
		for (const info of input.io?.inputs ?? []) {
			const fill = Object.hasOwn(input.fills, info.name) ? input.fills[info.name] : undefined;
			if (!fill) return `Input "${info.name}" has no values yet; fill it.`;
			if (fill.kind === 'image' && fill.image === null)
				return `Input "${info.name}": ${fill.url ? 'waiting for its image…' : 'choose an image for it.'}`;
			if (fill.kind === 'audio' && fill.audio === null)
				return `Input "${info.name}": ${fill.url ? 'waiting for its audio…' : 'choose an audio clip for it.'}`;
		}
		return null;
	},
	async run(pipe, input) {
		const base = { repo: input.repo, file: input.file, io: pipe.io };
		if (input.inspect) return { ...base, ran: false, results: [] };
		const tensors = buildTensors(pipe.io.inputs, input.fills, input.dims);
		const feeds = Object.fromEntries(
			Object.entries(tensors).map(([name, tensor]) => [
				name,
				new pipe.ort.Tensor(tensor.type, tensor.data, tensor.dims)
			])
		);
		const outputs = await pipe.run(feeds);
		const results = pipe.io.outputs.map((info) => {
			const tensor = outputs[info.name];
			if (!tensor) throw new TypeError(`The model returned no "${info.name}" output.`);
			return summariseTensor(info.name, tensor.type, tensor.dims, tensor.data as ArrayLike<number>);
		});
		return { ...base, ran: true, results };
	}
} as const satisfies TaskSpec<OnnxInput, OnnxOutput, never, OnnxGraphPipe>;

// Feature extraction (embeddings): one text in, its vector out — pooled over the tokens (mean or the first
// token) or one vector per token. Sentence similarity is built on the same pipeline and reuses the vector
// reading and the maths here.

import type { TaskSpec, TransformersLibrary } from './types';
import { readTextParam, readBooleanParam } from './types';

export type Pooling = 'mean' | 'cls' | 'none';

export const POOLINGS: readonly Pooling[] = ['mean', 'cls', 'none'];

export interface FeatureExtractionInput {
	text: string;
	/** How token vectors become the result: their mean, the first ([CLS]) token's, or all of them. */
	pooling: Pooling;
	/** Scales each vector to length 1, so a dot product is a cosine similarity. */
	normalize: boolean;
}

/**
 * A tensor as plain data: `dims` [1, dim] when pooled, [1, tokens, dim] for pooling 'none', and `data` row-major.
 *
 * `data` is a number[] rather than a Float32Array on purpose. The page shows every output as
 * JSON.stringify(output), which writes a Float32Array as an object keyed by index ({"0": …, "1": …}), and
 * Copy/Download JSON would hand people that. A pooled vector is a few hundred to a few thousand floats (384 for
 * MiniLM, 1024 for the large models), whose structured clone costs microseconds, so transferring it saves
 * nothing measurable. Per-token output is bigger (tokens × dim), but the page then stringifies and renders it,
 * which costs far more than the copy; if the JSON view learns to write typed arrays as arrays, `data` should
 * become a Float32Array so the runtime transfers it.
 */
export interface FeatureExtractionOutput {
	dims: number[];
	data: number[];
}

/** The default values links leave out. */
const DEFAULT_POOLING: Pooling = 'mean';
const DEFAULT_NORMALIZE = true;

function isPooling(value: string): value is Pooling {
	return (POOLINGS as readonly string[]).includes(value);
}

/** A pipeline's tensor output checked into dims and a float copy of its data. */
export function readTensor(
	raw: unknown,
	library: TransformersLibrary
): { dims: number[]; data: Float32Array } {
	if (!(raw instanceof library.Tensor)) throw new TypeError('The model did not return a tensor.');
	const dims = raw.dims.map(Number);
	const { data } = raw;
	// fp16 models can return Float16Array or Uint16-backed data; Float32Array.from reads any numeric view.
	if (!ArrayBuffer.isView(data) || data instanceof DataView || typeof data[0] === 'bigint') {
		throw new TypeError('The model did not return floating-point vectors.');
	}
	const floats = Float32Array.from(data as ArrayLike<number>);
	if (floats.length !== dims.reduce((product, size) => product * size, 1)) {
		throw new TypeError('The model returned a tensor whose data does not fit its shape.');
	}
	return { dims, data: floats };
}

/**
 * Scales every row of `width` values to length 1, in place. A zero row (a text of nothing but special or
 * unknown tokens, or a [CLS] vector of zeros) stays zero: transformers.js' own normalize would divide 0 by 0
 * and turn it into NaN, which JSON then writes as null.
 */
export function normalizeRows(data: Float32Array, width: number): void {
	for (let start = 0; start < data.length; start += width) {
		const row = data.subarray(start, start + width);
		let squares = 0;
		for (const value of row) squares += value * value;
		const length = Math.sqrt(squares);
		if (length > 0) for (let i = 0; i < row.length; i++) row[i] = (row[i] ?? 0) / length;
	}
}

/** Cosine similarity of two vectors; 0 when either is all zeros (it points nowhere). */
export function cosineSimilarity(a: ArrayLike<number>, b: ArrayLike<number>): number {
	let dot = 0;
	let aa = 0;
	let bb = 0;
	for (let i = 0; i < a.length; i++) {
		const x = a[i] ?? 0;
		const y = b[i] ?? 0;
		dot += x * y;
		aa += x * x;
		bb += y * y;
	}
	return aa > 0 && bb > 0 ? dot / Math.sqrt(aa * bb) : 0;
}

export type NestedNumbers = number | NestedNumbers[];

/**
 * The output as nested arrays the way people paste embeddings: the vector itself when pooled, one vector per
 * token otherwise (the batch dimension of one is dropped).
 */
export function nestedValues(output: FeatureExtractionOutput): NestedNumbers[] {
	const shape = output.dims[0] === 1 && output.dims.length > 1 ? output.dims.slice(1) : output.dims;
	const nest = (offset: number, depth: number): NestedNumbers[] => {
		const size = shape[depth] ?? 0;
		if (depth === shape.length - 1) return output.data.slice(offset, offset + size);
		const stride = shape.slice(depth + 1).reduce((product, n) => product * n, 1);
		return Array.from({ length: size }, (_, i) => nest(offset + i * stride, depth + 1));
	};
	return nest(0, 0);
}

export const featureExtraction = {
	id: 'feature-extraction',
	pipeline: 'feature-extraction',
	modality: 'nlp',
	defaultModels: { huggingface: 'onnx-community/all-MiniLM-L6-v2-ONNX', bundled: 'browserve/tiny-embedder' },
	params: ['text', 'pooling', 'normalize'],
	examples: [
		{ text: 'the cat sat on the mat', pooling: 'mean', normalize: true },
		{
			text: 'India, officially the Republic of India, is a country in South Asia.',
			pooling: 'mean',
			normalize: true
		}
	],
	parseInput(params, issues) {
		const pooling = params.get('pooling');
		let chosen: Pooling = DEFAULT_POOLING;
		if (pooling !== null && pooling !== '') {
			if (isPooling(pooling)) chosen = pooling;
			else issues.push({ param: 'pooling', message: `pooling must be one of ${POOLINGS.join(', ')}.` });
		}
		return {
			text: readTextParam(params, 'text', issues),
			pooling: chosen,
			normalize: readBooleanParam(params, 'normalize', DEFAULT_NORMALIZE, issues)
		};
	},
	serializeInput(input): Record<string, string> {
		const params: Record<string, string> = { text: input.text };
		if (input.pooling !== DEFAULT_POOLING) params.pooling = input.pooling;
		if (input.normalize !== DEFAULT_NORMALIZE) params.normalize = input.normalize ? '1' : '0';
		return params;
	},
	whyNotRunnable(input) {
		return input.text.trim() === '' ? 'Type some text to embed.' : null;
	},
	async run(pipe, input, context) {
		// Normalising here rather than in the pipeline keeps all-zero vectors zero instead of NaN.
		const raw = await pipe(input.text, { pooling: input.pooling, normalize: false });
		const { dims, data } = readTensor(raw, context.library);
		if (input.normalize) normalizeRows(data, dims.at(-1) ?? data.length);
		return { dims, data: Array.from(data) };
	}
} as const satisfies TaskSpec<FeatureExtractionInput, FeatureExtractionOutput>;

// The ONNX page's outputs, summarised in the worker for a person: how each tensor reads best (top-k scores for a
// score vector, an image for an image-shaped tensor, a table otherwise), a preview of its first values with the
// count, and its full data as a buffer for the JSON download. Pure, so the specs can check each decision.

import { fromHalf } from './onnx-tensors';

export type OutputView = 'topk' | 'image' | 'table';

export interface TopEntry {
	index: number;
	score: number;
	/** Softmax of the scores (the scores themselves when they already are probabilities). */
	probability: number;
}

export interface TensorImage {
	width: number;
	height: number;
	/** RGBA bytes, scaled from the tensor's range to 0–255. */
	rgba: ArrayBuffer;
}

export interface TensorResult {
	name: string;
	type: string;
	dims: number[];
	/** How many values the tensor has. */
	size: number;
	view: OutputView;
	/** The first values (strings for string tensors; int64 as numbers, exact up to 2^53). */
	preview: (number | string)[];
	stats: { min: number; max: number; mean: number } | null;
	topk?: TopEntry[];
	image?: TensorImage;
	/** Every value as the typed array's bytes, for the full download; null for string tensors. */
	data: ArrayBuffer | null;
}

export const PREVIEW_VALUES = 100;
export const TOP_K = 5;
const NUMERIC = new Set([
	'float32',
	'float64',
	'float16',
	'int8',
	'uint8',
	'int16',
	'uint16',
	'int32',
	'uint32',
	'int64',
	'uint64',
	'bool'
]);

/**
 * How an output reads best: an image for [1,3,H,W], [1,1,H,W] and [H,W] (H, W ≥ 2); top-k for float scores of
 * shape [N] or [1,N] (N ≥ 2); a table for everything else.
 */
export function viewOf(type: string, dims: readonly number[]): OutputView {
	if (!NUMERIC.has(type)) return 'table';
	const [a = 0, b = 0, c = 0, d = 0] = dims;
	if (dims.length === 4 && a === 1 && (b === 3 || b === 1) && c >= 2 && d >= 2) return 'image';
	if (dims.length === 2 && a >= 2 && b >= 2) return 'image';
	const scores = type.startsWith('float');
	if (scores && dims.length === 1 && a >= 2) return 'topk';
	if (scores && dims.length === 2 && a === 1 && b >= 2) return 'topk';
	return 'table';
}

/** A tensor's values as numbers (float16 bits decoded, 64-bit integers converted). */
export function numbersOf(type: string, data: ArrayLike<number | bigint>): Float64Array {
	const out = new Float64Array(data.length);
	for (let i = 0; i < data.length; i++) {
		const value = data[i] ?? 0;
		out[i] = type === 'float16' ? fromHalf(Number(value)) : Number(value);
	}
	return out;
}

/** The k highest scores with their index, and their probabilities. */
export function topK(values: ArrayLike<number>, k = TOP_K): TopEntry[] {
	const list = Array.from(values);
	const isDistribution =
		list.every((value) => value >= 0 && value <= 1) &&
		Math.abs(list.reduce((sum, value) => sum + value, 0) - 1) < 1e-3;
	const max = Math.max(...list);
	const exps = list.map((value) => Math.exp(value - max));
	const total = exps.reduce((sum, value) => sum + value, 0);
	return list
		.map((score, index) => ({
			index,
			score,
			probability: isDistribution ? score : (exps[index] ?? 0) / total
		}))
		.sort((a, b) => b.score - a.score || a.index - b.index)
		.slice(0, k);
}

/** An image-shaped tensor as RGBA: [0,1] values scale by 255, [0,255] stay, anything else spans min to max. */
export function tensorImage(values: ArrayLike<number>, dims: readonly number[]): TensorImage {
	const channels = dims.length === 4 ? (dims[1] ?? 1) : 1;
	const height = dims.at(-2) ?? 0;
	const width = dims.at(-1) ?? 0;
	let min = Infinity;
	let max = -Infinity;
	for (let i = 0; i < values.length; i++) {
		const value = values[i] ?? 0;
		if (value < min) min = value;
		if (value > max) max = value;
	}
	const [low, high] = min >= 0 && max <= 1 ? [0, 1] : min >= 0 && max <= 255 ? [0, 255] : [min, max];
	const span = high - low || 1;
	const plane = width * height;
	const rgba = new Uint8ClampedArray(plane * 4);
	for (let p = 0; p < plane; p++) {
		for (let c = 0; c < 3; c++) {
			const value = values[(channels === 3 ? c * plane : 0) + p] ?? 0;
			rgba[p * 4 + c] = Math.round(((value - low) / span) * 255);
		}
		rgba[p * 4 + 3] = 255;
	}
	return { width, height, rgba: rgba.buffer };
}

function round(value: number): number {
	return Number.isInteger(value) ? value : Number(value.toPrecision(6));
}

/** One output as the page shows it. */
export function summariseTensor(
	name: string,
	type: string,
	dims: readonly number[],
	data: ArrayLike<number | bigint> | readonly string[]
): TensorResult {
	const size = data.length;
	const shape = [...dims];
	if (!NUMERIC.has(type) || (size > 0 && typeof data[0] === 'string')) {
		const strings = Array.from(data as ArrayLike<unknown>, String);
		return {
			name,
			type,
			dims: shape,
			size,
			view: 'table',
			preview: strings.slice(0, PREVIEW_VALUES),
			stats: null,
			data: null
		};
	}
	const raw = data as ArrayLike<number | bigint> & {
		buffer?: ArrayBufferLike;
		byteOffset?: number;
		byteLength?: number;
	};
	const values = numbersOf(type, raw);
	let min = Infinity;
	let max = -Infinity;
	let sum = 0;
	for (const value of values) {
		if (value < min) min = value;
		if (value > max) max = value;
		sum += value;
	}
	const view = viewOf(type, shape);
	const bytes =
		ArrayBuffer.isView(raw) && raw.buffer instanceof ArrayBuffer
			? raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength)
			: null;
	return {
		name,
		type,
		dims: shape,
		size,
		view,
		preview: Array.from(values.subarray(0, PREVIEW_VALUES), round),
		stats: size > 0 ? { min: round(min), max: round(max), mean: round(sum / size) } : null,
		...(view === 'topk'
			? { topk: topK(values).map((entry) => ({ ...entry, probability: round(entry.probability) })) }
			: {}),
		...(view === 'image' ? { image: tensorImage(values, shape) } : {}),
		data: bytes
	};
}

/** Every value of a result, decoded from its bytes by element type, for the JSON download. */
export function allValues(result: TensorResult): (number | string)[] {
	if (result.data === null) return result.preview;
	const buffer = result.data;
	const views: Record<string, () => ArrayLike<number | bigint>> = {
		float32: () => new Float32Array(buffer),
		float64: () => new Float64Array(buffer),
		float16: () => new Uint16Array(buffer),
		int8: () => new Int8Array(buffer),
		uint8: () => new Uint8Array(buffer),
		bool: () => new Uint8Array(buffer),
		int16: () => new Int16Array(buffer),
		uint16: () => new Uint16Array(buffer),
		int32: () => new Int32Array(buffer),
		uint32: () => new Uint32Array(buffer),
		int64: () => new BigInt64Array(buffer),
		uint64: () => new BigUint64Array(buffer)
	};
	const view = views[result.type]?.();
	if (!view) return result.preview;
	if (result.type === 'int64' || result.type === 'uint64') {
		// 64-bit integers beyond 2^53 stay exact as text.
		return Array.from(view, (value) => (Number.isSafeInteger(Number(value)) ? Number(value) : String(value)));
	}
	return Array.from(numbersOf(result.type, view));
}

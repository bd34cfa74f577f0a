// The ONNX page's tensors, pure so the worker, the page and the specs share them: a graph's inputs and outputs
// as ORT describes them (unnamed dynamic dimensions named after their input and axis), JSON values, images and
// audio turned into typed tensor data with their shape checked against the graph's (each problem names the
// input), and outputs summarised for a person: a preview with counts, top-k for score vectors, an image for
// image-shaped tensors.

import { resampleLinear } from './audio-source';
import type { RgbaImage } from './image-source';
import { parseShapeText, type AudioFill, type ImageFill, type TensorFill } from './onnx-fill';

/** Element types the page can fill; ORT's others (string, 4-bit) only show in the description. */
export const FILLABLE_TYPES = [
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
] as const;
export type FillableType = (typeof FILLABLE_TYPES)[number];

export type Dim = number | string;

/** One input or output of a graph. */
export interface ValueInfo {
	name: string;
	/** The element type (float32, int64, …), or 'non-tensor' for sequences and maps. */
	type: string;
	/** Each dimension's size, or its symbolic name; null when the graph does not say. */
	shape: Dim[] | null;
}

export interface OnnxIo {
	inputs: ValueInfo[];
	outputs: ValueInfo[];
}

/** What ORT's InferenceSession says of a value (inputMetadata / outputMetadata). */
export interface ValueMetadata {
	name: string;
	isTensor: boolean;
	type?: string;
	shape?: readonly (number | string)[];
}

/** A tensor's data as ORT takes it: its element type, typed values and dimensions. */
export interface TensorData {
	type: FillableType;
	data:
		| Float32Array
		| Float64Array
		| Int8Array
		| Uint8Array
		| Int16Array
		| Uint16Array
		| Int32Array
		| Uint32Array
		| BigInt64Array
		| BigUint64Array;
	dims: number[];
}

/** A problem with one input's values, naming it. */
export class TensorInputError extends Error {
	override name = 'TensorInputError';
	readonly input: string;
	constructor(input: string, message: string) {
		super(`Input "${input}": ${message}`);
		this.input = input;
	}
}

// ORT Web reports a dynamic dimension without a name as -1 read as unsigned.
const UNNAMED = new Set([-1, 4294967295]);

export function describeValue(meta: ValueMetadata): ValueInfo {
	if (!meta.isTensor) return { name: meta.name, type: 'non-tensor', shape: null };
	const shape = meta.shape?.map((dim, axis) =>
		typeof dim === 'number' && (UNNAMED.has(dim) || dim < 0) ? `${meta.name}[${axis}]` : dim
	);
	return { name: meta.name, type: meta.type ?? 'unknown', shape: shape ?? null };
}

export function describeIo(session: {
	inputMetadata: readonly ValueMetadata[];
	outputMetadata: readonly ValueMetadata[];
}): OnnxIo {
	return {
		inputs: session.inputMetadata.map(describeValue),
		outputs: session.outputMetadata.map(describeValue)
	};
}

/** Every symbolic dimension of the inputs, in order of appearance. */
export function symbolicDims(inputs: readonly ValueInfo[]): string[] {
	const names = new Set<string>();
	for (const input of inputs)
		for (const dim of input.shape ?? []) if (typeof dim === 'string') names.add(dim);
	return [...names];
}

function isFillable(type: string): type is FillableType {
	return (FILLABLE_TYPES as readonly string[]).includes(type);
}

/** A float as IEEE half-precision bits (round to nearest even), what ORT takes for float16 tensors. */
export function toHalf(value: number): number {
	const floats = new Float32Array([value]);
	const bits = new Uint32Array(floats.buffer)[0] ?? 0;
	const sign = (bits >>> 16) & 0x8000;
	const exponent = (bits >>> 23) & 0xff;
	const mantissa = bits & 0x7fffff;
	if (exponent === 0xff) return sign | 0x7c00 | (mantissa ? 0x200 : 0);
	const half = exponent - 127 + 15;
	if (half >= 0x1f) return sign | 0x7c00;
	if (half <= 0) {
		if (half < -10) return sign;
		const full = mantissa | 0x800000;
		const shift = 14 - half;
		const rounded = (full >> shift) + ((full >> (shift - 1)) & 1);
		return sign | rounded;
	}
	const rounded = (half << 10) | (mantissa >> 13);
	return sign | (rounded + ((mantissa >> 12) & 1));
}

/** Half-precision bits as a float. */
export function fromHalf(bits: number): number {
	const sign = bits & 0x8000 ? -1 : 1;
	const exponent = (bits >> 10) & 0x1f;
	const mantissa = bits & 0x3ff;
	if (exponent === 0) return sign * 2 ** -14 * (mantissa / 1024);
	if (exponent === 0x1f) return mantissa ? NaN : sign * Infinity;
	return sign * 2 ** (exponent - 15) * (1 + mantissa / 1024);
}

const INTEGER_RANGES: Partial<Record<FillableType, [number, number]>> = {
	int8: [-128, 127],
	uint8: [0, 255],
	int16: [-32768, 32767],
	uint16: [0, 65535],
	int32: [-2147483648, 2147483647],
	uint32: [0, 4294967295],
	int64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
	uint64: [0, Number.MAX_SAFE_INTEGER]
};

/** Typed data of an element type from numbers, or why a value does not fit the type. */
export function typedData(type: FillableType, values: ArrayLike<number>): TensorData['data'] | string {
	const range = INTEGER_RANGES[type];
	for (let i = 0; i < values.length; i++) {
		const value = values[i] ?? NaN;
		if (type === 'bool' ? value !== 0 && value !== 1 : range && !Number.isInteger(value)) {
			return `${value} at position ${i} is not ${type === 'bool' ? 'true, false, 0 or 1' : `a whole number (the input is ${type})`}.`;
		}
		if (range && (value < range[0] || value > range[1])) {
			return `${value} at position ${i} is out of range for ${type} (${range[0]} to ${range[1]}).`;
		}
		if (!range && type !== 'bool' && Number.isNaN(value))
			return `the value at position ${i} is not a number.`;
	}
	const list = Array.from(values);
	switch (type) {
		case 'float32':
			return Float32Array.from(list);
		case 'float64':
			return Float64Array.from(list);
		case 'float16':
			return Uint16Array.from(list, toHalf);
		case 'int8':
			return Int8Array.from(list);
		case 'uint8':
		case 'bool':
			return Uint8Array.from(list);
		case 'int16':
			return Int16Array.from(list);
		case 'uint16':
			return Uint16Array.from(list);
		case 'int32':
			return Int32Array.from(list);
		case 'uint32':
			return Uint32Array.from(list);
		case 'int64':
			return BigInt64Array.from(list, (value) => BigInt(value));
		case 'uint64':
			return BigUint64Array.from(list, (value) => BigInt(value));
	}
}

/** Values and shape from JSON text: a number, nested arrays (their nesting is the shape) or a flat list. */
export function parseJsonValues(text: string): { values: number[]; shape: number[] } | string {
	let parsed: unknown;
	try {
		parsed = JSON.parse(text);
	} catch (error) {
		const reason = error instanceof Error ? error.message : String(error);
		return `the values are not valid JSON (${reason}).`;
	}
	const values: number[] = [];
	const shape: number[] = [];
	const walk = (item: unknown, depth: number): string | null => {
		if (Array.isArray(item)) {
			if (depth === shape.length) shape.push(item.length);
			else if (depth > shape.length || shape[depth] !== item.length) {
				return `the nested arrays are ragged: every array at depth ${depth + 1} must have ${shape[depth] ?? 'the same'} items.`;
			}
			for (const child of item) {
				const problem = walk(child, depth + 1);
				if (problem) return problem;
			}
			return null;
		}
		if (depth !== shape.length)
			return 'the nested arrays are ragged: numbers and arrays are mixed at one depth.';
		if (typeof item === 'boolean') values.push(item ? 1 : 0);
		else if (typeof item === 'number') values.push(item);
		else return `${JSON.stringify(item)} is not a number.`;
		return null;
	};
	const problem = walk(parsed, 0);
	if (problem) return problem;
	if (values.length === 0 && shape.every((dim) => dim > 0)) return 'there are no values.';
	return { values, shape };
}

/** Resolved values of the symbolic dimensions a set of shapes fixes, checked against each other. */
interface Bindings {
	bound: Map<string, { value: number; by: string }>;
	chosen: Readonly<Record<string, number>>;
}

/** Checks a concrete shape against the graph's, binding its symbolic dimensions. */
function bindShape(info: ValueInfo, dims: readonly number[], bindings: Bindings): void {
	const expected = info.shape;
	if (expected === null) return;
	if (expected.length !== dims.length) {
		throw new TensorInputError(
			info.name,
			`the values have shape [${dims.join(', ')}] but the model takes ${expected.length} dimensions [${expected.join(', ')}].`
		);
	}
	expected.forEach((dim, axis) => {
		const actual = dims[axis] ?? 0;
		if (typeof dim === 'number') {
			if (dim !== actual) {
				throw new TensorInputError(
					info.name,
					`dimension ${axis} is ${actual}, but the model needs ${dim} (shape [${expected.join(', ')}]).`
				);
			}
			return;
		}
		if (Object.hasOwn(bindings.chosen, dim) && bindings.chosen[dim] !== actual) {
			throw new TensorInputError(
				info.name,
				`dimension ${axis} (${dim}) is ${actual}, but ${dim} is set to ${bindings.chosen[dim]}.`
			);
		}
		const earlier = bindings.bound.get(dim);
		if (earlier && earlier.value !== actual) {
			throw new TensorInputError(
				info.name,
				`dimension ${axis} (${dim}) is ${actual}, but input "${earlier.by}" makes it ${earlier.value}.`
			);
		}
		bindings.bound.set(dim, { value: actual, by: info.name });
	});
}

/** The graph's shape with its symbolic dimensions resolved: chosen, else fixed by another input, else 1. */
function concreteShape(info: ValueInfo, bindings: Bindings): number[] {
	if (info.shape === null) {
		throw new TensorInputError(info.name, 'the model does not say its shape; give its values as JSON.');
	}
	return info.shape.map((dim) =>
		typeof dim === 'number' ? dim : (bindings.chosen[dim] ?? bindings.bound.get(dim)?.value ?? 1)
	);
}

const MAX_ELEMENTS = 1 << 28;

function elementCount(info: ValueInfo, dims: readonly number[]): number {
	const count = dims.reduce((product, dim) => product * dim, 1);
	if (count > MAX_ELEMENTS) {
		throw new TensorInputError(
			info.name,
			`[${dims.join(', ')}] is ${count} values, more than this page fills.`
		);
	}
	return count;
}

function typed(info: ValueInfo, values: ArrayLike<number>, dims: number[]): TensorData {
	if (!isFillable(info.type)) {
		throw new TensorInputError(info.name, `${info.type} inputs cannot be filled on this page.`);
	}
	const data = typedData(info.type, values);
	if (typeof data === 'string') throw new TensorInputError(info.name, data);
	return { type: info.type, data, dims };
}

/** The shape image pixels take for an input: batch (when the graph has one), channels and size in its layout. */
function imageShape(info: ValueInfo, fill: ImageFill): { dims: number[]; channels: number } {
	const rank = info.shape?.length ?? 4;
	if (rank !== 3 && rank !== 4) {
		throw new TensorInputError(info.name, `an image fills 3 or 4 dimensions; this input has ${rank}.`);
	}
	const channelAxis = fill.layout === 'nchw' ? rank - 3 : rank - 1;
	const declared = info.shape?.[channelAxis];
	const channels = typeof declared === 'number' ? declared : 3;
	if (channels !== 1 && channels !== 3) {
		throw new TensorInputError(
			info.name,
			`in ${fill.layout.toUpperCase()} layout its channel dimension is ${channels}; an image has 1 or 3.`
		);
	}
	const body =
		fill.layout === 'nchw' ? [channels, fill.height, fill.width] : [fill.height, fill.width, channels];
	return { dims: rank === 4 ? [1, ...body] : body, channels };
}

/**
 * Pixels resized (bilinear, pixel centres aligned) to the fill's size and normalised per channel, in its layout
 * and channel order; one channel is the pixels' luminance.
 */
export function imageValues(image: RgbaImage, fill: ImageFill, channels: number): Float32Array {
	const { width, height } = fill;
	const out = new Float32Array(channels * width * height);
	const scaleX = image.width / width;
	const scaleY = image.height / height;
	const sample = (x: number, y: number, channel: number) => {
		const sx = Math.min(image.width - 1, Math.max(0, (x + 0.5) * scaleX - 0.5));
		const sy = Math.min(image.height - 1, Math.max(0, (y + 0.5) * scaleY - 0.5));
		const x0 = Math.floor(sx);
		const y0 = Math.floor(sy);
		const x1 = Math.min(x0 + 1, image.width - 1);
		const y1 = Math.min(y0 + 1, image.height - 1);
		const at = (px: number, py: number) => image.data[(py * image.width + px) * 4 + channel] ?? 0;
		const top = at(x0, y0) + (at(x1, y0) - at(x0, y0)) * (sx - x0);
		const bottom = at(x0, y1) + (at(x1, y1) - at(x0, y1)) * (sx - x0);
		return (top + (bottom - top) * (sy - y0)) / 255;
	};
	for (let y = 0; y < height; y++) {
		for (let x = 0; x < width; x++) {
			const rgb = [sample(x, y, 0), sample(x, y, 1), sample(x, y, 2)] as const;
			for (let c = 0; c < channels; c++) {
				let value: number;
				let stats: number;
				if (channels === 1) {
					value = 0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2];
					stats = 0;
				} else {
					// Channel c of the tensor is R, G, B in turn (or B, G, R); mean and std are given in RGB order.
					stats = fill.order === 'rgb' ? c : 2 - c;
					value = rgb[stats as 0 | 1 | 2];
				}
				const normalised = (value - fill.mean[stats]!) / fill.std[stats]!;
				const index =
					fill.layout === 'nchw' ? c * width * height + y * width + x : (y * width + x) * channels + c;
				out[index] = normalised;
			}
		}
	}
	return out;
}

function imageTensor(info: ValueInfo, fill: ImageFill, bindings: Bindings): TensorData {
	if (fill.image === null) {
		throw new TensorInputError(
			info.name,
			fill.url ? 'its image is still loading.' : 'choose an image for it (or fill it another way).'
		);
	}
	const { dims, channels } = imageShape(info, fill);
	bindShape(info, dims, bindings);
	return typed(info, imageValues(fill.image, fill, channels), dims);
}

function audioTensor(info: ValueInfo, fill: AudioFill, bindings: Bindings): TensorData {
	if (fill.audio === null) {
		throw new TensorInputError(
			info.name,
			fill.url ? 'its audio is still loading.' : 'choose an audio clip for it (or fill it another way).'
		);
	}
	const samples = resampleLinear(fill.audio.data, fill.audio.samplingRate, fill.rate);
	// Samples fill the last dimension; any before it are 1 (one clip, one channel).
	const rank = info.shape?.length ?? 2;
	if (rank < 1) throw new TensorInputError(info.name, 'a scalar cannot hold an audio clip.');
	const dims = [...Array.from({ length: rank - 1 }, () => 1), samples.length];
	bindShape(info, dims, bindings);
	return typed(info, samples, dims);
}

function jsonTensor(
	info: ValueInfo,
	fill: Extract<TensorFill, { kind: 'json' }>,
	bindings: Bindings
): TensorData {
	const parsed = parseJsonValues(fill.text);
	if (typeof parsed === 'string') throw new TensorInputError(info.name, parsed);
	let dims = parsed.shape;
	if (fill.shape.trim() !== '') {
		const shape = parseShapeText(fill.shape);
		if (typeof shape === 'string') throw new TensorInputError(info.name, shape);
		const count = shape.reduce((product, dim) => product * dim, 1);
		if (count !== parsed.values.length) {
			throw new TensorInputError(
				info.name,
				`the shape [${shape.join(', ')}] holds ${count} values, but ${parsed.values.length} were given.`
			);
		}
		dims = shape;
	} else if (dims.length === 1 && info.shape !== null && info.shape.length > 1) {
		// A flat list for a shaped input: reshaped to the graph's shape where that leaves one way to do it.
		const concrete = info.shape.map((dim) => (typeof dim === 'number' ? dim : -1));
		const known = concrete.filter((dim) => dim >= 0).reduce((product, dim) => product * dim, 1);
		const open = concrete.filter((dim) => dim < 0).length;
		if (open <= 1 && known > 0 && parsed.values.length % known === 0) {
			dims = concrete.map((dim) => (dim < 0 ? parsed.values.length / known : dim));
		}
	}
	bindShape(info, dims, bindings);
	return typed(info, parsed.values, dims);
}

/**
 * Every input's tensor data from the form, checked against the graph: JSON inputs first (their shapes fix
 * symbolic dimensions for the rest), then images and audio, then constant fills. Throws TensorInputError naming
 * the input.
 */
export function buildTensors(
	inputs: readonly ValueInfo[],
	fills: Readonly<Record<string, TensorFill>>,
	chosen: Readonly<Record<string, number>>
): Record<string, TensorData> {
	const bindings: Bindings = { bound: new Map(), chosen };
	const order: TensorFill['kind'][] = ['json', 'image', 'audio', 'fill'];
	const fillOf = (info: ValueInfo) => (Object.hasOwn(fills, info.name) ? fills[info.name] : undefined);
	for (const info of inputs) {
		if (!fillOf(info)) throw new TensorInputError(info.name, 'it has no values yet; fill it.');
	}
	const out: Record<string, TensorData> = {};
	for (const kind of order) {
		for (const info of inputs) {
			const fill = fillOf(info);
			if (fill?.kind !== kind) continue;
			if (fill.kind === 'json') out[info.name] = jsonTensor(info, fill, bindings);
			else if (fill.kind === 'image') out[info.name] = imageTensor(info, fill, bindings);
			else if (fill.kind === 'audio') out[info.name] = audioTensor(info, fill, bindings);
			else if (fill.kind === 'fill') {
				const dims = concreteShape(info, bindings);
				out[info.name] = typed(info, new Float64Array(elementCount(info, dims)).fill(fill.value), dims);
			}
		}
	}
	return out;
}

/** The first problem with the form's JSON values that needs no model to find (bad JSON, bad shape text). */
export function whyNotJson(fills: Readonly<Record<string, TensorFill>>): string | null {
	for (const [name, fill] of Object.entries(fills)) {
		if (fill.kind !== 'json') continue;
		const parsed = parseJsonValues(fill.text);
		if (typeof parsed === 'string') return new TensorInputError(name, parsed).message;
		const shape = fill.shape.trim() === '' ? null : parseShapeText(fill.shape);
		if (typeof shape === 'string') return new TensorInputError(name, shape).message;
		if (shape && shape.reduce((p, d) => p * d, 1) !== parsed.values.length) {
			return new TensorInputError(
				name,
				`the shape [${shape.join(', ')}] holds ${shape.reduce((p, d) => p * d, 1)} values, but ${parsed.values.length} were given.`
			).message;
		}
	}
	return null;
}

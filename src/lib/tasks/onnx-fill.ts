// The ONNX page's input settings: how each of a graph's inputs is filled (one number everywhere, JSON values, an
// image turned into a tensor, an audio clip's samples), the values chosen for symbolic dimensions, and how both
// travel in a share link (`inputs=` and `dims=`, JSON objects keyed by input or dimension name). Pure, so the
// page, the worker and the specs share it. Pixels and samples never travel: a web address or nothing does.

import type { AudioClip } from './audio-source';
import { whyNotImageUrl, type RgbaImage } from './image-source';
import type { ParamIssue } from './types';

export type Layout = 'nchw' | 'nhwc';
export type ChannelOrder = 'rgb' | 'bgr';
export type Triple = [number, number, number];

export interface ImageFill {
	kind: 'image';
	/** The decoded image; null until a file, paste or address gives one. */
	image: RgbaImage | null;
	/** Where the image came from when it is on the web (what a link carries); '' otherwise. */
	url: string;
	/** The page's image picker edits an ImageSource; this page has no built-in images. */
	sample: '';
	/** The size the image is resized to before it becomes the tensor. */
	width: number;
	height: number;
	/** Per channel in R, G, B order: a value is (pixel / 255 - mean) / std. */
	mean: Triple;
	std: Triple;
	layout: Layout;
	order: ChannelOrder;
}

export interface AudioFill {
	kind: 'audio';
	audio: AudioClip | null;
	url: string;
	/** The sample rate the graph expects; the clip is resampled to it. */
	rate: number;
}

/** How one input tensor is filled. */
export type TensorFill =
	| { kind: 'fill'; value: number }
	/** Nested arrays (their nesting is the shape) or a flat list with `shape` ("2,1,128"; '' when nested). */
	| { kind: 'json'; text: string; shape: string }
	| ImageFill
	| AudioFill;

export type FillKind = TensorFill['kind'];

export const IMAGENET = { mean: [0.485, 0.456, 0.406] as Triple, std: [0.229, 0.224, 0.225] as Triple };
export const DEFAULT_IMAGE_SIZE = 224;
export const DEFAULT_AUDIO_RATE = 16_000;
const MAX_SIDE = 4096;
const MAX_DIM = 1 << 24;

export function imageFill(settings: Partial<Omit<ImageFill, 'kind'>> = {}): ImageFill {
	return {
		kind: 'image',
		image: null,
		url: '',
		sample: '',
		width: DEFAULT_IMAGE_SIZE,
		height: DEFAULT_IMAGE_SIZE,
		mean: [...IMAGENET.mean],
		std: [...IMAGENET.std],
		layout: 'nchw',
		order: 'rgb',
		...settings
	};
}

export function audioFill(settings: Partial<Omit<AudioFill, 'kind'>> = {}): AudioFill {
	return { kind: 'audio', audio: null, url: '', rate: DEFAULT_AUDIO_RATE, ...settings };
}

/** A shape as a person writes it ("2,1,128", "2 x 1 x 128", "[2, 1, 128]"), or why it is not one. */
export function parseShapeText(text: string): number[] | string {
	const trimmed = text.trim().replace(/^\[|\]$/g, '');
	if (trimmed === '') return [];
	const parts = trimmed.split(/\s*[,x×]\s*|\s+/);
	const dims = parts.map(Number);
	if (parts.some((part) => !/^\d+$/.test(part)) || dims.some((dim) => dim > MAX_DIM)) {
		return `the shape ${JSON.stringify(text)} is not a list of whole numbers such as 2,1,128.`;
	}
	return dims;
}

/** Why an image fill's settings cannot make a tensor, or null. */
export function whyNotImageSettings(fill: ImageFill): string | null {
	const side = (value: number) => Number.isInteger(value) && value >= 1 && value <= MAX_SIDE;
	if (!side(fill.width) || !side(fill.height)) return `the size must be whole numbers from 1 to ${MAX_SIDE}.`;
	if (!fill.mean.every(Number.isFinite)) return 'each mean must be a number.';
	if (!fill.std.every((value) => Number.isFinite(value) && value !== 0)) {
		return 'each std must be a number other than 0.';
	}
	return null;
}

/** Why an audio fill's rate cannot be used, or null. */
const RATE_PROBLEM = 'the sample rate must be a whole number of hertz from 1000 to 192000.';

export function whyNotRate(rate: number): string | null {
	return Number.isInteger(rate) && rate >= 1000 && rate <= 192_000 ? null : RATE_PROBLEM;
}

// ---- Share links -------------------------------------------------------------------------------------------

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function isRecord(value: Json | undefined): value is { [key: string]: Json } {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isTriple(value: Json | undefined): value is Triple {
	return Array.isArray(value) && value.length === 3 && value.every((item) => typeof item === 'number');
}

/** One input's settings from a link's JSON, or why they cannot be used (said of the input by name). */
function readFill(value: Json | undefined): TensorFill | string {
	if (!isRecord(value)) return 'must be an object such as {"fill":0} or {"json":"[1,2,3]"}.';
	if ('fill' in value) {
		return typeof value.fill === 'number' && Number.isFinite(value.fill)
			? { kind: 'fill', value: value.fill }
			: '"fill" must be a number.';
	}
	if ('json' in value) {
		const shape = value.shape ?? '';
		if (typeof value.json !== 'string') return '"json" must be the values as text, e.g. "[[1,2],[3,4]]".';
		if (typeof shape !== 'string') return '"shape" must be text such as "2,1,128".';
		return { kind: 'json', text: value.json, shape };
	}
	if ('image' in value) {
		const settings = value.image;
		if (!isRecord(settings)) return '"image" must be an object of settings.';
		const fill = imageFill();
		const url = settings.url ?? '';
		if (typeof url !== 'string' || (url !== '' && whyNotImageUrl(url) !== null)) {
			return `its image address is not usable: ${typeof url === 'string' ? whyNotImageUrl(url) : 'not text'}`;
		}
		fill.url = url;
		if (settings.size !== undefined) {
			const size = settings.size;
			if (!Array.isArray(size) || size.length !== 2 || !size.every((side) => typeof side === 'number')) {
				return '"size" must be [width, height].';
			}
			[fill.width, fill.height] = size as [number, number];
		}
		for (const key of ['mean', 'std'] as const) {
			const triple = settings[key];
			if (triple === undefined) continue;
			if (!isTriple(triple)) return `"${key}" must be three numbers (R, G, B).`;
			fill[key] = [...triple];
		}
		if (settings.layout !== undefined) {
			if (settings.layout !== 'nchw' && settings.layout !== 'nhwc') return '"layout" must be nchw or nhwc.';
			fill.layout = settings.layout;
		}
		if (settings.order !== undefined) {
			if (settings.order !== 'rgb' && settings.order !== 'bgr') return '"order" must be rgb or bgr.';
			fill.order = settings.order;
		}
		return whyNotImageSettings(fill) ?? fill;
	}
	if ('audio' in value) {
		const settings = value.audio;
		if (!isRecord(settings)) return '"audio" must be an object of settings.';
		const url = settings.url ?? '';
		if (typeof url !== 'string' || (url !== '' && whyNotImageUrl(url, 'audio') !== null)) {
			return `its audio address is not usable: ${typeof url === 'string' ? whyNotImageUrl(url, 'audio') : 'not text'}`;
		}
		const rate = settings.rate ?? DEFAULT_AUDIO_RATE;
		if (typeof rate !== 'number' || whyNotRate(rate) !== null) return RATE_PROBLEM;
		return audioFill({ url, rate });
	}
	return 'must say how it is filled: "fill", "json", "image" or "audio".';
}

function parseJsonParam(raw: string, param: string, issues: ParamIssue[]): { [key: string]: Json } | null {
	let value: Json;
	try {
		value = JSON.parse(raw) as Json;
	} catch {
		issues.push({ param, message: `${param} must be a JSON object; this one does not parse.` });
		return null;
	}
	if (!isRecord(value)) {
		issues.push({ param, message: `${param} must be a JSON object keyed by name.` });
		return null;
	}
	return value;
}

/** Reads `inputs=`: each input's fill, by input name; unusable ones are reported naming the input. */
export function readFills(params: URLSearchParams, issues: ParamIssue[]): Record<string, TensorFill> {
	const fills: Record<string, TensorFill> = {};
	const raw = params.get('inputs');
	if (raw === null || raw === '') return fills;
	const object = parseJsonParam(raw, 'inputs', issues);
	for (const [name, value] of Object.entries(object ?? {})) {
		const fill = readFill(value);
		if (typeof fill === 'string') issues.push({ param: 'inputs', message: `Input "${name}": ${fill}` });
		else fills[name] = fill;
	}
	return fills;
}

/** Reads `dims=`: a value for each symbolic dimension the link sets. */
export function readDims(params: URLSearchParams, issues: ParamIssue[]): Record<string, number> {
	const dims: Record<string, number> = {};
	const raw = params.get('dims');
	if (raw === null || raw === '') return dims;
	for (const [name, value] of Object.entries(parseJsonParam(raw, 'dims', issues) ?? {})) {
		if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= MAX_DIM) {
			dims[name] = value;
		} else {
			issues.push({
				param: 'dims',
				message: `Dimension "${name}" must be a whole number from 0 to ${MAX_DIM}.`
			});
		}
	}
	return dims;
}

function fillJson(fill: TensorFill): Json {
	switch (fill.kind) {
		case 'fill':
			return { fill: fill.value };
		case 'json':
			return fill.shape.trim() === '' ? { json: fill.text } : { json: fill.text, shape: fill.shape };
		case 'image': {
			const defaults = imageFill();
			const settings: { [key: string]: Json } = {};
			// Pixels of a local file cannot travel in a link; its address (when it has one) and settings can.
			if (fill.url) settings.url = fill.url;
			if (fill.width !== defaults.width || fill.height !== defaults.height)
				settings.size = [fill.width, fill.height];
			if (fill.mean.join() !== defaults.mean.join()) settings.mean = [...fill.mean];
			if (fill.std.join() !== defaults.std.join()) settings.std = [...fill.std];
			if (fill.layout !== defaults.layout) settings.layout = fill.layout;
			if (fill.order !== defaults.order) settings.order = fill.order;
			return { image: settings };
		}
		case 'audio': {
			const settings: { [key: string]: Json } = {};
			if (fill.url) settings.url = fill.url;
			if (fill.rate !== DEFAULT_AUDIO_RATE) settings.rate = fill.rate;
			return { audio: settings };
		}
	}
}

/** The `inputs=` and `dims=` values for a form (absent when empty). */
export function writeFills(
	fills: Record<string, TensorFill>,
	dims: Record<string, number>
): Record<string, string> {
	const params: Record<string, string> = {};
	const entries = Object.entries(fills);
	if (entries.length > 0)
		params.inputs = JSON.stringify(Object.fromEntries(entries.map(([name, fill]) => [name, fillJson(fill)])));
	if (Object.keys(dims).length > 0) params.dims = JSON.stringify(dims);
	return params;
}

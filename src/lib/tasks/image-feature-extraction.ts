// Image feature extraction (ViT, DINOv2): two images in, how alike the model sees them out. Each image is
// embedded as the mean of its output tokens and the two embeddings are compared by cosine similarity; the
// images come in as image-classification's do (file, paste, web address, or a built-in colour sample).

import type { ParamIssue, TaskSpec } from './types';
import {
	sampleImage,
	SAMPLES,
	whyNotImageUrl,
	type RgbaImage,
	type SampleName
} from './image-classification';

/** One of the two images, as the page holds it. */
export interface ImageSlot {
	/** The decoded pixels; null until a file, paste, URL or sample gives them. */
	image: RgbaImage | null;
	/** Where the image came from when it is on the web (what a share link carries); '' otherwise. */
	url: string;
	/** The built-in sample the image is; '' otherwise. */
	sample: SampleName | '';
}

export interface ImageFeatureExtractionInput {
	a: ImageSlot;
	b: ImageSlot;
}

export interface ImageFeatureExtractionOutput {
	/** Tokens the model gave per image (1 for a model that pools itself), averaged into the embedding. */
	tokens: number;
	/** Length of each image's embedding. */
	dim: number;
	/** Cosine similarity of the two embeddings, from -1 to 1. */
	similarity: number;
}

export type Slot = 'a' | 'b';

function isSampleName(value: string): value is SampleName {
	return Object.hasOwn(SAMPLES, value);
}

/** Reads one image's parameters (`image_a`, `sample_a`, …); an address wins over a sample. */
function readSlot(params: URLSearchParams, slot: Slot, issues: ParamIssue[]): ImageSlot {
	const imageParam = `image_${slot}`;
	const sampleParam = `sample_${slot}`;
	let url = params.get(imageParam) ?? '';
	const problem = url === '' ? null : whyNotImageUrl(url, imageParam);
	if (problem !== null) {
		issues.push({ param: imageParam, message: problem });
		url = '';
	}
	const sample = params.get(sampleParam) ?? '';
	if (sample !== '' && !isSampleName(sample)) {
		issues.push({
			param: sampleParam,
			message: `${sampleParam} must be one of ${Object.keys(SAMPLES).join(', ')}.`
		});
	}
	const named = isSampleName(sample) && url === '' ? sample : '';
	return { image: named ? sampleImage(named) : null, url, sample: named };
}

function writeSlot(input: ImageSlot, slot: Slot, params: Record<string, string>): void {
	// The pixels of a local file cannot travel in a link; a web address or a built-in sample's name can.
	if (input.url) params[`image_${slot}`] = input.url;
	else if (input.sample) params[`sample_${slot}`] = input.sample;
}

function whyNotSlot(input: ImageSlot, name: string): string | null {
	if (input.image !== null) return null;
	return input.url
		? `Waiting for ${name} from its address…`
		: `Choose, drop or paste ${name}, or give its web address.`;
}

function hasPixels(value: RgbaImage | null): value is RgbaImage {
	return (
		value !== null &&
		Number.isInteger(value.width) &&
		Number.isInteger(value.height) &&
		value.width > 0 &&
		value.height > 0 &&
		value.data instanceof Uint8ClampedArray &&
		value.data.length === value.width * value.height * 4
	);
}

interface RawTensor {
	dims: number[];
	data: ArrayLike<number>;
}

function isRawTensor(value: unknown): value is RawTensor {
	return (
		typeof value === 'object' &&
		value !== null &&
		'dims' in value &&
		Array.isArray(value.dims) &&
		'data' in value &&
		ArrayBuffer.isView(value.data)
	);
}

/** Means of `tokens` rows of `dim` values starting at `offset`. */
export function meanTokens(data: ArrayLike<number>, offset: number, tokens: number, dim: number): number[] {
	const mean = new Array<number>(dim).fill(0);
	for (let t = 0; t < tokens; t++)
		for (let d = 0; d < dim; d++) mean[d]! += (data[offset + t * dim + d] ?? 0) / tokens;
	return mean;
}

/** Cosine similarity; 0 when either vector is all zeros. */
export function cosine(a: readonly number[], b: readonly number[]): number {
	let dot = 0;
	let aa = 0;
	let bb = 0;
	a.forEach((value, i) => {
		const other = b[i] ?? 0;
		dot += value * other;
		aa += value * value;
		bb += other * other;
	});
	return aa > 0 && bb > 0 ? dot / Math.sqrt(aa * bb) : 0;
}

const sample = (name: SampleName): ImageSlot => ({ image: sampleImage(name), url: '', sample: name });
const web = (url: string): ImageSlot => ({ image: null, url, sample: '' });

export const imageFeatureExtraction = {
	id: 'image-feature-extraction',
	pipeline: 'image-feature-extraction',
	modality: 'cv',
	defaultModels: {
		huggingface: 'Xenova/dinov2-small',
		bundled: 'browserve/tiny-image-embedder'
	},
	params: ['image_a', 'sample_a', 'image_b', 'sample_b'],
	examples: [
		// The first runs as the warm-up on the bundled colour embedder: two different colours.
		{ a: sample('red'), b: sample('blue') },
		{ a: sample('green'), b: sample('green') },
		{
			a: web('https://huggingface.co/datasets/Xenova/transformers.js-docs/resolve/main/tiger.jpg'),
			b: web('https://huggingface.co/datasets/Xenova/transformers.js-docs/resolve/main/cats.jpg')
		}
	],
	parseInput(params, issues) {
		return { a: readSlot(params, 'a', issues), b: readSlot(params, 'b', issues) };
	},
	serializeInput(input): Record<string, string> {
		const params: Record<string, string> = {};
		writeSlot(input.a, 'a', params);
		writeSlot(input.b, 'b', params);
		return params;
	},
	whyNotRunnable(input) {
		return whyNotSlot(input.a, 'image A') ?? whyNotSlot(input.b, 'image B');
	},
	async run(pipe, input, context) {
		const { a, b } = input;
		if (!hasPixels(a.image) || !hasPixels(b.image)) {
			throw new TypeError('There are not two decoded images to compare.');
		}
		const raw = await pipe(
			[a.image, b.image].map((i) => new context.library.RawImage(i.data, i.width, i.height, 4))
		);
		if (!isRawTensor(raw) || raw.dims[0] !== 2 || raw.dims.length < 2 || raw.dims.length > 3) {
			throw new TypeError('The model did not return one embedding (or one row of tokens) per image.');
		}
		// [2, dim] for a model that pools itself, [2, tokens, dim] otherwise.
		const dim = raw.dims.at(-1) ?? 0;
		const tokens = raw.dims.length === 3 ? (raw.dims[1] ?? 1) : 1;
		const first = meanTokens(raw.data, 0, tokens, dim);
		const second = meanTokens(raw.data, tokens * dim, tokens, dim);
		return { tokens, dim, similarity: cosine(first, second) };
	}
} as const satisfies TaskSpec<ImageFeatureExtractionInput, ImageFeatureExtractionOutput>;

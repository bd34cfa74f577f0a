// Image feature extraction (ViT, DINOv2): two images in, how alike the model sees them out. Each image is
// embedded as the mean of its output tokens and the two embeddings are compared by cosine similarity; the
// images come in as image-classification's do (file, paste, web address, or a built-in colour sample).

import type { TaskSpec } from './types';
import { COLOUR_SAMPLES, sampleImage, type SampleName } from './image-classification';
import {
	imageSourceParams,
	isRgbaImage,
	rawImageOf,
	readImageSource,
	whyNoImage,
	type ImageParamNames,
	type ImageSource
} from './image-source';

/** One of the two images, as the page holds it. */
export type ImageSlot = ImageSource<SampleName>;

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

/** Each image's own parameters: `image_a` and `sample_a`, `image_b` and `sample_b`; an address wins. */
const slotParams = (slot: Slot): ImageParamNames => ({ image: `image_${slot}`, sample: `sample_${slot}` });

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
		return {
			a: readImageSource(params, COLOUR_SAMPLES, issues, slotParams('a')),
			b: readImageSource(params, COLOUR_SAMPLES, issues, slotParams('b'))
		};
	},
	serializeInput(input): Record<string, string> {
		return { ...imageSourceParams(input.a, slotParams('a')), ...imageSourceParams(input.b, slotParams('b')) };
	},
	whyNotRunnable(input) {
		return whyNoImage(input.a, 'image A') ?? whyNoImage(input.b, 'image B');
	},
	async run(pipe, input, context) {
		const { a, b } = input;
		if (!isRgbaImage(a.image) || !isRgbaImage(b.image)) {
			throw new TypeError('There are not two decoded images to compare.');
		}
		const raw = await pipe([a.image, b.image].map((image) => rawImageOf(context.library, image)));
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

// Depth estimation (DPT, Depth Anything): one image in, a relative depth map out. The worker shrinks the
// model's map to at most MAP_SIDE pixels a side and scales it to 0–255, so the result stays small enough to
// show as JSON and to cross back to the page; the image comes in as image-classification's does (file, paste,
// web address, or a built-in sample a link can name).

import type { TaskSpec } from './types';
import {
	decodedImage,
	drawSamples,
	imageOnlyInput,
	rawImageOf,
	type ImageSource,
	type RgbaImage
} from './image-source';
import { fitWithin } from '$lib/media/image';

export type DepthEstimationInput = ImageSource<DepthSampleName>;

export interface DepthEstimationOutput {
	/** The size of the image the model was given. */
	width: number;
	height: number;
	/** The size of `depth`: the image's shape, at most MAP_SIDE on its longer side. */
	mapWidth: number;
	mapHeight: number;
	/** Relative depth row by row, 0 for the least and 255 for the most in this image (all 0 when flat). */
	depth: number[];
	/** The range of the model's raw predicted depth, which 0–255 stands for. */
	min: number;
	max: number;
}

/** Longest side of the depth map in the output: enough to see the shape of a scene, small as JSON. */
export const MAP_SIDE = 64;

/** Brightness of a sample at (x, y) in [0, 1], both coordinates in [0, 1]. */
type Shade = (x: number, y: number) => number;

/** Built-in images, made in code, that links can name (`sample=left-right`); they need no network. */
export const DEPTH_SAMPLES = {
	/** Dark on the left, bright on the right. */
	'left-right': (x) => x,
	/** Dark at the top, bright at the bottom. */
	'top-bottom': (_, y) => y,
	/** A bright spot in the middle of a dark field. */
	spot: (x, y) => Math.max(0, 1 - 2.5 * Math.hypot(x - 0.5, y - 0.5))
} as const satisfies Record<string, Shade>;
export type DepthSampleName = keyof typeof DEPTH_SAMPLES;

/** A grey sample image built in code. */
export function depthSample(name: DepthSampleName, width = 64, height = 48): RgbaImage {
	const shade: Shade = DEPTH_SAMPLES[name];
	const data = new Uint8ClampedArray(width * height * 4);
	for (let y = 0; y < height; y++) {
		for (let x = 0; x < width; x++) {
			const grey = Math.round(255 * shade(x / (width - 1), y / (height - 1)));
			data.set([grey, grey, grey, 255], (y * width + x) * 4);
		}
	}
	return { width, height, data };
}

/** Averages a one-channel map over boxes, so its longer side is at most maxSide (never upscaled). */
export function shrinkMap(
	values: ArrayLike<number>,
	width: number,
	height: number,
	maxSide = MAP_SIDE
): { width: number; height: number; data: Float64Array } {
	const size = fitWithin(width, height, maxSide);
	const data = new Float64Array(size.width * size.height);
	for (let oy = 0; oy < size.height; oy++) {
		const y0 = Math.floor((oy * height) / size.height);
		const y1 = Math.max(y0 + 1, Math.floor(((oy + 1) * height) / size.height));
		for (let ox = 0; ox < size.width; ox++) {
			const x0 = Math.floor((ox * width) / size.width);
			const x1 = Math.max(x0 + 1, Math.floor(((ox + 1) * width) / size.width));
			let sum = 0;
			for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) sum += values[y * width + x] ?? 0;
			data[oy * size.width + ox] = sum / ((y1 - y0) * (x1 - x0));
		}
	}
	return { ...size, data };
}

/** Scales values to whole numbers 0–255 between their min and max; a flat map is all 0. */
export function toBytes(values: ArrayLike<number>, min: number, max: number): number[] {
	const range = max - min;
	// A uniform image comes back with float rounding noise, which stretched to 0–255 would look like a scene.
	const flat = !(range > 1e-5 * Math.max(1, Math.abs(min), Math.abs(max)));
	return Array.from(values, (value) =>
		flat ? 0 : Math.min(255, Math.max(0, Math.round((255 * (value - min)) / range)))
	);
}

interface RawDepth {
	predicted_depth: { dims: number[]; data: ArrayLike<number> };
}

function isRawDepth(value: unknown): value is RawDepth {
	if (typeof value !== 'object' || value === null || !('predicted_depth' in value)) return false;
	const tensor = value.predicted_depth;
	return (
		typeof tensor === 'object' &&
		tensor !== null &&
		'dims' in tensor &&
		Array.isArray(tensor.dims) &&
		'data' in tensor &&
		ArrayBuffer.isView(tensor.data)
	);
}

export const depthEstimation = {
	id: 'depth-estimation',
	pipeline: 'depth-estimation',
	modality: 'cv',
	defaultModels: {
		huggingface: 'onnx-community/depth-anything-v2-small',
		bundled: 'browserve/tiny-depth'
	},
	params: ['image', 'sample'],
	examples: [
		// The first runs as the warm-up on the bundled model, which reads brightness as depth: a ramp shows it.
		{ image: depthSample('left-right'), url: '', sample: 'left-right' },
		{ image: depthSample('spot'), url: '', sample: 'spot' },
		{
			image: null,
			url: 'https://huggingface.co/datasets/Xenova/transformers.js-docs/resolve/main/cats.jpg',
			sample: ''
		}
	],
	...imageOnlyInput(drawSamples(DEPTH_SAMPLES, depthSample)),
	async run(pipe, input, context) {
		const image = decodedImage(input.image, 'estimate depth for');
		const raw = await pipe(rawImageOf(context.library, image));
		if (!isRawDepth(raw)) throw new TypeError('The model did not return a predicted depth map.');
		const dims = raw.predicted_depth.dims;
		const [mapHeight, mapWidth] = dims.slice(-2);
		if (dims.length < 2 || mapHeight === undefined || mapWidth === undefined) {
			throw new TypeError(`The predicted depth has shape [${dims.join(', ')}], not [height, width].`);
		}
		const shrunk = shrinkMap(raw.predicted_depth.data, mapWidth, mapHeight);
		let min = Infinity;
		let max = -Infinity;
		for (let i = 0; i < mapWidth * mapHeight; i++) {
			const value = raw.predicted_depth.data[i] ?? 0;
			if (value < min) min = value;
			if (value > max) max = value;
		}
		return {
			width: image.width,
			height: image.height,
			mapWidth: shrunk.width,
			mapHeight: shrunk.height,
			depth: toBytes(shrunk.data, min, max),
			min,
			max
		};
	}
} as const satisfies TaskSpec<DepthEstimationInput, DepthEstimationOutput>;

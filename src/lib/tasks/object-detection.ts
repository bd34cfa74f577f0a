// Object detection (DETR and friends): one image in, boxes with labels and scores out. The worker keeps every
// box down to a low floor rather than only those over the link's threshold, so the page's slider can hide and
// show boxes without running the model again; the image comes in as image-classification's does and goes
// back with the result, so the boxes can be drawn over exactly the pixels the model saw.

import type { ParamIssue, TaskSpec, TransformersLibrary } from './types';
import {
	decodedImage,
	drawSamples,
	imageSourceParams,
	rawImageOf,
	readImageSource,
	whyNoImage,
	type ImageSource,
	type RgbaImage
} from './image-source';

/** A box in pixels of the image: left, top, right and bottom edges. */
export interface DetectionBox {
	xmin: number;
	ymin: number;
	xmax: number;
	ymax: number;
}

export interface Detection {
	label: string;
	/** The model's confidence, 0–1. */
	score: number;
	box: DetectionBox;
}

export interface DetectionOutput {
	/** The size of the image the boxes are in. */
	width: number;
	height: number;
	/** The score a box needs to be drawn, as the run was asked (the slider starts there). */
	threshold: number;
	/** The lowest score kept: boxes under it were dropped in the worker and need another run to see. */
	floor: number;
	/** Every box scoring at least `floor`, best first, at most MAX_DETECTIONS. */
	detections: Detection[];
	/**
	 * The image's RGBA pixels (width × height × 4 bytes), to draw the boxes on: a buffer, so it is transferred
	 * back from the worker and the result's JSON shows it as {} rather than millions of numbers.
	 */
	rgba: ArrayBuffer;
}

export interface ObjectDetectionInput extends ImageSource<DetectionSampleName> {
	/** The score a box needs to be drawn, 0–1; the result's slider moves it without running again. */
	threshold: number;
}

/** transformers.js's own default for object detection; links leave it out. */
export const DEFAULT_THRESHOLD = 0.9;
/** Boxes under this (or under the threshold, when that is lower) are not kept for the slider. */
export const KEEP_FLOOR = 0.05;
/** A DETR has 100 queries and OWL-ViT hundreds of patches per label: the best this many are plenty to draw. */
export const MAX_DETECTIONS = 100;

type Rgb = readonly [number, number, number];
interface Shape {
	rgb: Rgb;
	box: DetectionBox;
}
interface Scene {
	width: number;
	height: number;
	shapes: readonly Shape[];
}

const RED: Rgb = [230, 30, 20];
const GREEN: Rgb = [30, 200, 40];
const BLUE: Rgb = [20, 40, 220];

/** Built-in pictures of coloured rectangles on white, made in code, that links can name (`sample=shapes`). */
export const DETECTION_SAMPLES = {
	/** A red, a green and a blue rectangle. */
	shapes: {
		width: 96,
		height: 64,
		shapes: [
			{ rgb: RED, box: { xmin: 8, ymin: 8, xmax: 40, ymax: 40 } },
			{ rgb: GREEN, box: { xmin: 56, ymin: 8, xmax: 88, ymax: 32 } },
			{ rgb: BLUE, box: { xmin: 52, ymin: 40, xmax: 84, ymax: 56 } }
		]
	},
	/** One red square on the left. */
	'red-left': {
		width: 64,
		height: 48,
		shapes: [{ rgb: RED, box: { xmin: 8, ymin: 12, xmax: 32, ymax: 36 } }]
	}
} as const satisfies Record<string, Scene>;
export type DetectionSampleName = keyof typeof DETECTION_SAMPLES;

/** A sample drawn as an image: its rectangles on white. */
export function detectionSample(name: DetectionSampleName): RgbaImage {
	const { width, height, shapes }: Scene = DETECTION_SAMPLES[name];
	const data = new Uint8ClampedArray(width * height * 4).fill(255);
	for (const { rgb, box } of shapes)
		for (let y = box.ymin; y < box.ymax; y++)
			for (let x = box.xmin; x < box.xmax; x++) data.set(rgb, (y * width + x) * 4);
	return { width, height, data };
}

const DETECTION_SAMPLE_IMAGES = drawSamples(DETECTION_SAMPLES, detectionSample);

/** Why a threshold cannot run (the form's field can hold anything), or null. */
export function whyNotThreshold(threshold: number): string | null {
	return Number.isFinite(threshold) && threshold >= 0 && threshold <= 1
		? null
		: 'threshold must be a number from 0 to 1.';
}

/** Reads the `threshold` parameter; anything but a number from 0 to 1 is reported and replaced by the fallback. */
export function readThreshold(params: URLSearchParams, issues: ParamIssue[], fallback: number): number {
	const raw = params.get('threshold');
	if (raw === null || raw === '') return fallback;
	const value = Number(raw);
	// Number() also reads '0x1', 'Infinity' and ' 1 '; a link says a decimal (in exponent form for tiny ones,
	// as String() writes them).
	if (!/^(\d+(\.\d*)?|\.\d+)(e-?\d+)?$/.test(raw) || whyNotThreshold(value) !== null) {
		issues.push({ param: 'threshold', message: 'threshold must be a number from 0 to 1, such as 0.5.' });
		return fallback;
	}
	return value;
}

/** The image, address and sample parameters every detection task shares; an address wins over a sample. */
export function readImageParams(
	params: URLSearchParams,
	issues: ParamIssue[]
): ImageSource<DetectionSampleName> {
	return readImageSource(params, DETECTION_SAMPLE_IMAGES, issues);
}

/** The link parameters of an image and a threshold (the pixels of a local file cannot travel in a link). */
export function writeImageParams(
	input: ObjectDetectionInput,
	defaultThreshold: number
): Record<string, string> {
	const params = imageSourceParams(input);
	if (input.threshold !== defaultThreshold && whyNotThreshold(input.threshold) === null)
		params.threshold = String(input.threshold);
	return params;
}

/** Why an input's image or threshold cannot run, or null. */
export function whyNotDetectable(input: ObjectDetectionInput): string | null {
	return whyNotThreshold(input.threshold) ?? whyNoImage(input);
}

/** The input's pixels, checked, and as the pipeline takes them (not copied: the output hands them back). */
export function detectionImage(input: ObjectDetectionInput, library: TransformersLibrary) {
	const image = decodedImage(input.image, 'look for objects in');
	return { image, raw: rawImageOf(library, image) };
}

/** The score the worker asks the pipeline for: low enough that the slider has boxes to show. */
export function keepFrom(threshold: number): number {
	return Math.min(threshold, KEEP_FLOOR);
}

/** The pixels' own ArrayBuffer when they fill it (the one that came from the page), else a copy. */
function ownBuffer(data: Uint8ClampedArray): ArrayBuffer {
	const { buffer } = data;
	return buffer instanceof ArrayBuffer && data.byteOffset === 0 && data.byteLength === buffer.byteLength
		? buffer
		: data.slice().buffer;
}

interface RawDetection {
	label: string;
	score: number;
	box: DetectionBox;
}

function isRawDetection(value: unknown): value is RawDetection {
	if (typeof value !== 'object' || value === null) return false;
	const { label, score, box } = value as Record<string, unknown>;
	if (typeof label !== 'string' || typeof score !== 'number' || typeof box !== 'object' || box === null)
		return false;
	const edges = box as Record<string, unknown>;
	return ['xmin', 'ymin', 'xmax', 'ymax'].every((edge) => typeof edges[edge] === 'number');
}

/**
 * The pipeline's detections (asked with `percentage: true`, so boxes are fractions of the image) checked, in
 * whole pixels of the image, best first, at most MAX_DETECTIONS, with the image to draw them on.
 */
export function toDetectionOutput(raw: unknown, image: RgbaImage, threshold: number): DetectionOutput {
	if (!Array.isArray(raw) || !raw.every(isRawDetection))
		throw new TypeError('The model did not return boxes with labels and scores.');
	// Rounding, not the pipeline's truncation of pixel boxes, so an edge at 31.9999 is drawn at 32.
	const px = (fraction: number, size: number) => Math.round(fraction * size);
	const detections = raw
		.map(({ label, score, box }) => ({
			label,
			score,
			box: {
				xmin: px(box.xmin, image.width),
				ymin: px(box.ymin, image.height),
				xmax: px(box.xmax, image.width),
				ymax: px(box.ymax, image.height)
			}
		}))
		.sort((a, b) => b.score - a.score)
		.slice(0, MAX_DETECTIONS);
	return {
		width: image.width,
		height: image.height,
		threshold,
		floor: keepFrom(threshold),
		detections,
		rgba: ownBuffer(image.data)
	};
}

export const objectDetection = {
	id: 'object-detection',
	pipeline: 'object-detection',
	modality: 'cv',
	defaultModels: {
		huggingface: 'Xenova/detr-resnet-50',
		bundled: 'browserve/tiny-detr'
	},
	params: ['image', 'sample', 'threshold'],
	examples: [
		// The first runs as the warm-up on the bundled colour detector, which scores red, green and blue 0.95,
		// 0.82 and 0.62: at 0.5 all three rectangles are boxed, and the slider can hide the weaker ones.
		{ image: detectionSample('shapes'), url: '', sample: 'shapes', threshold: 0.5 },
		{ image: detectionSample('red-left'), url: '', sample: 'red-left', threshold: DEFAULT_THRESHOLD },
		{
			image: null,
			url: 'https://huggingface.co/datasets/Xenova/transformers.js-docs/resolve/main/cats.jpg',
			sample: '',
			threshold: DEFAULT_THRESHOLD
		}
	],
	parseInput(params, issues) {
		return {
			...readImageParams(params, issues),
			threshold: readThreshold(params, issues, DEFAULT_THRESHOLD)
		};
	},
	serializeInput(input): Record<string, string> {
		return writeImageParams(input, DEFAULT_THRESHOLD);
	},
	whyNotRunnable(input) {
		return whyNotDetectable(input);
	},
	async run(pipe, input, context) {
		const { image, raw: pixels } = detectionImage(input, context.library);
		const raw = await pipe(pixels, {
			threshold: keepFrom(input.threshold),
			percentage: true
		});
		return toDetectionOutput(raw, image, input.threshold);
	}
} as const satisfies TaskSpec<ObjectDetectionInput, DetectionOutput>;

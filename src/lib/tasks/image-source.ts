// Where an image task's image comes from, for every task that takes one: the decoded pixels the page holds, and
// what a share link can carry instead of them (an http(s) address the page fetches, or the name of a sample the
// task draws in code). Reading and writing those two parameters, saying why there is no image yet, and checking
// the pixels that cross to the worker are the same for all of them; each task brings only its own samples.

import type { ParamIssue, TransformersLibrary } from './types';

/** Decoded pixels, 4 bytes (RGBA) per pixel, row by row. */
export interface RgbaImage {
	width: number;
	height: number;
	data: Uint8ClampedArray;
}

/** An input's image, as the page holds it. */
export interface ImageSource<Sample extends string = string> {
	/** The decoded pixels; null until a file, paste, web address or sample gives them. */
	image: RgbaImage | null;
	/** Where the image came from when it is on the web (what a share link carries); '' otherwise. */
	url: string;
	/** The built-in sample the image is (so example links reproduce it without any network); '' otherwise. */
	sample: Sample | '';
}

/** A task's built-in images by name, each drawn when a link (or an example) names it. */
export type SampleImages<Sample extends string> = Readonly<Record<Sample, () => RgbaImage>>;

/** The samples of a table of names (whatever each name's recipe is), drawn by `draw`. */
export function drawSamples<Sample extends string>(
	names: Readonly<Record<Sample, unknown>>,
	draw: (name: Sample) => RgbaImage
): SampleImages<Sample> {
	return Object.fromEntries(
		(Object.keys(names) as Sample[]).map((name) => [name, () => draw(name)])
	) as Record<Sample, () => RgbaImage>;
}

/** The link parameters an image is read from: `image` and `sample`, or a slot's own (`image_a`, `sample_a`). */
export interface ImageParamNames {
	image: string;
	sample: string;
}

const IMAGE_PARAMS: ImageParamNames = { image: 'image', sample: 'sample' };

/** Why a share link's image URL cannot be fetched by the page, or null when it is an http(s) URL. */
export function whyNotImageUrl(text: string, name = 'image'): string | null {
	let url: URL;
	try {
		url = new URL(text);
	} catch {
		return `${name} must be a full web address starting with http:// or https://.`;
	}
	// data:, blob:, javascript: and file: links would run or read things other than a public image.
	if (url.protocol !== 'http:' && url.protocol !== 'https:') {
		return `${name} must be an http:// or https:// address, not ${url.protocol}`;
	}
	return null;
}

/**
 * Reads an image's address and sample name from a link; an address wins over a sample, and unusable values are
 * reported by name.
 */
export function readImageSource<Sample extends string>(
	params: URLSearchParams,
	samples: SampleImages<Sample>,
	issues: ParamIssue[],
	names: ImageParamNames = IMAGE_PARAMS
): ImageSource<Sample> {
	let url = params.get(names.image) ?? '';
	const problem = url === '' ? null : whyNotImageUrl(url, names.image);
	if (problem !== null) {
		issues.push({ param: names.image, message: problem });
		url = '';
	}
	const raw = params.get(names.sample) ?? '';
	const isSample = (value: string): value is Sample => Object.hasOwn(samples, value);
	if (raw !== '' && !isSample(raw)) {
		issues.push({
			param: names.sample,
			message: `${names.sample} must be one of ${Object.keys(samples).join(', ')}.`
		});
	}
	const sample = isSample(raw) && url === '' ? raw : '';
	return { image: sample ? samples[sample]() : null, url, sample };
}

/** The link parameters of an image: its address or its sample's name (a local file's pixels cannot travel). */
export function imageSourceParams(
	source: ImageSource,
	names: ImageParamNames = IMAGE_PARAMS
): Record<string, string> {
	if (source.url) return { [names.image]: source.url };
	if (source.sample) return { [names.sample]: source.sample };
	return {};
}

/** Why there is no image to run on yet, or null when there is one; `name` tells several images apart. */
export function whyNoImage(source: ImageSource, name?: string): string | null {
	if (source.image !== null) return null;
	return source.url
		? `Waiting for ${name ?? 'the image'} from its address…`
		: `Choose, drop or paste ${name ?? 'an image'}, or give its web address.`;
}

/** The share-link side of a task whose whole input is its image (read, written, and whether it can run). */
export function imageOnlyInput<Sample extends string>(samples: SampleImages<Sample>) {
	return {
		parseInput: (params: URLSearchParams, issues: ParamIssue[]): ImageSource<Sample> =>
			readImageSource(params, samples, issues),
		serializeInput: (input: ImageSource<Sample>): Record<string, string> => imageSourceParams(input),
		whyNotRunnable: (input: ImageSource<Sample>): string | null => whyNoImage(input)
	};
}

/** Whether pixels that crossed from the page are whole RGBA rows: a message from the page is only data. */
export function isRgbaImage(value: RgbaImage | null): value is RgbaImage {
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

/** The input's pixels, checked, or a TypeError saying what could not be done without them. */
export function decodedImage(image: RgbaImage | null, doing: string): RgbaImage {
	if (!isRgbaImage(image)) throw new TypeError(`There is no decoded image to ${doing}.`);
	return image;
}

/**
 * Pixels as transformers.js takes them. `copy` for a task that hands the input's own buffer back with its
 * output: warm-up inputs are reused, so their pixels must never be handed on.
 */
export function rawImageOf(library: TransformersLibrary, image: RgbaImage, { copy = false } = {}) {
	return new library.RawImage(copy ? image.data.slice() : image.data, image.width, image.height, 4);
}

/** The input's pixels, checked, as transformers.js takes them. */
export function toRawImage(library: TransformersLibrary, image: RgbaImage | null, doing: string) {
	return rawImageOf(library, decodedImage(image, doing));
}

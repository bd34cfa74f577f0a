// OCR: share-link parameters both ways, bad values reported by name, the pure pieces as tables (detector sizes,
// normalised planes, crops and turns, boxes from a probability map, CTC decoding, reading order), and run() with
// the real PP-OCRv4 models (copied into the fixtures) in onnxruntime-web's Node build: both built-in samples are
// read exactly, upright and upside down.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { linkImages, linkParser } from './testing/image-links';
import type { RunContext } from './types';
import { useOnnxModels } from './testing/onnx-models';
import { ocr, ocrPipeline, type OcrInput, type OcrPipe } from './ocr';
import {
	ctcDecode,
	findBoxes,
	inkGaps,
	parseCharacters,
	readingOrder,
	scaleBox,
	spaceWords
} from './ocr-decode';
import {
	cropImage,
	detectionSize,
	luminance,
	rotateHalf,
	rotateQuarter,
	SYMMETRIC_NORMALISATION,
	toPlanes
} from './ocr-image';
import { drawText, OCR_SAMPLES, ocrSampleImage, type OcrSampleName } from './ocr-sample';
import type { RgbaImage } from './image-classification';

const task = ocr;

const parse = linkParser(task);

/** A tiny image whose pixel i has red = i (so moves are easy to follow). */
function numbered(width: number, height: number): RgbaImage {
	const data = new Uint8ClampedArray(width * height * 4);
	for (let i = 0; i < width * height; i++) data.set([i, 0, 0, 255], i * 4);
	return { width, height, data };
}
const reds = (image: RgbaImage) =>
	Array.from({ length: image.width * image.height }, (_, i) => image.data[i * 4]);

describe('ocr share links', () => {
	const linkInputs = linkImages(OCR_SAMPLES, ocrSampleImage);

	it('round-trips every example and any input a link can carry', () => {
		for (const example of task.examples)
			expect(parse(task.serializeInput(example))).toEqual({ input: example, issues: [] });
		expect(task.serializeInput(task.examples[0]!)).toEqual({ sample: 'hello' });
		// Images compare by size and middle row: comparing every pixel of a hundred images takes most of a minute.
		const brief = ({ image, ...rest }: OcrInput) => {
			const row = image ? 4 * image.width * Math.floor(image.height / 2) : 0;
			return {
				...rest,
				image: image && [image.width, image.height, image.data.slice(row, row + 4 * image.width)]
			};
		};
		fc.assert(
			fc.property(linkInputs, (input) => {
				const parsed = parse(task.serializeInput(input));
				expect({ input: brief(parsed.input), issues: parsed.issues }).toEqual({
					input: brief(input),
					issues: []
				});
			})
		);
	});

	it('reports bad image addresses and samples by name', () => {
		const bad = parse({ image: 'javascript:alert(1)' });
		expect(bad.input.url).toBe('');
		expect(bad.issues.map((issue) => issue.param)).toEqual(['image']);
		const unknown = parse({ sample: 'poem' });
		expect(unknown.input.image).toBeNull();
		expect(unknown.issues).toEqual([{ param: 'sample', message: 'sample must be one of hello, door.' }]);
		expect(task.whyNotRunnable({ image: null, url: '', sample: '' })).toMatch(/Choose, drop or paste/);
	});
});

describe('ocr pixel work', () => {
	it.each([
		[100, 40, { width: 96, height: 32 }],
		[10, 10, { width: 32, height: 32 }],
		[1920, 1080, { width: 960, height: 544 }],
		[960, 17, { width: 960, height: 32 }]
	])('detects a %i×%i image at a multiple of 32, at most 960', (width, height, expected) => {
		expect(detectionSize(width, height)).toEqual(expected);
	});

	it('normalises into B, G, R planes and pads to the canvas width with 0', () => {
		const pixel = { width: 1, height: 1, data: Uint8ClampedArray.from([255, 0, 51, 255]) };
		const planes = toPlanes(pixel, 1, 1, SYMMETRIC_NORMALISATION, 3);
		expect(Array.from(planes, (v) => Math.round(v * 100) / 100)).toEqual([-0.6, 0, 0, -1, 0, 0, 1, 0, 0]);
	});

	it('crops (clamped to the image) and turns pixels', () => {
		const image = numbered(3, 2);
		expect(reds(cropImage(image, { x: 1, y: 0, width: 5, height: 1 }))).toEqual([1, 2]);
		expect(reds(rotateHalf(image))).toEqual([5, 4, 3, 2, 1, 0]);
		const turned = rotateQuarter(image);
		expect([turned.width, turned.height]).toEqual([2, 3]);
		// Anticlockwise: the right column becomes the top row.
		expect(reds(turned)).toEqual([2, 5, 1, 4, 0, 3]);
	});

	it('draws sample text dark on light, sized by its letters', () => {
		const image = drawText('HE 0');
		expect(image.height).toBe(9 * 3 + 2 * 8 * 3);
		expect(image.data[0]).toBe(250);
		expect(Math.min(...reds(image).filter((v): v is number => v !== undefined))).toBe(20);
	});
});

describe('ocr decoding', () => {
	const rules = { threshold: 0.3, boxThreshold: 0.6, unclipRatio: 1.5, minSide: 2 };
	const map = (rows: string[]) =>
		rows.flatMap((row) => Array.from(row, (c) => (c === '.' ? 0 : Number(c) / 10)));

	it.each([
		['nothing', ['....', '....'], []],
		// 4×2 region: grown by 4·2·1.5 / (2·6) = 1 on each side, clamped to the map.
		[
			'one region, unclipped',
			['......', '.9999.', '.9999.', '......'],
			[{ x: 0, y: 0, width: 6, height: 4, score: expect.closeTo(0.9) }]
		],
		['diagonal pixels join (8-connected)', ['99..', '9999', '..99'], [{ x: 0, y: 0, width: 4, height: 3 }]],
		['a faint region is dropped', ['.44.', '.44.'], []],
		['a one-pixel-high streak is noise', ['9999', '....'], []]
	])('%s', (_, rows, expected) => {
		const width = rows[0]!.length;
		const found = findBoxes(map(rows), width, rows.length, rules);
		expect(found).toHaveLength(expected.length);
		found.forEach((box, i) => expect(box).toMatchObject(expected[i]!));
	});

	it('scales boxes from the map to the image', () => {
		expect(scaleBox({ x: 1, y: 2, width: 3, height: 4, score: 1 }, 2, 0.5)).toEqual({
			x: 2,
			y: 1,
			width: 6,
			height: 2,
			score: 1
		});
	});

	it('reads PaddleOCR’s character list with blank first and space last', () => {
		expect(parseCharacters('a\r\nb\n')).toEqual(['', 'a', 'b', ' ']);
		expect(parseCharacters('a\nb')).toEqual(['', 'a', 'b', ' ']);
	});

	it.each([
		['repeats merge, blanks split them', [1, 1, 0, 1, 2, 2, 3], 'aab '],
		['only blanks read as nothing', [0, 0, 0], ''],
		['space is the last class', [3, 0, 3], '  ']
	])('CTC: %s', (_, best, text) => {
		const characters = ['', 'a', 'b', ' '];
		const probabilities = best.flatMap((index) => characters.map((_, c) => (c === index ? 0.8 : 0.2 / 3)));
		const decoded = ctcDecode(probabilities, best.length, characters.length, characters);
		expect(decoded.text).toBe(text);
		expect(decoded.score).toBeCloseTo(text === '' ? 0 : 0.8);
	});

	it('remembers the step each character was read at', () => {
		const characters = ['', 'a', 'b', ' '];
		const probabilities = [0, 1, 1, 0, 2].flatMap((index) => characters.map((_, c) => (c === index ? 1 : 0)));
		expect(ctcDecode(probabilities, 5, 4, characters)).toMatchObject({ text: 'ab', steps: [1, 4] });
	});

	it.each([
		// One row per case: '#' is ink, '.' background; gaps of at least 3 columns between ink count.
		[
			'dark on light',
			'#.#...#....##',
			[10, 250],
			[
				[3, 6],
				[7, 11]
			]
		],
		['light on dark', '..#.#....##..', [250, 10], [[5, 9]]],
		['margins are not gaps', '....##...##....', [10, 250], [[6, 9]]],
		['no ink at all', '......', [10, 250], []]
	] as const)('finds word gaps: %s', (_, row, [ink, background], expected) => {
		const values = Array.from(row, (c) => (c === '#' ? ink : background));
		expect(inkGaps(values, row.length, 1, 3)).toEqual(expected);
	});

	it.each([
		['a gap between letters read together becomes a space', 'AB', [2, 8], [[4, 6]], 'A B'],
		['a gap where a space was read adds none', 'A B', [2, 5, 8], [[4, 6]], 'A B'],
		['a gap outside the letters adds none', 'AB', [2, 8], [[9, 12]], 'AB'],
		['no gaps, no change', 'ABC', [1, 2, 3], [], 'ABC']
	] as const)('%s', (_, text, steps, gaps, expected) => {
		expect(
			spaceWords(
				{ text, score: 1, steps: [...steps] },
				gaps.map(([a, b]) => [a, b])
			)
		).toBe(expected);
	});

	it('measures brightness with Rec. 601 weights', () => {
		const pixels = {
			width: 2,
			height: 1,
			data: Uint8ClampedArray.from([255, 0, 0, 255, 255, 255, 255, 255])
		};
		expect(Array.from(luminance(pixels), Math.round)).toEqual([76, 255]);
	});

	it('orders regions in lines, top to bottom and left to right', () => {
		const at = (text: string, x: number, y: number) => ({ text, box: { x, y, width: 20, height: 10 } });
		const lines = readingOrder([at('world', 40, 2), at('below', 0, 30), at('hello', 0, 0)]);
		expect(lines.map((line) => line.map((item) => item.text))).toEqual([['hello', 'world'], ['below']]);
	});
});

describe('ocr with PP-OCRv4 mobile', () => {
	const models = useOnnxModels('browserve-ocr-');
	const context: RunContext<never> = {
		signal: new AbortController().signal,
		emit: () => undefined,
		library: {} as RunContext<never>['library']
	};
	let pipe: OcrPipe;

	it('reads both built-in samples exactly', async () => {
		pipe = await models.load('PaddlePaddle/PP-OCRv4-mobile', ocrPipeline);
		for (const example of task.examples) {
			const output = await task.run(pipe, example, context);
			expect(output.text).toBe(OCR_SAMPLES[example.sample as OcrSampleName]);
			expect(output.regions).toHaveLength(1);
			const [region] = output.regions;
			expect(region!.rotated).toBe(false);
			expect(region!.score).toBeGreaterThan(0.85);
			// The box holds the text, inside the image's margins.
			expect(region!.box.x).toBeGreaterThan(5);
			expect(region!.box.x + region!.box.width).toBeLessThan(example.image!.width - 5);
			expect([output.width, output.height]).toEqual([example.image!.width, example.image!.height]);
			expect(output.rgba.byteLength).toBe(output.width * output.height * 4);
			expect(JSON.parse(JSON.stringify(output)).rgba).toEqual({});
		}
	});

	it('reads upside-down text, turning it', async () => {
		const image = rotateHalf(ocrSampleImage('hello'));
		const output = await task.run(pipe, { image, url: '', sample: '' }, context);
		expect(output.text).toBe('HELLO WORLD 2024');
		expect(output.regions[0]!.rotated).toBe(true);
	});

	it('finds no text on a blank page', async () => {
		const output = await task.run(pipe, { image: drawText('   '), url: '', sample: '' }, context);
		expect(output).toMatchObject({ text: '', regions: [] });
	});
});

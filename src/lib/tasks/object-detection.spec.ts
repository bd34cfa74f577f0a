// Object detection and zero-shot object detection: share-link parameters both ways (examples and generated
// inputs; addresses and sample names, never pixels), bad values reported by name, the raw boxes turned into
// whole pixels best first, and run() against the generated tiny-detr and tiny-owlvit in Node transformers.js,
// whose boxes and labels are known in advance from the samples' rectangles.

import fc from 'fast-check';
import * as transformers from '@huggingface/transformers';
import { describe, expect, it } from 'vitest';
import { useTinyModels } from './testing/tiny-models';
import { linkImages, linkParser } from './testing/image-links';
import { solidImage } from './image-classification';
import {
	DEFAULT_THRESHOLD,
	DETECTION_SAMPLES,
	detectionSample,
	KEEP_FLOOR,
	MAX_DETECTIONS,
	objectDetection,
	toDetectionOutput,
	type DetectionBox,
	type DetectionOutput,
	type DetectionSampleName,
	type ObjectDetectionInput
} from './object-detection';
import {
	DEFAULT_ZERO_SHOT_THRESHOLD,
	zeroShotObjectDetection,
	type ZeroShotObjectDetectionInput
} from './zero-shot-object-detection';

const parse = linkParser(objectDetection);
const parseZeroShot = linkParser(zeroShotObjectDetection);

// Any number from 0 to 1 (never -0, which a link cannot tell from 0).
const threshold = fc.double({ min: 0, max: 1, noNaN: true }).map((x) => x + 0);
const imageParts = linkImages(DETECTION_SAMPLES, detectionSample);
const linkInputs: fc.Arbitrary<ObjectDetectionInput> = fc
	.tuple(imageParts, threshold)
	.map(([parts, t]) => ({ ...parts, threshold: t }));
// Labels as the form makes them: trimmed, no commas (links separate labels with them), unique.
const label = fc
	.string({ unit: 'grapheme', minLength: 1, maxLength: 30 })
	.map((text) => text.replaceAll(',', ' ').trim())
	.filter((text) => text !== '');
const zeroShotInputs: fc.Arbitrary<ZeroShotObjectDetectionInput> = fc
	.tuple(linkInputs, fc.uniqueArray(label, { minLength: 1, maxLength: 20 }))
	.map(([input, labels]) => ({ ...input, labels }));

/** The rectangles of a sample, as the boxes a detector should draw around them. */
function boxesOf(sample: DetectionSampleName): DetectionBox[] {
	return DETECTION_SAMPLES[sample].shapes.map((shape) => ({ ...shape.box }));
}

describe('object-detection share links', () => {
	it('round-trips every example, a built-in sample by its name', () => {
		for (const example of objectDetection.examples)
			expect(parse(objectDetection.serializeInput(example))).toEqual({ input: example, issues: [] });
		expect(objectDetection.serializeInput(objectDetection.examples[0]!)).toEqual({
			sample: 'shapes',
			threshold: '0.5'
		});
	});

	it('round-trips any input a link can carry, leaving the default threshold out', () => {
		fc.assert(
			fc.property(linkInputs, (input) => {
				expect(parse(objectDetection.serializeInput(input))).toEqual({ input, issues: [] });
			})
		);
		expect(
			objectDetection.serializeInput({ image: null, url: '', sample: '', threshold: DEFAULT_THRESHOLD })
		).toEqual({});
	});

	it('leaves the pixels of a file out of links', () => {
		const file = { image: solidImage([1, 2, 3]), url: '', sample: '' as const, threshold: 0.3 };
		expect(objectDetection.serializeInput(file)).toEqual({ threshold: '0.3' });
	});

	it('reports a bad image address, an unknown sample and a bad threshold by name', () => {
		for (const bad of ['javascript:alert(1)', 'data:image/png;base64,AAAA', 'not a url']) {
			const { input, issues } = parse({ image: bad });
			expect(input.url).toBe('');
			expect(issues.map((issue) => issue.param)).toEqual(['image']);
			expect(issues[0]!.message).toMatch(/^image must be/);
		}
		const unknown = parse({ sample: 'purple' });
		expect(unknown.input.image).toBeNull();
		expect(unknown.issues.map((issue) => issue.param)).toEqual(['sample']);
		expect(unknown.issues[0]!.message).toContain('shapes, red-left');
		for (const bad of ['1.5', '-0.1', 'high', '0x1', 'Infinity', 'NaN', ' 0.5']) {
			const { input, issues } = parse({ threshold: bad });
			expect(input.threshold).toBe(DEFAULT_THRESHOLD);
			expect(issues.map((issue) => issue.param)).toEqual(['threshold']);
			expect(issues[0]!.message).toMatch(/^threshold must be a number from 0 to 1/);
		}
		expect(parse({ threshold: '.25' })).toMatchObject({ input: { threshold: 0.25 }, issues: [] });
	});

	it('says why an input cannot run', () => {
		const base = { image: null, url: '', sample: '' as const, threshold: 0.5 };
		expect(objectDetection.whyNotRunnable(base)).toMatch(/image/);
		expect(objectDetection.whyNotRunnable({ ...base, url: 'https://example.org/a.png' })).toMatch(/Waiting/);
		const image = solidImage([1, 2, 3]);
		expect(objectDetection.whyNotRunnable({ ...base, image })).toBeNull();
		expect(objectDetection.whyNotRunnable({ ...base, image, threshold: 2 })).toMatch(/threshold/);
		expect(objectDetection.whyNotRunnable({ ...base, image, threshold: Number.NaN })).toMatch(/threshold/);
	});
});

describe('zero-shot-object-detection share links', () => {
	it('round-trips every example', () => {
		for (const example of zeroShotObjectDetection.examples)
			expect(parseZeroShot(zeroShotObjectDetection.serializeInput(example))).toEqual({
				input: example,
				issues: []
			});
		expect(zeroShotObjectDetection.serializeInput(zeroShotObjectDetection.examples[0]!)).toEqual({
			sample: 'shapes',
			labels: 'red square,bluish thing,cat'
		});
	});

	it('round-trips any input the form can make', () => {
		fc.assert(
			fc.property(zeroShotInputs, (input) => {
				expect(parseZeroShot(zeroShotObjectDetection.serializeInput(input))).toEqual({ input, issues: [] });
			})
		);
	});

	it('reads labels as the classifier does, and reports too many by name', () => {
		expect(parseZeroShot({ labels: ' cat , dog,,cat ' }).input.labels).toEqual(['cat', 'dog']);
		const many = parseZeroShot({ labels: Array.from({ length: 21 }, (_, i) => `l${i}`).join(',') });
		expect(many.input.labels).toEqual([]);
		expect(many.issues.map((issue) => issue.param)).toEqual(['labels']);
		expect(many.issues[0]!.message).toMatch(/^labels: .*at most 20/);
		expect(parseZeroShot({ threshold: '2' }).issues.map((issue) => issue.param)).toEqual(['threshold']);
		expect(parseZeroShot({}).input.threshold).toBe(DEFAULT_ZERO_SHOT_THRESHOLD);
	});

	it('says why an input cannot run', () => {
		const image = detectionSample('shapes');
		const base = { image, url: '', sample: 'shapes' as const, labels: ['cat'], threshold: 0.1 };
		expect(zeroShotObjectDetection.whyNotRunnable(base)).toBeNull();
		expect(zeroShotObjectDetection.whyNotRunnable({ ...base, labels: [] })).toMatch(/label/);
		expect(zeroShotObjectDetection.whyNotRunnable({ ...base, image: null })).toMatch(/image/);
	});
});

describe('detection output', () => {
	const image = solidImage([0, 0, 0], 10);

	it('turns fractions into whole pixels, best first, keeping the image', () => {
		const out = toDetectionOutput(
			[
				{ label: 'b', score: 0.2, box: { xmin: 0.1, ymin: 0.2, xmax: 0.49999, ymax: 1 } },
				{ label: 'a', score: 0.9, box: { xmin: 0, ymin: 0, xmax: 0.5, ymax: 0.5 } }
			],
			image,
			0.5
		);
		expect(out.detections).toEqual([
			{ label: 'a', score: 0.9, box: { xmin: 0, ymin: 0, xmax: 5, ymax: 5 } },
			{ label: 'b', score: 0.2, box: { xmin: 1, ymin: 2, xmax: 5, ymax: 10 } }
		]);
		expect([out.width, out.height, out.threshold, out.floor]).toEqual([10, 10, 0.5, KEEP_FLOOR]);
		expect(new Uint8ClampedArray(out.rgba)).toEqual(image.data);
		expect(JSON.parse(JSON.stringify(out))).toMatchObject({ rgba: {} });
	});

	it('keeps at most MAX_DETECTIONS and refuses what is not boxes', () => {
		const many = Array.from({ length: 150 }, (_, i) => ({
			label: 'x',
			score: i / 150,
			box: { xmin: 0, ymin: 0, xmax: 1, ymax: 1 }
		}));
		const out = toDetectionOutput(many, image, 0.01);
		expect(out.detections).toHaveLength(MAX_DETECTIONS);
		expect(out.detections[0]!.score).toBeCloseTo(149 / 150);
		expect(out.floor).toBe(0.01);
		expect(() => toDetectionOutput({ boxes: [] }, image, 0.5)).toThrow(/boxes/);
		expect(() => toDetectionOutput([{ label: 'x', score: 1, box: { xmin: 0 } }], image, 0.5)).toThrow(
			/boxes/
		);
	});
});

describe('detection run()', () => {
	const models = useTinyModels('browserve-object-detection-');
	const context = { signal: new AbortController().signal, emit: () => undefined, library: transformers };

	function summary(out: DetectionOutput) {
		return out.detections.map((d) => ({ label: d.label, score: Number(d.score.toFixed(3)), box: d.box }));
	}

	it('boxes each rectangle of a sample with its colour, keeping low scores for the slider', async () => {
		const pipe = await models.load('object-detection', objectDetection.defaultModels.bundled);
		const [red, green, blue] = boxesOf('shapes');
		const out = await objectDetection.run(pipe, objectDetection.examples[0]!, context);
		expect(summary(out)).toEqual([
			{ label: 'red', score: 0.952, box: red },
			{ label: 'green', score: 0.816, box: green },
			{ label: 'blue', score: 0.619, box: blue }
		]);
		expect([out.width, out.height, out.threshold, out.floor]).toEqual([96, 64, 0.5, KEEP_FLOOR]);
		expect(new Uint8ClampedArray(out.rgba)).toHaveLength(96 * 64 * 4);

		// At the default 0.9 only red would be drawn, but every box is kept for the slider.
		const strict = await objectDetection.run(
			pipe,
			{ ...objectDetection.examples[0]!, threshold: 0.9 },
			context
		);
		expect(strict.detections.map((d) => d.label)).toEqual(['red', 'green', 'blue']);

		const left = await objectDetection.run(pipe, objectDetection.examples[1]!, context);
		expect(summary(left)).toEqual([{ label: 'red', score: 0.952, box: boxesOf('red-left')[0] }]);
	});

	it('finds nothing in a blank image, and refuses to run without pixels', async () => {
		const pipe = await models.load('object-detection', objectDetection.defaultModels.bundled);
		const blank = { image: solidImage([250, 250, 250], 20), url: '', sample: '' as const, threshold: 0 };
		expect((await objectDetection.run(pipe, blank, context)).detections).toEqual([]);
		await expect(objectDetection.run(pipe, { ...blank, image: null }, context)).rejects.toThrow(
			/no decoded image/
		);
	});

	it('zero-shot: boxes the colours the labels name, and nothing for a label without one', async () => {
		const pipe = await models.load(
			'zero-shot-object-detection',
			zeroShotObjectDetection.defaultModels.bundled
		);
		const [red, , blue] = boxesOf('shapes');
		const out = await zeroShotObjectDetection.run(pipe, zeroShotObjectDetection.examples[0]!, context);
		expect(summary(out)).toEqual([
			{ label: 'red square', score: 0.982, box: red },
			{ label: 'bluish thing', score: 0.5, box: blue }
		]);
		const left = await zeroShotObjectDetection.run(pipe, zeroShotObjectDetection.examples[1]!, context);
		expect(summary(left)).toEqual([{ label: 'a crimson block', score: 0.982, box: boxesOf('red-left')[0] }]);
		const other = { ...zeroShotObjectDetection.examples[0]!, labels: ['navy', 'emerald'] };
		expect((await zeroShotObjectDetection.run(pipe, other, context)).detections.map((d) => d.label)).toEqual([
			'navy',
			'emerald'
		]);
	});
});

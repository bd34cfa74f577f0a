// Depth estimation: share-link parameters both ways (addresses and sample names, never pixels), bad values
// reported by name, the map shrinking and scaling, and run() against the generated tiny-depth in Node
// transformers.js, whose depth is brightness.

import fc from 'fast-check';
import * as transformers from '@huggingface/transformers';
import { describe, expect, it } from 'vitest';
import { useTinyModels } from './testing/tiny-models';
import { linkImages, linkParser } from './testing/image-links';
import { solidImage } from './image-classification';
import {
	DEPTH_SAMPLES,
	depthEstimation,
	depthSample,
	MAP_SIDE,
	shrinkMap,
	toBytes,
	type DepthEstimationInput,
	type DepthEstimationOutput
} from './depth-estimation';

const task = depthEstimation;

const parse = linkParser(task);

const linkInputs: fc.Arbitrary<DepthEstimationInput> = linkImages(DEPTH_SAMPLES, depthSample);

/** Mean of the map's columns [from, to) as fractions of its width. */
function columns(output: DepthEstimationOutput, from: number, to: number): number {
	let sum = 0;
	let count = 0;
	output.depth.forEach((value, i) => {
		const x = (i % output.mapWidth) / output.mapWidth;
		if (x >= from && x < to) {
			sum += value;
			count++;
		}
	});
	return sum / count;
}

describe('depth-estimation share links', () => {
	it('round-trips every example, a built-in sample by its name', () => {
		for (const example of task.examples)
			expect(parse(task.serializeInput(example))).toEqual({ input: example, issues: [] });
		expect(task.serializeInput(task.examples[0]!)).toEqual({ sample: 'left-right' });
	});

	it('round-trips any input a link can carry', () => {
		fc.assert(
			fc.property(linkInputs, (input) => {
				expect(parse(task.serializeInput(input))).toEqual({ input, issues: [] });
			})
		);
	});

	it('leaves the pixels of a file out of links', () => {
		expect(task.serializeInput({ image: solidImage([1, 2, 3]), url: '', sample: '' })).toEqual({});
	});

	it('reports a bad image address and an unknown sample by name', () => {
		for (const bad of ['javascript:alert(1)', 'data:image/png;base64,AAAA', 'not a url']) {
			const { input, issues } = parse({ image: bad });
			expect(input.url).toBe('');
			expect(issues.map((issue) => issue.param)).toEqual(['image']);
			expect(issues[0]!.message).toMatch(/^image must be/);
		}
		const unknown = parse({ sample: 'purple' });
		expect(unknown.input.image).toBeNull();
		expect(unknown.issues.map((issue) => issue.param)).toEqual(['sample']);
		expect(unknown.issues[0]!.message).toContain('left-right');
	});

	it('says why an input cannot run', () => {
		expect(task.whyNotRunnable({ image: null, url: '', sample: '' })).toMatch(/image/);
		expect(task.whyNotRunnable({ image: null, url: 'https://example.org/a.png', sample: '' })).toMatch(
			/Waiting/
		);
		expect(task.whyNotRunnable({ image: solidImage([1, 2, 3]), url: '', sample: '' })).toBeNull();
	});
});

describe('depth map shrinking', () => {
	it('averages boxes down to MAP_SIDE and never upscales', () => {
		expect(shrinkMap([1, 2, 3, 4], 2, 2)).toEqual({ width: 2, height: 2, data: Float64Array.of(1, 2, 3, 4) });
		expect(shrinkMap([1, 3, 5, 7], 4, 1, 2)).toEqual({ width: 2, height: 1, data: Float64Array.of(2, 6) });
		fc.assert(
			fc.property(fc.integer({ min: 1, max: 300 }), fc.integer({ min: 1, max: 300 }), (w, h) => {
				const shrunk = shrinkMap(new Float32Array(w * h).fill(5), w, h);
				expect(Math.max(shrunk.width, shrunk.height)).toBeLessThanOrEqual(Math.max(MAP_SIDE, 0));
				expect(shrunk.data.every((value) => value === 5)).toBe(true);
			})
		);
	});

	it('scales to 0–255, and a flat map to 0', () => {
		expect(toBytes([2, 3, 4], 2, 4)).toEqual([0, 128, 255]);
		expect(toBytes([7, 7], 7, 7)).toEqual([0, 0]);
	});
});

describe('depth-estimation run()', () => {
	const models = useTinyModels('browserve-depth-estimation-');
	const context = { signal: new AbortController().signal, emit: () => undefined, library: transformers };

	it('makes the bright side of a ramp the deep side, on a small map', async () => {
		const pipe = await models.load('depth-estimation', task.defaultModels.bundled);
		const ramp = await task.run(pipe, task.examples[0]!, context);
		expect([ramp.width, ramp.height, ramp.mapWidth, ramp.mapHeight]).toEqual([64, 48, 64, 48]);
		expect(ramp.depth).toHaveLength(64 * 48);
		expect(columns(ramp, 0.5, 1)).toBeGreaterThan(columns(ramp, 0, 0.5) + 100);
		expect(ramp.max).toBeGreaterThan(ramp.min);

		const big = await task.run(
			pipe,
			{ image: depthSample('top-bottom', 300, 200), url: '', sample: '' },
			context
		);
		expect([big.mapWidth, big.mapHeight]).toEqual([64, 43]);
		expect(big.depth.slice(-64).every((value, i) => value > big.depth[i]!)).toBe(true);

		// At the model's own size (no resizing, whose edges blur against black), a grey square is flat.
		const flat = await task.run(pipe, { image: solidImage([90, 90, 90], 32), url: '', sample: '' }, context);
		expect(flat.depth.every((value) => value === 0)).toBe(true);
	});

	it('refuses to run without pixels', async () => {
		const pipe = await models.load('depth-estimation', task.defaultModels.bundled);
		await expect(task.run(pipe, { image: null, url: '', sample: '' }, context)).rejects.toThrow(
			/no decoded image/
		);
	});
});

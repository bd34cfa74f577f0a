// Audio classification: share-link parameters both ways (audio addresses and sample names only, never samples),
// bad values reported by name, resampling, and run() on a tone and on silence against the generated tiny-sound
// in Node transformers.js.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ParamIssue } from './types';
import { useTinyModels } from './testing/tiny-models';
import {
	audioClassification,
	type AudioClassificationInput,
	DEFAULT_TOP_K,
	resampleLinear,
	sampleClip,
	SAMPLES,
	SAMPLING_RATE,
	type SampleName,
	toneClip
} from './audio-classification';

const task = audioClassification;

function parse(query: string | Record<string, string>): {
	input: AudioClassificationInput;
	issues: ParamIssue[];
} {
	const issues: ParamIssue[] = [];
	return { input: task.parseInput(new URLSearchParams(query), issues), issues };
}

const webUrl = fc.webUrl({ validSchemes: ['http', 'https'], withQueryParameters: true, withFragments: true });
const linkInputs = fc
	.oneof(
		fc.record({
			audio: fc.constant(null),
			url: fc.oneof(fc.constant(''), webUrl),
			sample: fc.constant('' as const)
		}),
		fc
			.constantFrom(...(Object.keys(SAMPLES) as SampleName[]))
			.map((sample) => ({ audio: sampleClip(sample), url: '', sample }))
	)
	.chain((clip) => fc.integer({ min: 0, max: 1000 }).map((topK) => ({ ...clip, topK })));

describe('audio-classification share links', () => {
	it('round-trips every example, a built-in sample by its name', () => {
		for (const example of task.examples)
			expect(parse(task.serializeInput(example))).toEqual({ input: example, issues: [] });
		expect(task.serializeInput(task.examples[0]!)).toEqual({ sample: 'tone' });
	});

	it('round-trips any input a link can carry', () => {
		fc.assert(
			fc.property(linkInputs, (input) => {
				expect(parse(task.serializeInput(input))).toEqual({ input, issues: [] });
			})
		);
	});

	it('leaves the samples of a file or recording out of links', () => {
		expect(task.serializeInput({ audio: toneClip(200, 0.3), url: '', sample: '', topK: 3 })).toEqual({
			top_k: '3'
		});
	});

	it('reports bad audio addresses, samples and top_k by name', () => {
		for (const bad of ['javascript:alert(1)', 'data:audio/wav;base64,AAAA', 'file:///etc/passwd', 'nope']) {
			const { input, issues } = parse({ audio: bad });
			expect(input.url).toBe('');
			expect(issues.map((issue) => issue.param)).toEqual(['audio']);
			expect(issues[0]!.message).toMatch(/^audio must be/);
		}
		const unknown = parse({ sample: 'birdsong' });
		expect(unknown.input.audio).toBeNull();
		expect(unknown.issues.map((issue) => issue.param)).toEqual(['sample']);
		for (const bad of ['-1', 'x', '1.5', '1001']) {
			const { input, issues } = parse({ top_k: bad });
			expect(input.topK).toBe(DEFAULT_TOP_K);
			expect(issues.map((issue) => issue.param)).toEqual(['top_k']);
		}
		const both = parse({ sample: 'tone', audio: 'https://example.org/a.wav' });
		expect(both.input).toMatchObject({ audio: null, sample: '', url: 'https://example.org/a.wav' });
	});

	it('says why an input cannot run', () => {
		expect(task.whyNotRunnable({ audio: null, url: '', sample: '', topK: 5 })).toMatch(/audio/);
		expect(
			task.whyNotRunnable({ audio: null, url: 'https://example.org/a.wav', sample: '', topK: 5 })
		).toMatch(/Waiting/);
		expect(task.whyNotRunnable({ audio: toneClip(440, 0.5), url: '', sample: '', topK: 5 })).toBeNull();
		expect(task.whyNotRunnable({ audio: toneClip(440, 0.5), url: '', sample: '', topK: -1 })).toMatch(
			/top_k/
		);
	});
});

describe('resampleLinear', () => {
	it('keeps the duration and the tone when it changes the rate', () => {
		const tone = toneClip(440, 0.5, 0.5);
		const up = resampleLinear(tone.data, SAMPLING_RATE, 44_100);
		expect(up.length).toBe(22_050);
		// Sample i at 44.1 kHz is the same instant as sample i·16000/44100 at 16 kHz.
		for (const i of [100, 5_000, 20_000])
			expect(up[i]!).toBeCloseTo(0.5 * Math.sin((2 * Math.PI * 440 * i) / 44_100), 1);
		expect(resampleLinear(tone.data, SAMPLING_RATE, SAMPLING_RATE)).toBe(tone.data);
	});

	it('gives round(n·to/from) samples that stay within the input range', () => {
		fc.assert(
			fc.property(
				fc.float32Array({
					minLength: 1,
					maxLength: 200,
					noNaN: true,
					noDefaultInfinity: true,
					min: -1,
					max: 1
				}),
				fc.constantFrom(8_000, 16_000, 22_050, 44_100, 48_000),
				fc.constantFrom(8_000, 16_000, 22_050, 44_100, 48_000),
				(data, from, to) => {
					const out = resampleLinear(data, from, to);
					expect(out.length).toBe(
						from === to ? data.length : Math.max(1, Math.round((data.length * to) / from))
					);
					const [low, high] = [Math.min(...data), Math.max(...data)];
					for (const sample of out) expect(sample >= low - 1e-6 && sample <= high + 1e-6).toBe(true);
				}
			)
		);
	});
});

describe('audio-classification run()', () => {
	const models = useTinyModels('browserve-audio-classification-');

	it('hears a tone as sound and silence as silence with the tiny model', async () => {
		const pipe = await models.load('audio-classification', task.defaultModels.bundled);
		const tone = await task.run(pipe, { audio: toneClip(440, 0.5), url: '', sample: '', topK: 0 });
		expect(tone.map((item) => item.label)).toEqual(['sound', 'silence']);
		expect(tone[0]!.score).toBeGreaterThan(0.99);
		const quiet = await task.run(pipe, { audio: toneClip(440, 0), url: '', sample: '', topK: 1 });
		expect(quiet.map((item) => item.label)).toEqual(['silence']);
		// A 44.1 kHz clip is resampled to the model's 16 kHz in the worker, and still heard.
		const fast = {
			samplingRate: 44_100,
			data: resampleLinear(toneClip(300, 0.4).data, SAMPLING_RATE, 44_100)
		};
		expect((await task.run(pipe, { audio: fast, url: '', sample: '', topK: 1 }))[0]!.label).toBe('sound');
		// The warm-up example works on the bundled model.
		expect((await task.run(pipe, task.examples[0]!))[0]!.label).toBe('sound');
	});

	it('refuses to run without samples', async () => {
		const pipe = await models.load('audio-classification', task.defaultModels.bundled);
		await expect(task.run(pipe, { audio: null, url: '', sample: '', topK: 5 })).rejects.toThrow(
			/no decoded audio/
		);
	});
});

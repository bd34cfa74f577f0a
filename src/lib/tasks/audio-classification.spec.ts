// Audio classification: share-link parameters both ways (audio addresses and sample names only, never samples),
// bad values reported by name, and run() on a tone and on silence against the generated tiny-sound
// in Node transformers.js.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { useTinyModels } from './testing/tiny-models';
import { linkParser } from './testing/image-links';
import { linkClips } from './testing/audio-links';
import { resampleLinear, SAMPLING_RATE, toneClip } from './audio-source';
import {
	audioClassification,
	type AudioClassificationInput,
	DEFAULT_TOP_K,
	sampleClip,
	SAMPLES
} from './audio-classification';

const task = audioClassification;

const parse = linkParser(task);

const linkInputs = linkClips(SAMPLES, sampleClip).chain((clip) =>
	fc.integer({ min: 0, max: 1000 }).map((topK): AudioClassificationInput => ({ ...clip, topK }))
);

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

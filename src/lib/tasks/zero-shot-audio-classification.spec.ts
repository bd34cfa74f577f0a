// Zero-shot audio classification: share-link parameters both ways (audio addresses and tone names only, never
// samples), bad values reported by name, and run() on low and high tones against the generated tiny-clap in
// Node transformers.js.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { useTinyModels } from './testing/tiny-models';
import { linkParser } from './testing/image-links';
import { linkClips } from './testing/audio-links';
import { resampleLinear, SAMPLING_RATE, toneClip } from './audio-source';
import { MAX_LABELS } from './candidate-labels';
import {
	DEFAULT_AUDIO_TEMPLATE,
	TONES,
	toneSample,
	zeroShotAudioClassification,
	type ZeroShotAudioClassificationInput
} from './zero-shot-audio-classification';

const task = zeroShotAudioClassification;

const parse = linkParser(task);

const label = fc
	.string({ minLength: 1, maxLength: 30 })
	.map((text) => text.replaceAll(',', ' ').trim())
	.filter((text) => text !== '');
const linkInputs = linkClips(TONES, toneSample).chain((clip) =>
	fc
		.record({
			labels: fc.uniqueArray(label, { maxLength: MAX_LABELS }),
			hypothesisTemplate: fc.oneof(
				fc.constant(DEFAULT_AUDIO_TEMPLATE),
				fc.string({ maxLength: 40 }).map((text) => `${text.trim()} {}`.trim())
			)
		})
		.map((rest) => ({ ...clip, ...rest }))
);

const input = (overrides: Partial<ZeroShotAudioClassificationInput>): ZeroShotAudioClassificationInput => ({
	audio: toneClip(220, 0.5),
	url: '',
	sample: '',
	labels: ['low', 'high'],
	hypothesisTemplate: DEFAULT_AUDIO_TEMPLATE,
	...overrides
});

describe('zero-shot-audio-classification share links', () => {
	it('round-trips every example, a built-in tone by its name', () => {
		for (const example of task.examples)
			expect(parse(task.serializeInput(example))).toEqual({ input: example, issues: [] });
		expect(task.serializeInput(task.examples[0]!)).toEqual({ sample: 'low', labels: 'low,high' });
	});

	it('round-trips any input a link can carry', () => {
		fc.assert(
			fc.property(linkInputs, (generated) => {
				expect(parse(task.serializeInput(generated))).toEqual({ input: generated, issues: [] });
			})
		);
	});

	it('reads labels as comma-separated, trimmed and each once', () => {
		expect(parse({ labels: ' dog, cat ,,dog, vacuum cleaner ' }).input.labels).toEqual([
			'dog',
			'cat',
			'vacuum cleaner'
		]);
	});

	it('reports bad audio addresses, samples, labels and templates by name', () => {
		for (const bad of ['javascript:alert(1)', 'data:audio/wav;base64,AAAA', 'nope']) {
			const { input: parsed, issues } = parse({ audio: bad, labels: 'a' });
			expect(parsed.url).toBe('');
			expect(issues.map((issue) => issue.param)).toEqual(['audio']);
			expect(issues[0]!.message).toMatch(/^audio must be/);
		}
		const unknown = parse({ sample: 'birdsong' });
		expect(unknown.input.audio).toBeNull();
		expect(unknown.issues.map((issue) => issue.param)).toEqual(['sample']);
		const many = parse({ labels: Array.from({ length: MAX_LABELS + 1 }, (_, i) => `l${i}`).join(',') });
		expect(many.input.labels).toEqual([]);
		expect(many.issues.map((issue) => issue.param)).toEqual(['labels']);
		expect(many.issues[0]!.message).toMatch(/^labels: There can be at most 20 labels/);
		const long = parse({ labels: 'x'.repeat(101) });
		expect(long.issues.map((issue) => issue.param)).toEqual(['labels']);
		const template = parse({ labels: 'a', template: 'no placeholder' });
		expect(template.input.hypothesisTemplate).toBe(DEFAULT_AUDIO_TEMPLATE);
		expect(template.issues.map((issue) => issue.param)).toEqual(['template']);
		expect(template.issues[0]!.message).toMatch(/^template must contain \{\}/);
		const both = parse({ sample: 'low', audio: 'https://example.org/a.wav' });
		expect(both.input).toMatchObject({ audio: null, sample: '', url: 'https://example.org/a.wav' });
	});

	it('says why an input cannot run', () => {
		expect(task.whyNotRunnable(input({ labels: [] }))).toMatch(/at least one label/);
		expect(task.whyNotRunnable(input({ hypothesisTemplate: 'nothing' }))).toMatch(/\{\}/);
		expect(task.whyNotRunnable(input({ audio: null }))).toMatch(/audio/);
		expect(task.whyNotRunnable(input({ audio: null, url: 'https://example.org/a.wav' }))).toMatch(/Waiting/);
		expect(task.whyNotRunnable(input({}))).toBeNull();
	});
});

describe('zero-shot-audio-classification run()', () => {
	const models = useTinyModels('browserve-zero-shot-audio-');

	it('hears a low tone as low and a high one as high with the tiny model', async () => {
		const pipe = await models.load('zero-shot-audio-classification', task.defaultModels.bundled);
		const low = await task.run(pipe, input({ labels: ['high', 'low', 'dog'] }));
		expect(low.map((item) => item.label)).toEqual(['low', 'dog', 'high']);
		expect(low[0]!.score).toBeGreaterThan(0.9);
		expect(low.reduce((sum, item) => sum + item.score, 0)).toBeCloseTo(1, 5);
		const high = await task.run(pipe, input({ audio: toneSample('high'), labels: ['bass', 'treble'] }));
		expect(high.map((item) => item.label)).toEqual(['treble', 'bass']);
		// A 44.1 kHz clip is resampled to the model's 16 kHz in the worker, and still heard.
		const fast = {
			samplingRate: 44_100,
			data: resampleLinear(toneClip(150, 0.4).data, SAMPLING_RATE, 44_100)
		};
		expect((await task.run(pipe, input({ audio: fast, labels: ['shrill', 'deep'] })))[0]!.label).toBe('deep');
		// Silence points nowhere: every label scores the same.
		const quiet = await task.run(pipe, input({ audio: toneClip(220, 0), labels: ['low', 'high'] }));
		for (const item of quiet) expect(item.score).toBeCloseTo(0.5, 5);
		// The warm-up example works on the bundled model.
		expect((await task.run(pipe, task.examples[0]!))[0]!.label).toBe('low');
	});

	it('refuses to run without samples', async () => {
		const pipe = await models.load('zero-shot-audio-classification', task.defaultModels.bundled);
		await expect(task.run(pipe, input({ audio: null }))).rejects.toThrow(/no decoded audio/);
	});
});

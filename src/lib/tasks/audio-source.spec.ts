// The shared audio source: a link's audio address and sample both ways, why there is no clip yet, clips made in
// code, resampling, and the check a clip passes before it goes to a model.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ParamIssue, PipelineCall } from './types';
import {
	audioSourceParams,
	modelSamplingRate,
	readAudioSource,
	resampleLinear,
	samplesAt,
	SAMPLING_RATE,
	toneClip,
	tonesClip,
	whyNoAudio
} from './audio-source';

const SAMPLES = { beep: 1_000, hum: 100 } as const;
const clipOf = (name: keyof typeof SAMPLES) => toneClip(SAMPLES[name], 0.5);

function read(query: Record<string, string>) {
	const issues: ParamIssue[] = [];
	return { source: readAudioSource(new URLSearchParams(query), SAMPLES, clipOf, issues), issues };
}

describe('audio source links', () => {
	it('reads an address or a sample, the address winning, and writes them back', () => {
		const beep = read({ sample: 'beep' });
		expect(beep).toEqual({ source: { audio: clipOf('beep'), url: '', sample: 'beep' }, issues: [] });
		expect(audioSourceParams(beep.source)).toEqual({ sample: 'beep' });
		const both = read({ sample: 'beep', audio: 'https://example.org/a.wav' });
		expect(both.source).toEqual({ audio: null, url: 'https://example.org/a.wav', sample: '' });
		expect(audioSourceParams(both.source)).toEqual({ audio: 'https://example.org/a.wav' });
		expect(audioSourceParams({ audio: toneClip(300, 0.2), url: '', sample: '' })).toEqual({});
	});

	it('reports a bad address and an unknown sample by name', () => {
		expect(read({ audio: 'file:///etc/passwd', sample: 'chirp' }).issues).toEqual([
			{ param: 'audio', message: 'audio must be an http:// or https:// address, not file:' },
			{ param: 'sample', message: 'sample must be one of beep, hum.' }
		]);
	});

	it('says what is missing until there is a clip', () => {
		expect(whyNoAudio({ audio: null, url: '', sample: '' })).toMatch(/^Choose an audio file/);
		expect(whyNoAudio({ audio: null, url: 'https://example.org/a.wav', sample: '' })).toMatch(/^Waiting/);
		expect(whyNoAudio({ audio: toneClip(300, 0.2), url: '', sample: '' })).toBeNull();
	});
});

describe('clips made in code', () => {
	it('puts tones one after another', () => {
		const clip = tonesClip([
			{ frequency: 200, amplitude: 0.5, seconds: 0.5 },
			{ frequency: 0, amplitude: 0, seconds: 0.25 }
		]);
		expect(clip.samplingRate).toBe(SAMPLING_RATE);
		expect(clip.data.length).toBe(12_000);
		expect(clip.data.subarray(0, 8_000)).toEqual(toneClip(200, 0.5, 0.5).data);
		expect(clip.data.subarray(8_000).every((sample) => sample === 0)).toBe(true);
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

describe('a clip for the model', () => {
	it('takes the rate from the feature extractor, else 16 kHz', () => {
		const pipe = (rate: unknown) =>
			Object.assign(async () => null, {
				processor: { feature_extractor: { config: { sampling_rate: rate } } }
			}) as PipelineCall;
		expect(modelSamplingRate(pipe(48_000))).toBe(48_000);
		expect(modelSamplingRate(pipe('fast'))).toBe(SAMPLING_RATE);
		expect(modelSamplingRate(Object.assign(async () => null, {}))).toBe(SAMPLING_RATE);
	});

	it('resamples a clip and refuses what is not one', () => {
		expect(samplesAt(toneClip(440, 0.5), 8_000, 'classify').length).toBe(8_000);
		for (const clip of [
			null,
			{ samplingRate: 16_000, data: new Float32Array(0) },
			{ samplingRate: 0, data: new Float32Array(4) }
		])
			expect(() => samplesAt(clip, 16_000, 'transcribe')).toThrow('There is no decoded audio to transcribe.');
	});
});

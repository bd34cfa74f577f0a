// Voice activity detection: share-link parameters both ways, bad values reported by name, speech segments from
// probabilities as a table, and run() with the real Silero VAD v5 (copied into the fixtures) in onnxruntime-web's
// Node build: the built-in voice-like sound is found between its silences, silence has no speech.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ParamIssue, RunContext } from './types';
import { useOnnxModels } from './testing/onnx-models';
import { SAMPLING_RATE } from './audio-classification';
import {
	DEFAULTS,
	VAD_SAMPLES,
	vadPipeline,
	vadSampleClip,
	voiceActivityDetection,
	type VadPipe,
	type VadSampleName,
	type VoiceActivityInput
} from './voice-activity-detection';
import { endThreshold, peakEnvelope, speechRanges, type SegmentRules } from './speech-segments';
import type { VoiceActivityPartial } from './voice-activity-live';

const task = voiceActivityDetection;

function parse(query: string | Record<string, string>): { input: VoiceActivityInput; issues: ParamIssue[] } {
	const issues: ParamIssue[] = [];
	return { input: task.parseInput(new URLSearchParams(query), issues), issues };
}

const webUrl = fc.webUrl({ validSchemes: ['http', 'https'], withQueryParameters: true, withFragments: true });
const ms = fc.integer({ min: 0, max: 10_000 });
const linkInputs = fc
	.oneof(
		fc.record({
			audio: fc.constant(null),
			url: fc.oneof(fc.constant(''), webUrl),
			sample: fc.constant('' as const)
		}),
		fc
			.constantFrom(...(Object.keys(VAD_SAMPLES) as VadSampleName[]))
			.map((sample) => ({ audio: vadSampleClip(sample), url: '', sample }))
	)
	.chain((clip) =>
		fc
			.record({
				threshold: fc.double({ min: 0.01, max: 0.99, noNaN: true }),
				minSpeechMs: ms,
				minSilenceMs: ms,
				padMs: ms
			})
			.map((rules) => ({ ...clip, ...rules, live: null }))
	);

describe('voice-activity-detection share links', () => {
	it('round-trips every example, a built-in sample by its name and defaults left out', () => {
		for (const example of task.examples)
			expect(parse(task.serializeInput(example))).toEqual({ input: example, issues: [] });
		expect(task.serializeInput(task.examples[0]!)).toEqual({ sample: 'voice' });
	});

	it('round-trips any input a link can carry', () => {
		fc.assert(
			fc.property(linkInputs, (input) => {
				expect(parse(task.serializeInput(input))).toEqual({ input, issues: [] });
			})
		);
	});

	it('reports bad addresses, samples, threshold and durations by name', () => {
		const { input, issues } = parse({ audio: 'javascript:alert(1)' });
		expect(input.url).toBe('');
		expect(issues.map((issue) => issue.param)).toEqual(['audio']);
		expect(parse({ sample: 'birdsong' }).issues.map((issue) => issue.param)).toEqual(['sample']);
		for (const bad of ['0', '1', '1.5', '-0.2', 'half', '0.5x']) {
			const parsed = parse({ threshold: bad });
			expect(parsed.input.threshold).toBe(DEFAULTS.threshold);
			expect(parsed.issues).toEqual([
				{ param: 'threshold', message: expect.stringMatching(/^threshold must/) }
			]);
		}
		for (const name of ['min_speech_ms', 'min_silence_ms', 'pad_ms']) {
			for (const bad of ['-1', '2.5', '10001', 'x']) {
				expect(parse({ [name]: bad }).issues.map((issue) => issue.param)).toEqual([name]);
			}
		}
	});

	it('says why a form cannot run', () => {
		const base = task.examples[0]!;
		expect(task.whyNotRunnable(base)).toBeNull();
		expect(task.whyNotRunnable({ ...base, threshold: 1 })).toMatch(/^threshold/);
		expect(task.whyNotRunnable({ ...base, padMs: -5 })).toMatch(/^pad_ms/);
		expect(task.whyNotRunnable({ ...base, audio: null, sample: '' })).toMatch(/Choose an audio file/);
	});
});

describe('speech segments from probabilities', () => {
	// Windows of 10 samples so the table reads easily: each character is one window's probability in tenths.
	const rules = (overrides: Partial<SegmentRules> = {}): SegmentRules => ({
		threshold: 0.5,
		minSpeechSamples: 20,
		minSilenceSamples: 20,
		padSamples: 0,
		windowSamples: 10,
		totalSamples: 200,
		...overrides
	});
	const probabilities = (text: string) => Array.from(text, (digit) => Number(digit) / 10);

	it.each([
		['no speech at all', '0000000000', {}, []],
		['one stretch', '0009999000', {}, [{ start: 30, end: 70 }]],
		['speech to the end of the clip', '000999', { totalSamples: 58 }, [{ start: 30, end: 58 }]],
		['a blip shorter than min speech is dropped', '0009000000', {}, []],
		['a short pause is bridged', '0099099000', {}, [{ start: 20, end: 70 }]],
		[
			'a long pause splits',
			'0990009900',
			{},
			[
				{ start: 10, end: 30 },
				{ start: 60, end: 80 }
			]
		],
		// 0.4 lies between the end threshold (0.35) and the threshold: speech goes on through it.
		['hysteresis keeps speech going', '0994444990000', {}, [{ start: 10, end: 90 }]],
		['padding widens into silence', '0000990000', { padSamples: 15 }, [{ start: 25, end: 75 }]],
		[
			'padding never overlaps a neighbour',
			'0990009900',
			{ padSamples: 50 },
			[
				{ start: 0, end: 45 },
				{ start: 45, end: 130 }
			]
		],
		[
			'padding stops at the clip’s ends',
			'9900',
			{ padSamples: 50, totalSamples: 40 },
			[{ start: 0, end: 40 }]
		]
	] as const)('%s', (_, text, overrides, expected) => {
		expect(speechRanges(probabilities(text), rules(overrides))).toEqual(expected);
	});

	it('ends speech below the threshold less 0.15, but never at or below 0', () => {
		expect(endThreshold(0.5)).toBeCloseTo(0.35);
		expect(endThreshold(0.1)).toBe(0.01);
	});

	it('never returns segments that overlap, run backwards or leave the clip', () => {
		fc.assert(
			fc.property(
				fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 60 }),
				fc.record({ threshold: fc.double({ min: 0.05, max: 0.95, noNaN: true }), pad: fc.nat(40) }),
				(values, { threshold, pad }) => {
					const total = values.length * 10;
					const found = speechRanges(values, rules({ threshold, padSamples: pad, totalSamples: total }));
					let last = 0;
					for (const range of found) {
						expect(range.start).toBeGreaterThanOrEqual(last);
						expect(range.end).toBeGreaterThan(range.start);
						expect(range.end).toBeLessThanOrEqual(total);
						last = range.end;
					}
				}
			)
		);
	});

	it('summarises a waveform as peaks', () => {
		expect(peakEnvelope(Float32Array.from([0, -0.5, 0.25, 0.1]), 2)).toEqual([0.5, 0.25]);
		expect(peakEnvelope(Float32Array.from([0.3]), 8)).toEqual([expect.closeTo(0.3)]);
		expect(peakEnvelope(new Float32Array(0), 8)).toEqual([]);
	});
});

describe('voice-activity-detection with Silero VAD v5', () => {
	const models = useOnnxModels('browserve-vad-');
	const context: RunContext<VoiceActivityPartial> = {
		signal: new AbortController().signal,
		emit: () => undefined,
		library: {} as RunContext<VoiceActivityPartial>['library']
	};
	let pipe: VadPipe;

	it('finds the built-in voice between its silences', async () => {
		pipe = await models.load('snakers4/silero-vad', vadPipeline);
		const output = await task.run(pipe, task.examples[0]!, context);
		expect(output.duration).toBe(4);
		expect(output.segments).toHaveLength(1);
		const [segment] = output.segments;
		// The sound runs from 1 s to 3 s; Silero's windows are 32 ms, and padding adds 30 ms.
		expect(segment!.start).toBeGreaterThan(0.85);
		expect(segment!.start).toBeLessThan(1.15);
		expect(segment!.end).toBeGreaterThan(2.85);
		expect(segment!.end).toBeLessThan(3.2);
		expect(output.probabilities).toHaveLength(125);
		expect(output.windowSeconds).toBe(0.032);
		expect(output.envelope).toHaveLength(800);
	});

	it('hears no speech in silence, and resamples other rates', async () => {
		const silence = await task.run(pipe, task.examples[1]!, context);
		expect(silence.segments).toEqual([]);
		expect(Math.max(...silence.probabilities)).toBeLessThan(0.2);
		const clip = vadSampleClip('voice');
		// The same clip at 8 kHz (every other sample) comes out at the same place.
		const halved = { samplingRate: SAMPLING_RATE / 2, data: clip.data.filter((_, i) => i % 2 === 0) };
		const output = await task.run(pipe, { ...task.examples[0]!, audio: halved, sample: '' }, context);
		expect(output.duration).toBe(4);
		expect(output.segments).toHaveLength(1);
	});

	it('stops between windows once cancelled', async () => {
		const controller = new AbortController();
		controller.abort(new Error('Cancelled.'));
		await expect(
			task.run(pipe, task.examples[0]!, { ...context, signal: controller.signal })
		).rejects.toThrow('Cancelled.');
	});
});

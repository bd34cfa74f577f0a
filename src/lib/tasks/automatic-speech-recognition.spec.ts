// Automatic speech recognition: share-link parameters both ways (addresses and sample names, never samples),
// bad values reported by name, the window plan, SubRip output, and run() against the generated tiny-whisper in
// Node transformers.js: exact transcripts of short clips, Whisper's language and task, and a 70 s clip run as
// three windows with progress between them, merged in order and stoppable at a window boundary.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RunContext } from './types';
import * as transformers from '@huggingface/transformers';
import { useTinyModels } from './testing/tiny-models';
import { linkParser } from './testing/image-links';
import { linkClips } from './testing/audio-links';
import { resampleLinear, SAMPLING_RATE } from './audio-source';
import {
	automaticSpeechRecognition,
	DEFAULT_CHUNK_SECONDS,
	DEFAULT_STRIDE_SECONDS,
	formatTimestamp,
	planWindows,
	sampleClip,
	SAMPLES,
	type SpeechRecognitionInput,
	type SpeechRecognitionPartial,
	toSrt
} from './automatic-speech-recognition';

const task = automaticSpeechRecognition;

const parse = linkParser(task);

/**
 * An input with its clip summarised (rate, length, sum of squares): the 70 s sample has over a million samples,
 * which a deep comparison walks far too slowly for a property test.
 */
function summarised(value: SpeechRecognitionInput) {
	const { audio, ...rest } = value;
	const energy = audio ? audio.data.reduce((sum, x) => sum + x * x, 0) : 0;
	return { ...rest, audio: audio && { samplingRate: audio.samplingRate, length: audio.data.length, energy } };
}

function roundTrip(value: SpeechRecognitionInput) {
	const parsed = parse(task.serializeInput(value));
	return { input: summarised(parsed.input), issues: parsed.issues };
}

function input(fields: Partial<SpeechRecognitionInput>): SpeechRecognitionInput {
	return {
		audio: null,
		url: '',
		sample: '',
		language: '',
		task: '',
		timestamps: false,
		chunkLength: DEFAULT_CHUNK_SECONDS,
		stride: DEFAULT_STRIDE_SECONDS,
		...fields
	};
}

const linkInputs = fc
	.record({
		clip: linkClips(SAMPLES, sampleClip),
		language: fc.constantFrom('', 'en', 'fr', 'de', 'french', 'haitian creole'),
		task: fc.constantFrom('' as const, 'transcribe' as const, 'translate' as const),
		timestamps: fc.boolean(),
		chunkLength: fc.integer({ min: 1, max: 30 })
	})
	.chain(({ clip, chunkLength, ...rest }) =>
		fc
			.integer({ min: 0, max: Math.ceil(chunkLength / 2) - 1 })
			.map((stride) => ({ ...clip, ...rest, chunkLength, stride }))
	);

describe('automatic-speech-recognition share links', () => {
	it('round-trips every example, a built-in sample by its name', () => {
		for (const example of task.examples)
			expect(roundTrip(example)).toEqual({ input: summarised(example), issues: [] });
		expect(task.serializeInput(task.examples[0]!)).toEqual({ sample: 'high' });
		expect(task.serializeInput(task.examples[1]!)).toEqual({ sample: 'bursts', timestamps: '1' });
	});

	it('round-trips any input a link can carry', () => {
		fc.assert(
			fc.property(linkInputs, (value) => {
				expect(roundTrip(value)).toEqual({ input: summarised(value), issues: [] });
			})
		);
	});

	it('leaves the samples of a file or recording out of links', () => {
		const clip = { samplingRate: SAMPLING_RATE, data: new Float32Array(100) };
		expect(task.serializeInput(input({ audio: clip, language: 'fr' }))).toEqual({ language: 'fr' });
	});

	it('reports bad values by name', () => {
		const cases: [Record<string, string>, string][] = [
			[{ audio: 'javascript:alert(1)' }, 'audio'],
			[{ sample: 'birdsong' }, 'sample'],
			[{ language: 'fr-FR!' }, 'language'],
			[{ task: 'summarize' }, 'task'],
			[{ timestamps: 'maybe' }, 'timestamps'],
			[{ chunk_length_s: '31' }, 'chunk_length_s'],
			[{ chunk_length_s: '0' }, 'chunk_length_s'],
			[{ stride_length_s: '-1' }, 'stride_length_s'],
			[{ chunk_length_s: '10', stride_length_s: '5' }, 'stride_length_s']
		];
		for (const [query, param] of cases) {
			const { input: parsed, issues } = parse(query);
			expect(
				issues.map((issue) => issue.param),
				JSON.stringify(query)
			).toEqual([param]);
			expect(issues[0]!.message).toContain(param);
			expect(task.whyNotRunnable({ ...parsed, audio: sampleClip('high') })).toBeNull();
		}
	});

	it('says why an input cannot run', () => {
		expect(task.whyNotRunnable(input({}))).toMatch(/audio/);
		expect(task.whyNotRunnable(input({ url: 'https://example.org/a.wav' }))).toMatch(/Waiting/);
		expect(task.whyNotRunnable(input({ audio: sampleClip('high') }))).toBeNull();
		expect(task.whyNotRunnable(input({ audio: sampleClip('high'), stride: 15 }))).toMatch(/stride_length_s/);
		expect(task.whyNotRunnable(input({ audio: sampleClip('high'), language: '??' }))).toMatch(/language/);
	});
});

describe('planWindows', () => {
	it('cuts 70 s into the pipeline’s three 30 s windows, the overlaps split in the middle', () => {
		const rate = SAMPLING_RATE;
		expect(planWindows(70 * rate, 30 * rate, 5 * rate)).toEqual([
			{ start: 0, end: 30 * rate, keepFrom: 0, keepTo: 25 * rate },
			{ start: 20 * rate, end: 50 * rate, keepFrom: 25 * rate, keepTo: 45 * rate },
			{ start: 40 * rate, end: 70 * rate, keepFrom: 45 * rate, keepTo: Infinity }
		]);
		expect(planWindows(10, 30, 5)).toEqual([{ start: 0, end: 10, keepFrom: 0, keepTo: Infinity }]);
	});

	it('covers every sample, and keeps each exactly once', () => {
		fc.assert(
			fc.property(
				fc.integer({ min: 1, max: 5000 }),
				fc.integer({ min: 1, max: 300 }),
				fc.integer({ min: 0, max: 149 }),
				(length, chunk, stride) => {
					fc.pre(2 * stride < chunk);
					const windows = planWindows(length, chunk, stride);
					expect(windows[0]!.start).toBe(0);
					expect(windows.at(-1)!.end).toBe(length);
					windows.forEach((w, i) => {
						expect(w.end - w.start).toBeLessThanOrEqual(chunk);
						const next = windows[i + 1];
						if (next) {
							expect(next.start).toBeLessThanOrEqual(w.end);
							expect(next.keepFrom).toBe(w.keepTo);
						}
					});
				}
			)
		);
	});
});

describe('transcript formats', () => {
	it('shows times as m:ss.ss and writes SubRip', () => {
		expect(formatTimestamp(2)).toBe('0:02.00');
		expect(formatTimestamp(65.2)).toBe('1:05.20');
		expect(
			toSrt([
				{ timestamp: [2, 3.5], text: 'high' },
				{ timestamp: [3725.25, 3726], text: 'low' }
			])
		).toBe('1\n00:00:02,000 --> 00:00:03,500\nhigh\n\n2\n01:02:05,250 --> 01:02:06,000\nlow\n');
	});
});

function context(onPartial?: (partial: SpeechRecognitionPartial, signal: AbortController) => void) {
	const controller = new AbortController();
	const partials: SpeechRecognitionPartial[] = [];
	const ctx: RunContext<SpeechRecognitionPartial> = {
		signal: controller.signal,
		emit: (partial) => {
			partials.push(partial);
			onPartial?.(partial, controller);
		},
		library: transformers
	};
	return { ctx, partials };
}

describe('automatic-speech-recognition run()', () => {
	const models = useTinyModels('browserve-asr-');

	it('transcribes short clips exactly with the tiny Whisper', async () => {
		const pipe = await models.load('automatic-speech-recognition', task.defaultModels.bundled);
		const run = (fields: Partial<SpeechRecognitionInput>) => task.run(pipe, input(fields), context().ctx);
		expect(await run({ audio: sampleClip('high') })).toEqual({ text: 'high', stopped: false });
		expect(await run({ audio: sampleClip('low') })).toEqual({ text: 'low', stopped: false });
		expect(await run({ audio: sampleClip('silence'), timestamps: true })).toEqual({
			text: '',
			chunks: [],
			stopped: false
		});
		expect(await run({ audio: sampleClip('bursts'), timestamps: true })).toEqual({
			text: 'high low',
			chunks: [
				{ timestamp: [2, 3.5], text: 'high' },
				{ timestamp: [4.5, 5.5], text: 'low' }
			],
			stopped: false
		});
		// Whisper's language and task: French words, German words, and German translated to English.
		expect((await run({ audio: sampleClip('bursts'), language: 'fr' })).text).toBe('aigu grave');
		expect((await run({ audio: sampleClip('bursts'), language: 'german' })).text).toBe('hoch tief');
		expect((await run({ audio: sampleClip('bursts'), language: 'de', task: 'translate' })).text).toBe(
			'high low'
		);
		// A 44.1 kHz clip is resampled to the model's 16 kHz in the worker.
		const fast = {
			samplingRate: 44_100,
			data: resampleLinear(sampleClip('bursts').data, SAMPLING_RATE, 44_100)
		};
		expect((await run({ audio: fast, timestamps: true })).chunks).toEqual([
			{ timestamp: [2, 3.5], text: 'high' },
			{ timestamp: [4.5, 5.5], text: 'low' }
		]);
		// The warm-up example works on the bundled model.
		expect((await task.run(pipe, task.examples[0]!, context().ctx)).text).toBe('high');
	});

	it('refuses languages the model does not know, and audio it does not have', async () => {
		const pipe = await models.load('automatic-speech-recognition', task.defaultModels.bundled);
		await expect(
			task.run(pipe, input({ audio: sampleClip('high'), language: 'ja' }), context().ctx)
		).rejects.toThrow(/does not know the language “ja”: use one of en, fr, de/);
		await expect(task.run(pipe, input({}), context().ctx)).rejects.toThrow(/no decoded audio/);
	});

	it('runs a 70 s clip as three windows, reporting progress, merged in order', async () => {
		const pipe = await models.load('automatic-speech-recognition', task.defaultModels.bundled);
		const { ctx, partials } = context();
		const output = await task.run(pipe, input({ audio: sampleClip('long'), timestamps: true }), ctx);
		expect(output).toEqual({
			text: 'high low high low',
			chunks: [
				{ timestamp: [10, 12], text: 'high' },
				// 22-24 s lies in the overlap of the first two windows: only the first keeps it.
				{ timestamp: [22, 24], text: 'low' },
				{ timestamp: [35, 37], text: 'high' },
				{ timestamp: [60, 62], text: 'low' }
			],
			stopped: false
		});
		expect(partials.map((p) => [p.chunksDone, p.chunksTotal, p.text])).toEqual([
			[0, 3, ''],
			[1, 3, 'high low'],
			[2, 3, 'high low high'],
			[3, 3, 'high low high low']
		]);
		// Without timestamps the text is the same (the windows are still merged by time).
		const plain = await task.run(pipe, input({ audio: sampleClip('long') }), context().ctx);
		expect(plain).toEqual({ text: 'high low high low', stopped: false });
	});

	it('stops at a window boundary when cancelled, with the transcript so far', async () => {
		const pipe = await models.load('automatic-speech-recognition', task.defaultModels.bundled);
		const { ctx, partials } = context((partial, controller) => {
			if (partial.chunksDone === 1) controller.abort();
		});
		const output = await task.run(pipe, input({ audio: sampleClip('long'), timestamps: true }), ctx);
		expect(output).toEqual({
			text: 'high low',
			chunks: [
				{ timestamp: [10, 12], text: 'high' },
				{ timestamp: [22, 24], text: 'low' }
			],
			stopped: true
		});
		expect(partials.at(-1)?.chunksDone).toBe(1);
	});
});

// Text to speech: share-link parameters both ways, bad values reported by name, the output's summary, and
// run() against the generated tiny-voice in Node transformers.js, whose waveform is known sample by sample.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ParamIssue } from './types';
import { useTinyModels } from './testing/tiny-models';
import {
	MAX_SPEECH_TEXT,
	speechOutput,
	textToAudio,
	textToSpeech,
	type TextToSpeechInput
} from './text-to-speech';

const task = textToSpeech;

function parse(query: string | Record<string, string>): { input: TextToSpeechInput; issues: ParamIssue[] } {
	const issues: ParamIssue[] = [];
	return { input: task.parseInput(new URLSearchParams(query), issues), issues };
}

const webUrl = fc.webUrl({ validSchemes: ['http', 'https'], withQueryParameters: true, withFragments: true });
const linkInputs = fc.record({
	text: fc.string({ maxLength: MAX_SPEECH_TEXT }),
	speakerEmbeddings: fc.oneof(fc.constant(''), webUrl)
});

describe('text-to-speech share links', () => {
	it('round-trips every example', () => {
		for (const example of task.examples)
			expect(parse(task.serializeInput(example))).toEqual({ input: example, issues: [] });
		expect(task.serializeInput(task.examples[0]!)).toEqual({ text: 'Hello world' });
	});

	it('round-trips any input a link can carry', () => {
		fc.assert(
			fc.property(linkInputs, (input) => {
				expect(parse(task.serializeInput(input))).toEqual({ input, issues: [] });
			})
		);
	});

	it('reports bad speaker embeddings addresses and overlong text by name', () => {
		for (const bad of ['javascript:alert(1)', 'data:application/octet-stream;base64,AAAA', 'voice.bin']) {
			const { input, issues } = parse({ text: 'hi', speaker_embeddings: bad });
			expect(input).toEqual({ text: 'hi', speakerEmbeddings: '' });
			expect(issues.map((issue) => issue.param)).toEqual(['speaker_embeddings']);
			expect(issues[0]!.message).toMatch(/^speaker_embeddings must be/);
		}
		const long = parse({ text: 'a'.repeat(MAX_SPEECH_TEXT + 1) });
		expect(long.input.text).toBe('');
		expect(long.issues.map((issue) => issue.param)).toEqual(['text']);
		expect(long.issues[0]!.message).toMatch(/1,001 characters long; the limit for speech is 1,000/);
	});

	it('says why an input cannot run', () => {
		expect(task.whyNotRunnable({ text: '  ', speakerEmbeddings: '' })).toMatch(/Type some text/);
		expect(task.whyNotRunnable({ text: 'x'.repeat(MAX_SPEECH_TEXT + 1), speakerEmbeddings: '' })).toMatch(
			/limit is 1,000/
		);
		expect(task.whyNotRunnable({ text: 'hi', speakerEmbeddings: 'ftp://example.org/v.bin' })).toMatch(
			/speaker embeddings address/
		);
		expect(task.whyNotRunnable({ text: 'hi', speakerEmbeddings: '' })).toBeNull();
	});

	it('text-to-audio is the same form on its own page', () => {
		expect(textToAudio.id).toBe('text-to-audio');
		expect(textToAudio.pipeline).toBe('text-to-audio');
		expect(textToAudio.params).toEqual(task.params);
		expect(textToAudio.examples).toBe(task.examples);
	});
});

describe('speechOutput', () => {
	it('summarises the samples and carries them in a buffer of their own', () => {
		const shared = new Float32Array([9, 0.25, -0.5, 0.125, 9]);
		const out = speechOutput(shared.subarray(1, 4), 8_000);
		expect(out).toMatchObject({ samplingRate: 8_000, samples: 3, seconds: 3 / 8_000, peak: 0.5 });
		expect([...new Float32Array(out.audio)]).toEqual([0.25, -0.5, 0.125]);
		// The summary is what the result JSON shows; the samples (an ArrayBuffer) show as {}.
		expect(JSON.parse(JSON.stringify(out))).toEqual({
			samplingRate: 8_000,
			samples: 3,
			seconds: 3 / 8_000,
			peak: 0.5,
			audio: {}
		});
	});
});

describe('text-to-speech run()', () => {
	const models = useTinyModels('browserve-text-to-speech-');
	const RATE = 16_000;
	const PER_CHARACTER = 1_600;
	/** tiny-voice's pitch for a letter: a = 120 Hz, up by 36 Hz a letter. */
	const pitch = (letter: string) => 120 + 36 * (letter.charCodeAt(0) - 97);

	it('speaks each character as its tone with the tiny model', async () => {
		const pipe = await models.load('text-to-speech', task.defaultModels.bundled);
		const out = await task.run(pipe, { text: 'Hi z', speakerEmbeddings: '' });
		expect(out).toMatchObject({ samplingRate: RATE, samples: 4 * PER_CHARACTER, seconds: 0.4 });
		expect(out.peak).toBeCloseTo(0.5, 3);
		const samples = new Float32Array(out.audio);
		expect(samples).toHaveLength(4 * PER_CHARACTER);
		const expected = (character: string, n: number) =>
			character === ' ' ? 0 : 0.5 * Math.sin((2 * Math.PI * pitch(character) * n) / RATE);
		[...'hi z'].forEach((character, i) => {
			for (const n of [0, 1, 7, 33, 800, PER_CHARACTER - 1])
				expect(samples[i * PER_CHARACTER + n], `${character} sample ${n}`).toBeCloseTo(
					expected(character, n),
					4
				);
		});
		// A voice address is passed on but VITS needs none: the bundled model ignores it.
		const voiced = await task.run(pipe, { text: 'Hi z', speakerEmbeddings: 'https://example.org/v.bin' });
		expect(voiced.samples).toBe(4 * PER_CHARACTER);
		// The warm-up example works on the bundled model.
		expect((await task.run(pipe, task.examples[0]!)).samples).toBe(11 * PER_CHARACTER);
	});

	it('runs as text-to-audio too', async () => {
		const pipe = await models.load('text-to-audio', textToAudio.defaultModels.bundled);
		const out = await textToAudio.run(pipe, { text: '...', speakerEmbeddings: '' });
		expect(out).toMatchObject({ samplingRate: RATE, samples: 3 * PER_CHARACTER, peak: 0 });
	});

	it('refuses raw output that is not audio', async () => {
		const fake = Object.assign(async () => ({ audio: [1, 2], sampling_rate: 16_000 }), {});
		await expect(task.run(fake, { text: 'hi', speakerEmbeddings: '' })).rejects.toThrow(/audio samples/);
	});
});

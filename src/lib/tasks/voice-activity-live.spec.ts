// Live voice activity detection: the streaming resampler gives resampleLinear's samples for any split; with the
// real Silero VAD v5 in onnxruntime-web's Node build, a clip fed in pieces of any sizes (a table, then
// fast-check) gives the very windows, probabilities and segments of the whole clip at once, partial results show
// speech as it starts and once its pause has passed; and a session over a real MessagePort ends on Stop, cancel,
// its time limit or a quiet page, with its Silero state dropped and the page told why.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { useOnnxModels } from './testing/onnx-models';
import { resampleLinear, SAMPLING_RATE } from './audio-classification';
import {
	DEFAULTS,
	vadPipeline,
	vadSampleClip,
	voiceActivityDetection,
	voicedSound,
	type VadPipe,
	type VoiceActivityInput
} from './voice-activity-detection';
import {
	LiveVadSession,
	listenLive,
	StreamResampler,
	whyNotLive,
	type LiveAudioMessage,
	type LiveStatusMessage,
	type VoiceActivityPartial
} from './voice-activity-live';
import type { RunContext } from './types';

/** Pieces of `data` cut at the given sizes (cycled), the last one whatever is left. */
function pieces(data: Float32Array, sizes: readonly number[]): Float32Array[] {
	const out: Float32Array[] = [];
	for (let at = 0, k = 0; at < data.length; k++) {
		const size = sizes[k % sizes.length]!;
		out.push(data.slice(at, at + size));
		at += size;
	}
	return out;
}

function concat(parts: readonly Float32Array[]): Float32Array {
	const out = new Float32Array(parts.reduce((sum, part) => sum + part.length, 0));
	let at = 0;
	for (const part of parts) {
		out.set(part, at);
		at += part.length;
	}
	return out;
}

function noise(length: number, seed: number): Float32Array {
	const out = new Float32Array(length);
	let state = seed;
	for (let i = 0; i < length; i++) {
		state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
		out[i] = state / 2 ** 30 - 1;
	}
	return out;
}

describe('StreamResampler', () => {
	it.each([
		[48_000, [4800]],
		[48_000, [1, 2, 3, 500]],
		[44_100, [128, 4410, 7]],
		[22_050, [1000]],
		[8_000, [3, 800]],
		[16_000, [333]]
	])('gives resampleLinear’s samples for %i Hz in pieces of %j', (rate, sizes) => {
		const data = noise(rate, rate);
		const resampler = new StreamResampler(rate, SAMPLING_RATE);
		const streamed = concat([
			...pieces(data, sizes).map((piece) => resampler.push(piece)),
			resampler.finish()
		]);
		expect(streamed).toEqual(resampleLinear(data, rate, SAMPLING_RATE));
	});

	it('does so for any rate, length and split', () => {
		fc.assert(
			fc.property(
				fc.integer({ min: 3000, max: 96_000 }),
				fc.integer({ min: 1, max: 3000 }),
				fc.array(fc.integer({ min: 1, max: 700 }), { minLength: 1, maxLength: 6 }),
				(rate, length, sizes) => {
					const data = noise(length, length);
					const resampler = new StreamResampler(rate, SAMPLING_RATE);
					const streamed = concat([
						...pieces(data, sizes).map((piece) => resampler.push(piece)),
						resampler.finish()
					]);
					expect(streamed).toEqual(resampleLinear(data, rate, SAMPLING_RATE));
				}
			)
		);
	});
});

describe('live voice activity detection with Silero VAD v5', () => {
	const models = useOnnxModels('browserve-vad-live-');
	const settings = { ...DEFAULTS };
	const quiet = new AbortController().signal;
	const fileContext: RunContext<VoiceActivityPartial> = {
		signal: quiet,
		emit: () => undefined,
		library: {} as RunContext<VoiceActivityPartial>['library']
	};
	let pipe: VadPipe;

	/** 0.4 s of silence, 1.2 s of the voice-like sound, 0.5 s of silence: 66 windows, quick to score. */
	const short = new Float32Array(Math.round(2.1 * SAMPLING_RATE));
	short.set(voicedSound(1.2), Math.round(0.4 * SAMPLING_RATE));

	const fileInput = (data: Float32Array, samplingRate = SAMPLING_RATE): VoiceActivityInput => ({
		...voiceActivityDetection.examples[0]!,
		audio: { samplingRate, data: data.slice() },
		sample: ''
	});

	async function streamed(data: Float32Array, sizes: readonly number[], rate = SAMPLING_RATE) {
		const stream = pipe.open();
		const session = new LiveVadSession(stream, settings, rate, 300);
		for (const piece of pieces(data, sizes)) await session.push(piece, quiet);
		const output = await session.finish(quiet);
		stream.close();
		return output;
	}

	it.each([
		['the whole clip in one piece', [64_000]],
		['exactly one window at a time', [512]],
		['pieces smaller than a window', [100]],
		['pieces just off a window', [511, 513]],
		['a worklet’s 128 frames', [128]],
		['uneven pieces', [1, 4000, 37, 900]]
	])('%s gives the whole clip’s windows, probabilities and segments', async (_, sizes) => {
		pipe ??= await models.load('snakers4/silero-vad', vadPipeline);
		const clip = vadSampleClip('voice').data;
		const whole = await voiceActivityDetection.run(pipe, fileInput(clip), fileContext);
		const live = await streamed(clip, sizes);
		expect(live.probabilities).toHaveLength(125);
		expect(live.probabilities).toEqual(whole.probabilities);
		expect(live.segments).toEqual(whole.segments);
		expect(live.segments).toHaveLength(1);
		expect(live.duration).toBe(whole.duration);
		expect(pipe.openStreams).toBe(0);
	});

	it('a 48 kHz microphone in 100 ms pieces gives what the same clip gives as a file', async () => {
		const clip = resampleLinear(short, SAMPLING_RATE, 48_000);
		const whole = await voiceActivityDetection.run(pipe, fileInput(clip, 48_000), fileContext);
		const live = await streamed(clip, [4800], 48_000);
		expect(live.probabilities).toEqual(whole.probabilities);
		expect(live.segments).toEqual(whole.segments);
		expect(live.segments).toHaveLength(1);
	});

	it('any split of a clip gives the whole clip’s probabilities and segments', async () => {
		const whole = await voiceActivityDetection.run(pipe, fileInput(short), fileContext);
		await fc.assert(
			fc.asyncProperty(
				fc.array(fc.integer({ min: 1, max: 6000 }), { minLength: 1, maxLength: 8 }),
				async (sizes) => {
					const live = await streamed(short, sizes);
					expect(live.probabilities).toEqual(whole.probabilities);
					expect(live.segments).toEqual(whole.segments);
				}
			),
			{ numRuns: 12 }
		);
	});

	it('shows speech as it starts, and as a segment once its pause has passed', async () => {
		const clip = vadSampleClip('voice').data;
		const whole = await voiceActivityDetection.run(pipe, fileInput(clip), fileContext);
		const stream = pipe.open();
		const session = new LiveVadSession(stream, settings, SAMPLING_RATE, 300);
		const seen: VoiceActivityPartial[] = [];
		for (const piece of pieces(clip, [1600])) {
			await session.push(piece, quiet);
			seen.push(session.partial());
		}
		stream.close();
		const at = (seconds: number) => seen[Math.round(seconds * 10) - 1]!;
		// Silence first; speech (1 s to 3 s) shows as going on within a window or two of its start.
		expect(at(0.8)).toMatchObject({ heard: 0.8, segments: [], speakingSince: null });
		expect(at(1.2).speakingSince).toBe(whole.segments[0]!.start);
		expect(at(2.9)).toMatchObject({ segments: [], speakingSince: whole.segments[0]!.start });
		// 100 ms of silence after the end (min_silence_ms) later, it is a segment, padded as the final one.
		expect(at(3.3)).toMatchObject({ segments: whole.segments, speakingSince: null });
		// The trace holds the last ten seconds (here all of them): a probability and a peak per window.
		const last = seen.at(-1)!;
		expect(last.trace.from).toBe(0);
		expect(last.trace.probabilities).toEqual(whole.probabilities);
		expect(last.trace.peaks).toHaveLength(125);
		expect(Math.max(...last.trace.peaks)).toBeCloseTo(0.5, 2);
		expect(last).toMatchObject({ limitSeconds: 300, windowSeconds: 0.032, heard: 4 });
	});

	it('keeps only the last ten seconds of trace', async () => {
		const stream = pipe.open();
		const session = new LiveVadSession(stream, settings, SAMPLING_RATE, 300);
		await session.push(new Float32Array(12 * SAMPLING_RATE), quiet);
		stream.close();
		const { trace, heard } = session.partial();
		expect(heard).toBe(12);
		expect(trace.probabilities).toHaveLength(313);
		expect(trace.peaks).toHaveLength(313);
		expect(trace.from).toBeCloseTo(12 - 313 * 0.032, 3);
	});
});

describe('a live session over a message port', () => {
	const models = useOnnxModels('browserve-vad-port-');
	let pipe: VadPipe;
	const settings = { ...DEFAULTS };

	interface Session {
		send(message: LiveAudioMessage): void;
		/** What the run told the page, once it has ended. */
		told: Promise<LiveStatusMessage[]>;
		partials: VoiceActivityPartial[];
		run: ReturnType<typeof listenLive>;
	}

	function open(options: { signal?: AbortSignal; limitSeconds?: number; idleMs?: number } = {}): Session {
		const { port1, port2 } = new MessageChannel();
		const partials: VoiceActivityPartial[] = [];
		const told = new Promise<LiveStatusMessage[]>((resolve) => {
			const messages: LiveStatusMessage[] = [];
			port1.onmessage = (event: MessageEvent<LiveStatusMessage>) => {
				messages.push(event.data);
				if (event.data.kind !== 'ended') return;
				resolve(messages);
				port1.close();
			};
		});
		const run = listenLive(
			pipe,
			settings,
			{ port: port2, samplingRate: SAMPLING_RATE, limitSeconds: options.limitSeconds ?? 60 },
			{ signal: options.signal ?? new AbortController().signal, emit: (partial) => partials.push(partial) },
			options.idleMs
		);
		const send = (message: LiveAudioMessage) =>
			port1.postMessage(
				message,
				message.kind === 'audio' && message.samples.buffer ? [message.samples.buffer] : []
			);
		return { send, told, partials, run };
	}

	it('ends on Stop with the whole clip’s output, a partial per piece, and its state dropped', async () => {
		pipe = await models.load('snakers4/silero-vad', vadPipeline);
		const clip = vadSampleClip('voice').data;
		const whole = await pipe.probabilities(clip, new AbortController().signal);
		const session = open();
		// Pieces sent before the run reads them wait on the port, as they do while the model loads.
		for (const piece of pieces(clip, [16_000])) session.send({ kind: 'audio', samples: piece });
		session.send({ kind: 'stop' });
		const output = await session.run;
		expect(await session.told).toEqual([{ kind: 'listening' }, { kind: 'ended', reason: 'stopped' }]);
		expect(output.probabilities).toEqual(Array.from(whole, (p) => Math.round(p * 1000) / 1000));
		expect(output.segments).toHaveLength(1);
		expect(output.duration).toBe(4);
		expect(session.partials.length).toBeGreaterThan(0);
		expect(session.partials.at(-1)!.heard).toBe(4);
		expect(pipe.openStreams).toBe(0);
	});

	it('ends at its time limit, keeping exactly that much audio', async () => {
		const session = open({ limitSeconds: 1 });
		for (const piece of pieces(vadSampleClip('voice').data, [8000]))
			session.send({ kind: 'audio', samples: piece });
		const output = await session.run;
		expect(await session.told).toEqual([{ kind: 'listening' }, { kind: 'ended', reason: 'limit' }]);
		expect(output.duration).toBe(1);
		expect(output.probabilities).toHaveLength(32);
		expect(pipe.openStreams).toBe(0);
	});

	it('a cancelled session keeps what it heard', async () => {
		const controller = new AbortController();
		const session = open({ signal: controller.signal });
		session.send({ kind: 'audio', samples: new Float32Array(SAMPLING_RATE) });
		await expect.poll(() => session.partials.length).toBe(1);
		controller.abort(new Error('Cancelled.'));
		const output = await session.run;
		expect(await session.told).toEqual([{ kind: 'listening' }, { kind: 'ended', reason: 'cancelled' }]);
		expect(output.duration).toBe(1);
		expect(pipe.openStreams).toBe(0);
	});

	it('ends when the page sends nothing for a while', async () => {
		const session = open({ idleMs: 50 });
		const output = await session.run;
		expect(await session.told).toEqual([{ kind: 'listening' }, { kind: 'ended', reason: 'idle' }]);
		expect(output).toMatchObject({ duration: 0, segments: [], probabilities: [] });
		expect(pipe.openStreams).toBe(0);
	});

	it('refuses pieces that are not Float32Array, and still drops its state', async () => {
		const session = open();
		session.send({ kind: 'audio', samples: [0.1, 0.2] as unknown as Float32Array });
		await expect(session.run).rejects.toThrow('Float32Array');
		expect(await session.told).toEqual([{ kind: 'listening' }, { kind: 'ended', reason: 'failed' }]);
		expect(pipe.openStreams).toBe(0);
	});

	it('runs as the task’s run() when the input carries a live port, which a link never does', async () => {
		const { port1, port2 } = new MessageChannel();
		const input: VoiceActivityInput = {
			...voiceActivityDetection.examples[0]!,
			audio: null,
			sample: '',
			live: { port: port2, samplingRate: 48_000, limitSeconds: 30 }
		};
		expect(voiceActivityDetection.whyNotRunnable(input)).toBeNull();
		expect(voiceActivityDetection.serializeInput(input)).toEqual({});
		port1.postMessage({ kind: 'audio', samples: new Float32Array(48_000) } satisfies LiveAudioMessage);
		port1.postMessage({ kind: 'stop' } satisfies LiveAudioMessage);
		const output = await voiceActivityDetection.run(pipe, input, {
			signal: new AbortController().signal,
			emit: () => undefined,
			library: {} as RunContext<VoiceActivityPartial>['library']
		});
		port1.close();
		expect(output).toMatchObject({ duration: 1, segments: [] });
	});

	it('says why live settings cannot run', () => {
		const { port1, port2 } = new MessageChannel();
		const live = { port: port2, samplingRate: 48_000, limitSeconds: 30 };
		expect(whyNotLive(live)).toBeNull();
		expect(whyNotLive({ ...live, samplingRate: 0 })).toMatch(/sampling rate/);
		expect(whyNotLive({ ...live, limitSeconds: 301 })).toMatch(/300 seconds/);
		expect(whyNotLive({ ...live, port: {} as MessagePort })).toMatch(/message port/);
		port1.close();
		port2.close();
	});
});

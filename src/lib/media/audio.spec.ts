// The Node-testable parts of audio intake: duration limits, the level meter's RMS, the player's WAV encoding,
// cut-short WAV files, the microphone messages, and the recording's time limit (with stand-ins for the
// browser's microphone, recorder and audio graph, and fake timers).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { toneClip } from '$lib/tasks/audio-source';
import {
	encodeWav,
	formatSeconds,
	MAX_RECORDING_SECONDS,
	MAX_SECONDS,
	MicrophoneRecording,
	microphoneProblem,
	rootMeanSquare,
	whyNotDuration,
	whyNotWav
} from './audio';

describe('audio intake helpers', () => {
	it('refuses clips with no samples or longer than the limit', () => {
		expect(whyNotDuration(0)).toMatch(/no samples/);
		expect(whyNotDuration(Number.NaN)).toMatch(/no samples/);
		expect(whyNotDuration(12)).toBeNull();
		expect(whyNotDuration(MAX_SECONDS + 1)).toBe('The audio is 10:01 long; the limit is 10:00.');
		expect(formatSeconds(4.25)).toBe('4.3 s');
	});

	it('measures a full-scale sine at about 0.707 and silence at 0', () => {
		expect(rootMeanSquare(toneClip(1000, 1).data)).toBeCloseTo(Math.SQRT1_2, 3);
		expect(rootMeanSquare(new Float32Array(10))).toBe(0);
		expect(rootMeanSquare(new Float32Array(0))).toBe(0);
	});

	it('encodes a 16-bit mono WAV the samples can be read back from', () => {
		const clip = { samplingRate: 16_000, data: Float32Array.from([0, 0.5, -1, 2]) };
		const bytes = encodeWav(clip);
		const view = new DataView(bytes.buffer);
		expect(new TextDecoder().decode(bytes.subarray(0, 4))).toBe('RIFF');
		expect(new TextDecoder().decode(bytes.subarray(8, 16))).toBe('WAVEfmt ');
		expect(view.getUint32(24, true)).toBe(16_000);
		expect(view.getUint32(40, true)).toBe(8);
		expect([0, 1, 2, 3].map((i) => view.getInt16(44 + i * 2, true))).toEqual([0, 16384, -32767, 32767]);
	});

	it('names why the microphone could not open', () => {
		expect(microphoneProblem(new DOMException('denied', 'NotAllowedError'))).toMatch(/not allowed/);
		expect(microphoneProblem(new DOMException('none', 'NotFoundError'))).toMatch(/No microphone/);
		expect(microphoneProblem(new Error('odd'))).toMatch(/odd/);
	});
});

describe('cut-short WAV files', () => {
	const second = encodeWav({ samplingRate: 16_000, data: new Float32Array(16_000) });

	it('passes whole files, files missing a few bytes, and files that are not WAV', () => {
		expect(whyNotWav(second)).toBeNull();
		expect(whyNotWav(second.subarray(0, second.length - 100))).toBeNull();
		expect(whyNotWav(new TextEncoder().encode('just some text'))).toBeNull();
	});

	it('names how much of the promised audio a truncated file holds', () => {
		expect(whyNotWav(second.subarray(0, 44 + 16_000))).toBe(
			'the file is cut short: its header promises 1.0 s of audio but holds only 0.5 s.'
		);
		expect(whyNotWav(second.subarray(0, 54))).toMatch(/promises 1\.0 s .* holds only 0\.0 s/);
	});

	it('lets recorders that could not write the length (0 or the largest size) through', () => {
		for (const unknown of [0, 0xffffffff]) {
			const streamed = second.slice(0, 1000);
			new DataView(streamed.buffer).setUint32(40, unknown, true);
			expect(whyNotWav(streamed)).toBeNull();
		}
	});
});

/** Stand-ins for what a recording touches in the browser, recording what was stopped. */
function fakeBrowser() {
	const tracks = [{ stopped: false, stop: () => (tracks[0]!.stopped = true) }];
	const stream = { getTracks: () => tracks };
	class FakeRecorder {
		state: 'inactive' | 'recording' = 'inactive';
		mimeType = 'audio/webm';
		ondataavailable: ((event: { data: Blob }) => void) | null = null;
		onstop: (() => void) | null = null;
		start() {
			this.state = 'recording';
		}
		stop() {
			this.state = 'inactive';
			this.ondataavailable?.({ data: new Blob(['sound']) });
			this.onstop?.();
		}
	}
	class FakeAudioContext {
		closed = false;
		createAnalyser() {
			return { fftSize: 0, getFloatTimeDomainData: (block: Float32Array) => block.fill(0.25) };
		}
		createMediaStreamSource() {
			return { connect: () => undefined };
		}
		async close() {
			this.closed = true;
		}
	}
	vi.stubGlobal('navigator', { mediaDevices: { getUserMedia: async () => stream } });
	vi.stubGlobal('MediaRecorder', FakeRecorder);
	vi.stubGlobal('AudioContext', FakeAudioContext);
	vi.stubGlobal('requestAnimationFrame', () => 1);
	vi.stubGlobal('cancelAnimationFrame', () => undefined);
	return { tracks };
}

describe('microphone recording', () => {
	afterEach(() => {
		vi.useRealTimers();
		vi.unstubAllGlobals();
	});

	it('stops by itself at the time limit, says so, and turns the microphone off', async () => {
		vi.useFakeTimers();
		const { tracks } = fakeBrowser();
		const levels: number[] = [];
		const recording = await MicrophoneRecording.start((level) => levels.push(level));
		expect(recording.limitSeconds).toBe(MAX_RECORDING_SECONDS);
		expect(levels[0]).toBeCloseTo(0.25);
		let finished = false;
		void recording.done.then(() => (finished = true));
		await vi.advanceTimersByTimeAsync(MAX_RECORDING_SECONDS * 1000 - 1);
		expect(finished).toBe(false);
		expect(tracks[0]!.stopped).toBe(false);
		await vi.advanceTimersByTimeAsync(1);
		expect(finished).toBe(true);
		expect(recording.reachedLimit).toBe(true);
		expect(tracks[0]!.stopped).toBe(true);
		expect(await (await recording.done).text()).toBe('sound');
	});

	it('takes a shorter limit, and a stop before it is not the limit', async () => {
		vi.useFakeTimers();
		const { tracks } = fakeBrowser();
		const short = await MicrophoneRecording.start(() => undefined, 2);
		await vi.advanceTimersByTimeAsync(2000);
		expect(short.reachedLimit).toBe(true);
		const early = await MicrophoneRecording.start(() => undefined);
		early.stop();
		await early.done;
		expect(early.reachedLimit).toBe(false);
		expect(tracks[0]!.stopped).toBe(true);
	});

	it('says why when the microphone is refused', async () => {
		fakeBrowser();
		vi.stubGlobal('navigator', {
			mediaDevices: { getUserMedia: () => Promise.reject(new DOMException('denied', 'NotAllowedError')) }
		});
		await expect(MicrophoneRecording.start(() => undefined)).rejects.toThrow(/microphone was not allowed/);
	});
});

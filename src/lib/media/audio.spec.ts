// The Node-testable parts of audio intake: duration limits, the level meter's RMS, the player's
// WAV encoding and the microphone messages.
import { describe, expect, it } from 'vitest';
import { toneClip } from '$lib/tasks/audio-classification';
import {
	encodeWav,
	formatSeconds,
	MAX_SECONDS,
	microphoneProblem,
	rootMeanSquare,
	whyNotDuration
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

// What a /bench result means: the sentences follow the figures (threads, WebGPU, speech, the store), a
// software adapter is never presented as a speed, and the transcription figure scales with the measurement and
// is always marked as an estimate.

import { describe, expect, it } from 'vitest';
import { estimateTranscriptionMs, meanings, REFERENCE, WHISPER_TINY_GFLOP } from './estimate';
import type { BenchReport } from './report';
import { SAMPLE } from './sample-report';

function withVad(msPerClip: number): BenchReport {
	return {
		...SAMPLE,
		measurements: SAMPLE.measurements.map((m) => (m.id === 'vad-wasm-1' ? { ...m, median: msPerClip } : m))
	};
}

describe('estimateTranscriptionMs', () => {
	it('is the reference machine’s figure when this device runs Silero as fast as the reference', () => {
		const reference = (WHISPER_TINY_GFLOP / REFERENCE.gflopsOneThread) * 1000;
		expect(estimateTranscriptionMs(REFERENCE.vadMsPerAudioSecondOneThread)).toBeCloseTo(reference, 6);
	});

	it('doubles on a device that runs Silero half as fast', () => {
		const base = estimateTranscriptionMs(REFERENCE.vadMsPerAudioSecondOneThread);
		expect(estimateTranscriptionMs(2 * REFERENCE.vadMsPerAudioSecondOneThread)).toBeCloseTo(2 * base, 6);
	});
});

describe('meanings', () => {
	it('says how much the threads helped', () => {
		const threads = meanings(SAMPLE).find((m) => m.id === 'threads');
		expect(threads?.text).toContain('all 8 threads');
		expect(threads?.text).toContain('1.5×');
		expect(threads?.estimate).toBe(false);
	});

	it('does not quote a software adapter’s speed', () => {
		const webgpu = meanings(SAMPLE).find((m) => m.id === 'webgpu');
		expect(webgpu?.text).toContain('software adapter');
		expect(webgpu?.text).not.toMatch(/\d×/);
	});

	it('quotes a real GPU’s speed against WASM', () => {
		const real = {
			...SAMPLE,
			device: { ...SAMPLE.device, webgpu: { vendor: 'nvidia', architecture: 'ada', software: false } }
		};
		// WASM with all threads took 1 ms, WebGPU 9 ms: the GPU ran 0.1× as fast.
		expect(meanings(real).find((m) => m.id === 'webgpu')?.text).toContain('0.1× as fast');
	});

	it('marks the transcription figure as an estimate and scales it with the measurement', () => {
		const fast = meanings(withVad(100)).find((m) => m.id === 'transcription');
		const slow = meanings(withVad(400)).find((m) => m.id === 'transcription');
		expect(fast?.estimate).toBe(true);
		expect(fast?.text).toContain('estimate, not a measurement');
		const seconds = (text = '') => Number(/about ([\d.]+) s/.exec(text)?.[1]);
		expect(seconds(slow?.text) / seconds(fast?.text)).toBeCloseTo(4, 0);
	});

	it('says speech was found faster than real time', () => {
		// 190 ms for 10 s of audio: about 53× real time.
		expect(meanings(SAMPLE).find((m) => m.id === 'speech')?.text).toMatch(
			/took 0\.2 s: 53× faster than real time/
		);
	});

	it('says there is no WebGPU where the browser has none', () => {
		const none = {
			...SAMPLE,
			device: { ...SAMPLE.device, webgpu: null },
			measurements: SAMPLE.measurements.filter((m) => m.id !== 'text-webgpu')
		};
		expect(meanings(none).find((m) => m.id === 'webgpu')?.text).toContain('no WebGPU');
	});
});

// What a /bench result means for a user, in sentences: how much threads and WebGPU help, how fast speech is
// found in audio, and an estimate of a 10 s transcription with Whisper tiny. The estimate is scaled from the
// measurement against a reference machine and says so; nothing here pretends to be a measured transcription.

import type { BenchReport, Measurement, MeasurementId } from './report';

/**
 * The reference machine the estimate is scaled from: the 2-core VM of bench/README.md, where `npm run bench`
 * measured onnxruntime-web at 38 GFLOP/s on one thread (a chain of 1024 × 1024 MatMuls), and Silero VAD through
 * the app at about 19 ms per second of audio (the runtime suite's Silero row, 2026-11-27, on a busy machine;
 * refresh both from the next full run).
 */
export const REFERENCE = {
	gflopsOneThread: 38,
	vadMsPerAudioSecondOneThread: 19
} as const;

/**
 * Whisper tiny's work for one clip of up to 30 s: its encoder always sees 30 s (about 37 GFLOP), and decoding
 * some 35 tokens of a 10 s sentence adds about 3.
 */
export const WHISPER_TINY_GFLOP = 40;

export interface Meaning {
	id: 'threads' | 'webgpu' | 'speech' | 'transcription' | 'store';
	text: string;
	/** True where the sentence is an estimate rather than a measurement. */
	estimate: boolean;
}

function find(report: BenchReport, id: MeasurementId): Measurement | undefined {
	return report.measurements.find((measurement) => measurement.id === id);
}

const times = (value: number): string => `${value >= 10 ? value.toFixed(0) : value.toFixed(1)}×`;
const seconds = (ms: number): string => `${ms >= 10_000 ? (ms / 1000).toFixed(0) : (ms / 1000).toFixed(1)} s`;

/** Seconds of compute per second of audio for Silero VAD, from a measurement over `audioSeconds`. */
function perAudioSecond(measurement: Measurement, audioSeconds: number): number {
	return measurement.median / audioSeconds;
}

/** Whisper tiny on a 10 s clip, one thread, in ms: the reference's throughput scaled by how Silero ran here. */
export function estimateTranscriptionMs(vadMsPerAudioSecond: number): number {
	const gflops = REFERENCE.gflopsOneThread * (REFERENCE.vadMsPerAudioSecondOneThread / vadMsPerAudioSecond);
	return (WHISPER_TINY_GFLOP / gflops) * 1000;
}

export function meanings(report: BenchReport): Meaning[] {
	const out: Meaning[] = [];
	const one = find(report, 'text-wasm-1');
	const all = find(report, 'text-wasm-all');
	if (one && all && all.median > 0) {
		out.push({
			id: 'threads',
			estimate: false,
			text: report.device.crossOriginIsolated
				? `With all ${all.threads} threads the text model ran ${times(one.median / all.median)} as fast as on one ` +
					'(small models gain little from threads; large ones gain up to the number of cores).'
				: 'This page is not cross-origin isolated, so WASM runs on one thread only.'
		});
	}
	const gpu = find(report, 'text-webgpu');
	if (gpu && all && gpu.median > 0) {
		out.push({
			id: 'webgpu',
			estimate: false,
			text: report.device.webgpu?.software
				? 'WebGPU here is a software adapter (no real GPU): it is far slower than WASM and the app does not use ' +
					'it unless asked; its figure is not a speed figure.'
				: `On WebGPU the text model ran ${times(all.median / gpu.median)} as fast as on WASM with all threads ` +
					'(tiny models favour WASM; large ones favour the GPU).'
		});
	} else if (!report.device.webgpu) {
		out.push({
			id: 'webgpu',
			estimate: false,
			text: 'This browser has no WebGPU: models run on WASM (the CPU).'
		});
	}
	const vadOne = find(report, 'vad-wasm-1');
	const vadAll = find(report, 'vad-wasm-all');
	const vad = vadAll ?? vadOne;
	if (vad && vad.median > 0) {
		const perSecond = perAudioSecond(vad, report.audioSeconds);
		out.push({
			id: 'speech',
			estimate: false,
			text:
				`Finding speech in ${report.audioSeconds} s of audio (Silero VAD) took ${seconds(vad.median)}: ` +
				`${times(1000 / perSecond)} faster than real time.`
		});
	}
	if (vadOne && vadOne.median > 0) {
		const ms = estimateTranscriptionMs(perAudioSecond(vadOne, report.audioSeconds));
		out.push({
			id: 'transcription',
			estimate: true,
			text:
				`A 10 s transcription with Whisper tiny on WASM would take about ${seconds(ms)} on one thread here ` +
				'(more threads cut it by up to the number of cores). This is an estimate, not a measurement: it scales ' +
				`our reference machine's speed (${REFERENCE.gflopsOneThread} GFLOP/s on one thread) by how fast this device ` +
				`ran Silero VAD, for Whisper tiny's ~${WHISPER_TINY_GFLOP} GFLOP per clip; expect it to be off by up to 2×.`
		});
	}
	const write = find(report, 'store-write');
	const read = find(report, 'store-read');
	if (write && read && read.median > 0) {
		const loadMs = (100 / read.median) * 1000;
		out.push({
			id: 'store',
			estimate: true,
			text:
				`The model store (${report.storeBackend.toUpperCase()}) wrote ${Math.round(write.median)} MB/s and read ` +
				`${Math.round(read.median)} MB/s: reading a 100 MB model back takes about ${seconds(loadMs)} before ` +
				'ONNX Runtime builds its session.'
		});
	}
	return out;
}

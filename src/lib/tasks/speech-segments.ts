// Voice activity detection's pure half: from a speech probability per window to speech segments in seconds,
// the way Silero's own get_speech_timestamps does it (hysteresis between a start and an end threshold, short
// pauses bridged, short blips dropped, segments padded), window by window so that live audio and a whole clip
// go through the same steps, and the waveform summary the page draws.

import { SAMPLING_RATE } from './audio-classification';
import type { VoiceActivityInput, VoiceActivityOutput } from './voice-activity-detection';

/** Silero v5 at 16 kHz scores 512 new samples at a time. */
export const WINDOW_SAMPLES = 512;
const ENVELOPE_BUCKETS = 800;

/** The person's settings the segments follow. */
export type SpeechSettings = Pick<VoiceActivityInput, 'threshold' | 'minSpeechMs' | 'minSilenceMs' | 'padMs'>;

export interface SegmentRules {
	/** A window at or above this starts (or continues) speech. */
	threshold: number;
	/** Speech shorter than this is dropped. */
	minSpeechSamples: number;
	/** Silence shorter than this inside speech does not end it. */
	minSilenceSamples: number;
	/** Each segment is widened by this much on both sides (without overlapping its neighbours). */
	padSamples: number;
	/** Samples per probability. */
	windowSamples: number;
	/** The clip's length, which the last segment may not pass. */
	totalSamples: number;
}

/** A stretch of speech, in samples: [start, end). */
export interface SampleRange {
	start: number;
	end: number;
}

/** Below this a window counts as silence; between it and the threshold speech keeps its state (hysteresis). */
export function endThreshold(threshold: number): number {
	return Math.max(threshold - 0.15, 0.01);
}

/** The rules the tracker needs: everything but the padding and the clip's length, which only the end knows. */
export type TrackingRules = Pick<
	SegmentRules,
	'threshold' | 'minSpeechSamples' | 'minSilenceSamples' | 'windowSamples'
>;

/**
 * Follows speech one window at a time, as probabilities come in (live from a microphone, or a whole clip's in
 * a loop): speech starts at the first window at or above the threshold, and ends once a pause has lasted the
 * shortest silence. Ranges here are unpadded; padding needs the neighbours and the clip's end (padRanges).
 */
export class SpeechTracker {
	readonly #rules: TrackingRules;
	readonly #low: number;
	#windows = 0;
	#start = -1;
	// Where the current pause began, or -1 while there is none.
	#pause = -1;
	/** Speech that has ended and was long enough, in order. */
	readonly found: SampleRange[] = [];

	constructor(rules: TrackingRules) {
		this.#rules = rules;
		this.#low = endThreshold(rules.threshold);
	}

	/** Where the speech going on now began (in samples), or null when there is none. */
	get onset(): number | null {
		return this.#start < 0 ? null : this.#start;
	}

	/** Takes the next window's probability. */
	push(probability: number): void {
		const { threshold, minSilenceSamples, windowSamples } = this.#rules;
		const at = this.#windows++ * windowSamples;
		if (probability >= threshold) {
			if (this.#start < 0) this.#start = at;
			this.#pause = -1;
		} else if (this.#start >= 0 && probability < this.#low) {
			if (this.#pause < 0) this.#pause = at;
			if (at + windowSamples - this.#pause >= minSilenceSamples) this.#close(this.#pause);
		}
	}

	#close(end: number): void {
		if (end - this.#start >= this.#rules.minSpeechSamples) this.found.push({ start: this.#start, end });
		this.#start = -1;
		this.#pause = -1;
	}

	/** Ends speech still going on at the end of a clip of totalSamples; returns every range found. */
	finish(totalSamples: number): SampleRange[] {
		if (this.#start >= 0) {
			this.#close(
				this.#pause >= 0 ? this.#pause : Math.min(totalSamples, this.#windows * this.#rules.windowSamples)
			);
		}
		return this.found;
	}
}

/** Widens each range by padSamples into the silence around it, never past half of the gap to a neighbour. */
export function padRanges(
	found: readonly SampleRange[],
	padSamples: number,
	totalSamples: number
): SampleRange[] {
	return found.map((range, i) => {
		const before = found[i - 1];
		const after = found[i + 1];
		const left = before ? Math.min(padSamples, Math.floor((range.start - before.end) / 2)) : padSamples;
		const right = after ? Math.min(padSamples, Math.floor((after.start - range.end) / 2)) : padSamples;
		return { start: Math.max(0, range.start - left), end: Math.min(totalSamples, range.end + right) };
	});
}

/** Speech segments from per-window probabilities. */
export function speechRanges(probabilities: ArrayLike<number>, rules: SegmentRules): SampleRange[] {
	const tracker = new SpeechTracker(rules);
	for (let i = 0; i < probabilities.length; i++) tracker.push(probabilities[i] ?? 0);
	return padRanges(tracker.finish(rules.totalSamples), rules.padSamples, rules.totalSamples);
}

/** Peak amplitude in each of `buckets` equal slices of a clip (fewer for a short clip), for drawing. */
export function peakEnvelope(samples: Float32Array, buckets: number): number[] {
	const count = Math.max(0, Math.min(buckets, samples.length));
	const peaks: number[] = [];
	for (let b = 0; b < count; b++) {
		const from = Math.floor((b * samples.length) / count);
		const to = Math.floor(((b + 1) * samples.length) / count);
		let peak = 0;
		for (let i = from; i < to; i++) peak = Math.max(peak, Math.abs(samples[i] ?? 0));
		peaks.push(peak);
	}
	return peaks;
}

/** Rounds for JSON that a person reads (probabilities and seconds do not need 17 digits). */
export function round(value: number, digits: number): number {
	const scale = 10 ** digits;
	return Math.round(value * scale) / scale;
}

/** The settings as rules in 16 kHz samples, for a clip of totalSamples. */
export function segmentRules(settings: SpeechSettings, totalSamples: number): SegmentRules {
	const perMs = SAMPLING_RATE / 1000;
	return {
		threshold: settings.threshold,
		minSpeechSamples: settings.minSpeechMs * perMs,
		minSilenceSamples: settings.minSilenceMs * perMs,
		padSamples: settings.padMs * perMs,
		windowSamples: WINDOW_SAMPLES,
		totalSamples
	};
}

/** A range of 16 kHz samples in seconds, as the output carries it. */
export function inSeconds(range: SampleRange): { start: number; end: number } {
	return { start: round(range.start / SAMPLING_RATE, 3), end: round(range.end / SAMPLING_RATE, 3) };
}

/**
 * The task's output for a 16 kHz clip of totalSamples scored window by window (whole or live): its segments,
 * probabilities and a waveform summary of at most 800 peaks, made from finer peaks.
 */
export function speechOutput(
	probabilities: ArrayLike<number>,
	totalSamples: number,
	peaks: readonly number[],
	settings: SpeechSettings
): VoiceActivityOutput {
	const buckets = Math.min(ENVELOPE_BUCKETS, peaks.length);
	const envelope: number[] = [];
	for (let b = 0; b < buckets; b++) {
		const from = Math.floor((b * peaks.length) / buckets);
		const to = Math.floor(((b + 1) * peaks.length) / buckets);
		envelope.push(round(Math.max(...peaks.slice(from, to)), 3));
	}
	return {
		duration: round(totalSamples / SAMPLING_RATE, 3),
		segments: speechRanges(probabilities, segmentRules(settings, totalSamples)).map(inSeconds),
		windowSeconds: WINDOW_SAMPLES / SAMPLING_RATE,
		probabilities: Array.from(probabilities, (p) => round(p, 3)),
		envelope
	};
}

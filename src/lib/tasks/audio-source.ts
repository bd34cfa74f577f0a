// Where an audio task's clip comes from, for every task that takes one (audio classification, zero-shot audio
// classification, speech recognition; voice activity detection can use it too): the `audio` (a web address)
// and `sample` (a built-in clip's name) share-link parameters both ways, why there is no clip yet, the clips
// made in code, and fitting a clip to the loaded model's sampling rate in the worker. Safe in the worker: no
// Svelte, no DOM, no audio API.

import type { ParamIssue, PipelineCall } from './types';
import { whyNotImageUrl } from './image-source';

/** Mono samples in [-1, 1] at a known rate. */
export interface AudioClip {
	samplingRate: number;
	data: Float32Array;
}

/** The rate the page decodes to: what speech and sound models' feature extractors expect. */
export const SAMPLING_RATE = 16_000;

/** An audio task's clip and where it came from; a task's input extends it with its own settings. */
export interface AudioSource<Sample extends string> {
	/** The decoded clip; null until a file, recording, web address or sample gives one. */
	audio: AudioClip | null;
	/** Where the clip came from when it is on the web (what a share link carries); '' otherwise. */
	url: string;
	/** The built-in sample the clip is (so links reproduce it without any network); '' otherwise. */
	sample: Sample | '';
}

/** A stretch of a built-in clip: a sine tone (amplitude 0 is silence). */
export interface ToneSpan {
	readonly frequency: number;
	readonly amplitude: number;
	readonly seconds: number;
}

/** A sine tone (amplitude 0 is silence) at SAMPLING_RATE. */
export function toneClip(frequency: number, amplitude: number, seconds = 1): AudioClip {
	const data = new Float32Array(Math.round(seconds * SAMPLING_RATE));
	for (let i = 0; i < data.length; i++)
		data[i] = amplitude * Math.sin((2 * Math.PI * frequency * i) / SAMPLING_RATE);
	return { samplingRate: SAMPLING_RATE, data };
}

/** Tones one after another, each starting at phase 0, at SAMPLING_RATE. */
export function tonesClip(spans: readonly ToneSpan[]): AudioClip {
	const parts = spans.map((span) => toneClip(span.frequency, span.amplitude, span.seconds).data);
	const data = new Float32Array(parts.reduce((sum, part) => sum + part.length, 0));
	let offset = 0;
	for (const part of parts) {
		data.set(part, offset);
		offset += part.length;
	}
	return { samplingRate: SAMPLING_RATE, data };
}

/**
 * Reads `audio` (an http(s) address) and `sample` (the name of one of the task's `samples`, made by `clipOf`)
 * from a link; an address wins over a sample, and unusable values are reported by name.
 */
export function readAudioSource<Sample extends string>(
	params: URLSearchParams,
	samples: Readonly<Record<Sample, unknown>>,
	clipOf: (sample: Sample) => AudioClip,
	issues: ParamIssue[]
): AudioSource<Sample> {
	let url = params.get('audio') ?? '';
	const problem = url === '' ? null : whyNotImageUrl(url, 'audio');
	if (problem !== null) {
		issues.push({ param: 'audio', message: problem });
		url = '';
	}
	const raw = params.get('sample') ?? '';
	const isSample = (value: string): value is Sample => Object.hasOwn(samples, value);
	if (raw !== '' && !isSample(raw)) {
		issues.push({ param: 'sample', message: `sample must be one of ${Object.keys(samples).join(', ')}.` });
	}
	const sample = isSample(raw) && url === '' ? raw : '';
	return { audio: sample ? clipOf(sample) : null, url, sample };
}

/**
 * The link parameters for a source: its address or its sample's name. The samples of a file or recording
 * cannot travel in a link, so they give none.
 */
export function audioSourceParams(source: AudioSource<string>): Record<string, string> {
	if (source.url) return { audio: source.url };
	if (source.sample) return { sample: source.sample };
	return {};
}

/** Why there is no clip to run on yet, or null when there is one. */
export function whyNoAudio(source: AudioSource<string>): string | null {
	if (source.audio !== null) return null;
	return source.url
		? 'Waiting for the audio from its address…'
		: 'Choose an audio file, record one, or give its web address.';
}

/**
 * Linear-interpolation resampling. Good enough for classification (models look at coarse spectra), and pure, so
 * the worker can fix a clip whose rate differs from the model's without any audio API.
 */
export function resampleLinear(data: Float32Array, from: number, to: number): Float32Array {
	if (from === to || data.length === 0) return data;
	const out = new Float32Array(Math.max(1, Math.round((data.length * to) / from)));
	const step = from / to;
	for (let i = 0; i < out.length; i++) {
		const position = i * step;
		const left = Math.min(Math.floor(position), data.length - 1);
		const right = Math.min(left + 1, data.length - 1);
		const fraction = position - left;
		out[i] = (data[left] ?? 0) * (1 - fraction) + (data[right] ?? 0) * fraction;
	}
	return out;
}

/** The rate the loaded model's feature extractor wants (transformers.js keeps it on the processor). */
export function modelSamplingRate(pipe: PipelineCall): number {
	const processor: unknown = (pipe as { processor?: unknown }).processor;
	const extractor: unknown = (processor as { feature_extractor?: unknown } | undefined)?.feature_extractor;
	const config: unknown = (extractor as { config?: unknown } | undefined)?.config;
	const rate: unknown = (config as { sampling_rate?: unknown } | undefined)?.sampling_rate;
	return typeof rate === 'number' && rate > 0 ? rate : SAMPLING_RATE;
}

/**
 * The input's samples at `rate`, checked first: a message crossing from the page is data. `purpose` finishes
 * the error's sentence ("There is no decoded audio to classify.").
 */
export function samplesAt(clip: AudioClip | null, rate: number, purpose: string): Float32Array {
	const valid =
		clip !== null &&
		clip.data instanceof Float32Array &&
		clip.data.length > 0 &&
		Number.isFinite(clip.samplingRate) &&
		clip.samplingRate > 0;
	if (!valid) throw new TypeError(`There is no decoded audio to ${purpose}.`);
	return resampleLinear(clip.data, clip.samplingRate, rate);
}

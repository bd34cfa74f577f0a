// Audio classification (AST, wav2vec2 and friends): a clip in, its most likely labels with probabilities out.
// The page decodes files, addresses and recordings to 16 kHz mono samples, which cross to the worker as a
// transferred Float32Array; a share link carries only an http(s) address or a built-in sample's name.

import type { PipelineCall, TaskSpec } from './types';
import { readIntParam } from './types';
import { isLabelScores, type LabelScore } from './text-classification';
import { DEFAULT_TOP_K, whyNotImageUrl, whyNotTopK } from './image-classification';

/** Mono samples in [-1, 1] at a known rate. */
export interface AudioClip {
	samplingRate: number;
	data: Float32Array;
}

export interface AudioClassificationInput {
	/** The clip to classify, once the page has decoded it; null until a file, recording or URL gives one. */
	audio: AudioClip | null;
	/** Where the clip came from when it is on the web (what a share link carries); '' otherwise. */
	url: string;
	/** The built-in sample the clip is (so example links reproduce it without any network); '' otherwise. */
	sample: SampleName | '';
	/** How many labels to return; 0 means all of them. */
	topK: number;
}

export type AudioClassificationOutput = LabelScore[];

export { DEFAULT_TOP_K };

/** The rate the page decodes to: what speech and sound models' feature extractors expect. */
export const SAMPLING_RATE = 16_000;

/** Built-in clips, made in code, that links can name (`sample=tone`): they run with no network at all. */
export const SAMPLES = {
	tone: { frequency: 440, amplitude: 0.5 },
	silence: { frequency: 440, amplitude: 0 }
} as const satisfies Record<string, { frequency: number; amplitude: number }>;
export type SampleName = keyof typeof SAMPLES;

function isSampleName(value: string): value is SampleName {
	return Object.hasOwn(SAMPLES, value);
}

/** A sine tone (amplitude 0 is silence) at SAMPLING_RATE. */
export function toneClip(frequency: number, amplitude: number, seconds = 1): AudioClip {
	const data = new Float32Array(Math.round(seconds * SAMPLING_RATE));
	for (let i = 0; i < data.length; i++)
		data[i] = amplitude * Math.sin((2 * Math.PI * frequency * i) / SAMPLING_RATE);
	return { samplingRate: SAMPLING_RATE, data };
}

/** A sample as an input's clip: one second of it. */
export function sampleClip(name: SampleName): AudioClip {
	return toneClip(SAMPLES[name].frequency, SAMPLES[name].amplitude);
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

function isAudioClip(value: AudioClip | null): value is AudioClip {
	return (
		value !== null &&
		value.data instanceof Float32Array &&
		value.data.length > 0 &&
		Number.isFinite(value.samplingRate) &&
		value.samplingRate > 0
	);
}

/** The rate the loaded model's feature extractor wants (transformers.js keeps it on the processor). */
function extractorRate(pipe: PipelineCall): number {
	const processor: unknown = (pipe as { processor?: unknown }).processor;
	const extractor: unknown = (processor as { feature_extractor?: unknown } | undefined)?.feature_extractor;
	const config: unknown = (extractor as { config?: unknown } | undefined)?.config;
	const rate: unknown = (config as { sampling_rate?: unknown } | undefined)?.sampling_rate;
	return typeof rate === 'number' && rate > 0 ? rate : SAMPLING_RATE;
}

export const audioClassification = {
	id: 'audio-classification',
	pipeline: 'audio-classification',
	modality: 'audio',
	defaultModels: {
		huggingface: 'Xenova/ast-finetuned-audioset-10-10-0.4593',
		bundled: 'browserve/tiny-sound'
	},
	params: ['audio', 'sample', 'top_k'],
	examples: [
		// The first runs as the warm-up on the bundled loudness model, so it is a clear tone.
		{ audio: sampleClip('tone'), url: '', sample: 'tone', topK: DEFAULT_TOP_K },
		{ audio: sampleClip('silence'), url: '', sample: 'silence', topK: DEFAULT_TOP_K },
		{
			audio: null,
			url: 'https://huggingface.co/datasets/Xenova/transformers.js-docs/resolve/main/jfk.wav',
			sample: '',
			topK: DEFAULT_TOP_K
		}
	],
	parseInput(params, issues) {
		let url = params.get('audio') ?? '';
		const problem = url === '' ? null : whyNotImageUrl(url, 'audio');
		if (problem !== null) {
			issues.push({ param: 'audio', message: problem });
			url = '';
		}
		const sample = params.get('sample') ?? '';
		if (sample !== '' && !isSampleName(sample)) {
			issues.push({ param: 'sample', message: `sample must be one of ${Object.keys(SAMPLES).join(', ')}.` });
		}
		const named = isSampleName(sample) && url === '' ? sample : '';
		return {
			audio: named ? sampleClip(named) : null,
			url,
			sample: named,
			topK: readIntParam(params, 'top_k', { min: 0, max: 1000, fallback: DEFAULT_TOP_K }, issues)
		};
	},
	serializeInput(input): Record<string, string> {
		// The samples of a file or recording cannot travel in a link; a web address or a sample's name can.
		const params: Record<string, string> = {};
		if (input.url) params.audio = input.url;
		else if (input.sample) params.sample = input.sample;
		if (input.topK !== DEFAULT_TOP_K) params.top_k = String(input.topK);
		return params;
	},
	whyNotRunnable(input) {
		const topK = whyNotTopK(input.topK);
		if (topK !== null) return topK;
		if (input.audio !== null) return null;
		return input.url
			? 'Waiting for the audio from its address…'
			: 'Choose an audio file, record one, or give its web address.';
	},
	async run(pipe, input) {
		const audio = input.audio;
		if (!isAudioClip(audio)) throw new TypeError('There is no decoded audio to classify.');
		const rate = extractorRate(pipe);
		const raw = await pipe(resampleLinear(audio.data, audio.samplingRate, rate), {
			// top_k null asks transformers.js for every label, sorted by score.
			top_k: input.topK || null
		});
		if (!isLabelScores(raw)) throw new TypeError('The model did not return labels with scores.');
		return raw;
	}
} as const satisfies TaskSpec<AudioClassificationInput, AudioClassificationOutput>;

// Audio classification (AST, wav2vec2 and friends): a clip in, its most likely labels with probabilities out.
// The page decodes files, addresses and recordings to 16 kHz mono samples, which cross to the worker as a
// transferred Float32Array; a share link carries only an http(s) address or a built-in sample's name.

import type { TaskSpec } from './types';
import { readIntParam } from './types';
import { isLabelScores, type LabelScore } from './text-classification';
import { DEFAULT_TOP_K, whyNotTopK } from './image-classification';
import {
	audioSourceParams,
	modelSamplingRate,
	readAudioSource,
	samplesAt,
	toneClip,
	whyNoAudio,
	type AudioClip,
	type AudioSource
} from './audio-source';

// Voice activity detection and the ONNX page still import these from here.
export { resampleLinear, SAMPLING_RATE, toneClip, type AudioClip } from './audio-source';

export interface AudioClassificationInput extends AudioSource<SampleName> {
	/** How many labels to return; 0 means all of them. */
	topK: number;
}

export type AudioClassificationOutput = LabelScore[];

export { DEFAULT_TOP_K };

/** Built-in clips, made in code, that links can name (`sample=tone`): they run with no network at all. */
export const SAMPLES = {
	tone: { frequency: 440, amplitude: 0.5 },
	silence: { frequency: 440, amplitude: 0 }
} as const satisfies Record<string, { frequency: number; amplitude: number }>;
export type SampleName = keyof typeof SAMPLES;

/** A sample as an input's clip: one second of it. */
export function sampleClip(name: SampleName): AudioClip {
	return toneClip(SAMPLES[name].frequency, SAMPLES[name].amplitude);
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
		return {
			...readAudioSource(params, SAMPLES, sampleClip, issues),
			topK: readIntParam(params, 'top_k', { min: 0, max: 1000, fallback: DEFAULT_TOP_K }, issues)
		};
	},
	serializeInput(input): Record<string, string> {
		const params = audioSourceParams(input);
		if (input.topK !== DEFAULT_TOP_K) params.top_k = String(input.topK);
		return params;
	},
	whyNotRunnable(input) {
		return whyNotTopK(input.topK) ?? whyNoAudio(input);
	},
	async run(pipe, input) {
		const raw = await pipe(samplesAt(input.audio, modelSamplingRate(pipe), 'classify'), {
			// top_k null asks transformers.js for every label, sorted by score.
			top_k: input.topK || null
		});
		if (!isLabelScores(raw)) throw new TypeError('The model did not return labels with scores.');
		return raw;
	}
} as const satisfies TaskSpec<AudioClassificationInput, AudioClassificationOutput>;

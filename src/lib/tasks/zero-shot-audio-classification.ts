// Zero-shot audio classification (CLAP): a clip and labels the person makes up; the model scores how well each
// label's sentence ("This is a sound of dog.") matches the clip, and the scores add up to 1. The clip arrives
// as audio-classification's does (file, recording, web address, or a built-in tone a link can name).

import type { TaskSpec } from './types';
import { isLabelScores, type LabelScore } from './text-classification';
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
import {
	readLabels,
	readTemplate,
	templateParam,
	whyNotCandidates,
	zeroShotCall,
	type CandidateLabels
} from './candidate-labels';

export interface ZeroShotAudioClassificationInput extends AudioSource<ToneName>, CandidateLabels {}

/** Every label with its score, best first. */
export type ZeroShotAudioClassificationOutput = LabelScore[];

/** CLAP's own sentence, which transformers.js uses when none is given. */
export const DEFAULT_AUDIO_TEMPLATE = 'This is a sound of {}.';

/** Built-in one-second tones, made in code, that links can name (`sample=low`). */
export const TONES = {
	low: { frequency: 220, amplitude: 0.5 },
	high: { frequency: 3_520, amplitude: 0.5 }
} as const satisfies Record<string, { frequency: number; amplitude: number }>;
export type ToneName = keyof typeof TONES;

export function toneSample(name: ToneName): AudioClip {
	return toneClip(TONES[name].frequency, TONES[name].amplitude);
}

export const zeroShotAudioClassification = {
	id: 'zero-shot-audio-classification',
	pipeline: 'zero-shot-audio-classification',
	// @huggingface/tasks does not list this task, so its name and summary are ours.
	title: 'Zero-Shot Audio Classification',
	summary:
		'Zero-shot audio classification scores a sound clip against labels you make up, with no training on them.',
	modality: 'audio',
	defaultModels: { huggingface: 'Xenova/clap-htsat-unfused', bundled: 'browserve/tiny-clap' },
	params: ['audio', 'sample', 'labels', 'template'],
	examples: [
		// The first is the warm-up on the bundled model, which hears pitch: a low tone is "low".
		{
			audio: toneSample('low'),
			url: '',
			sample: 'low',
			labels: ['low', 'high'],
			hypothesisTemplate: DEFAULT_AUDIO_TEMPLATE
		},
		{
			audio: toneSample('high'),
			url: '',
			sample: 'high',
			labels: ['bass', 'treble', 'music'],
			hypothesisTemplate: DEFAULT_AUDIO_TEMPLATE
		},
		// transformers.js's own example for CLAP.
		{
			audio: null,
			url: 'https://huggingface.co/datasets/Xenova/transformers.js-docs/resolve/main/dog_barking.wav',
			sample: '',
			labels: ['dog', 'vacuum cleaner'],
			hypothesisTemplate: DEFAULT_AUDIO_TEMPLATE
		}
	],
	parseInput(params, issues) {
		return {
			...readAudioSource(params, TONES, toneSample, issues),
			labels: readLabels(params, issues),
			hypothesisTemplate: readTemplate(params, issues, DEFAULT_AUDIO_TEMPLATE)
		};
	},
	serializeInput(input): Record<string, string> {
		return {
			...audioSourceParams(input),
			labels: input.labels.join(','),
			...templateParam(input.hypothesisTemplate, DEFAULT_AUDIO_TEMPLATE)
		};
	},
	whyNotRunnable(input) {
		return whyNotCandidates(input) ?? whyNoAudio(input);
	},
	async run(pipe, input) {
		const classify = zeroShotCall<Float32Array>(pipe);
		const raw = await classify(
			samplesAt(input.audio, modelSamplingRate(pipe), 'classify'),
			[...input.labels],
			{
				hypothesis_template: input.hypothesisTemplate
			}
		);
		if (!isLabelScores(raw) || raw.length !== input.labels.length)
			throw new TypeError('The model did not return a score for every label.');
		// The pipeline keeps the labels' order; people read the best first.
		return raw.map(({ label, score }) => ({ label, score })).sort((a, b) => b.score - a.score);
	}
} as const satisfies TaskSpec<ZeroShotAudioClassificationInput, ZeroShotAudioClassificationOutput>;

// Zero-shot audio classification (CLAP): a clip and labels the person makes up; the model scores how well each
// label's sentence ("This is a sound of dog.") matches the clip, and the scores add up to 1. The clip arrives
// as audio-classification's does (file, recording, web address, or a built-in tone a link can name).

import type { ParamIssue, PipelineCall, TaskSpec } from './types';
import { readTextParam } from './types';
import { isLabelScores, type LabelScore } from './text-classification';
import { whyNotImageUrl } from './image-classification';
import { resampleLinear, SAMPLING_RATE, toneClip, type AudioClip } from './audio-classification';
import { splitLabels, whyNotLabels, whyNotTemplate } from './zero-shot-classification';

export interface ZeroShotAudioClassificationInput {
	/** The clip, once the page has decoded it; null until a file, recording, URL or sample gives one. */
	audio: AudioClip | null;
	/** Where the clip came from when it is on the web (what a share link carries); '' otherwise. */
	url: string;
	/** The built-in tone the clip is (so links reproduce it without any network); '' otherwise. */
	sample: ToneName | '';
	/** Trimmed, non-empty, without commas (links separate them with commas) and without duplicates. */
	labels: string[];
	/** The sentence each label is put into; `{}` marks where. */
	hypothesisTemplate: string;
}

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

function isToneName(value: string): value is ToneName {
	return Object.hasOwn(TONES, value);
}

export function toneSample(name: ToneName): AudioClip {
	return toneClip(TONES[name].frequency, TONES[name].amplitude);
}

function readLabels(params: URLSearchParams, issues: ParamIssue[]): string[] {
	const labels = splitLabels(readTextParam(params, 'labels', issues));
	const problem = labels.length === 0 ? null : whyNotLabels(labels);
	if (problem !== null) {
		issues.push({ param: 'labels', message: `labels: ${problem}` });
		return [];
	}
	return labels;
}

function readTemplate(params: URLSearchParams, issues: ParamIssue[]): string {
	const template = readTextParam(params, 'template', issues);
	if (template === '') return DEFAULT_AUDIO_TEMPLATE;
	const problem = whyNotTemplate(template);
	if (problem !== null) {
		issues.push({ param: 'template', message: problem.replace('The hypothesis template', 'template') });
		return DEFAULT_AUDIO_TEMPLATE;
	}
	return template;
}

/** This pipeline takes the candidate labels as a second argument before its options. */
type ZeroShotAudioCall = (
	audio: Float32Array,
	labels: string[],
	options: Record<string, unknown>
) => Promise<unknown>;

/** The rate the loaded model's feature extractor wants (transformers.js keeps it on the processor). */
function extractorRate(pipe: PipelineCall): number {
	const processor: unknown = (pipe as { processor?: unknown }).processor;
	const extractor: unknown = (processor as { feature_extractor?: unknown } | undefined)?.feature_extractor;
	const config: unknown = (extractor as { config?: unknown } | undefined)?.config;
	const rate: unknown = (config as { sampling_rate?: unknown } | undefined)?.sampling_rate;
	return typeof rate === 'number' && rate > 0 ? rate : SAMPLING_RATE;
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
		let url = params.get('audio') ?? '';
		const problem = url === '' ? null : whyNotImageUrl(url, 'audio');
		if (problem !== null) {
			issues.push({ param: 'audio', message: problem });
			url = '';
		}
		const sample = params.get('sample') ?? '';
		if (sample !== '' && !isToneName(sample))
			issues.push({ param: 'sample', message: `sample must be one of ${Object.keys(TONES).join(', ')}.` });
		const named = isToneName(sample) && url === '' ? sample : '';
		return {
			audio: named ? toneSample(named) : null,
			url,
			sample: named,
			labels: readLabels(params, issues),
			hypothesisTemplate: readTemplate(params, issues)
		};
	},
	serializeInput(input): Record<string, string> {
		// The samples of a file or recording cannot travel in a link; a web address or a tone's name can.
		const params: Record<string, string> = {};
		if (input.url) params.audio = input.url;
		else if (input.sample) params.sample = input.sample;
		params.labels = input.labels.join(',');
		if (
			input.hypothesisTemplate !== DEFAULT_AUDIO_TEMPLATE &&
			whyNotTemplate(input.hypothesisTemplate) === null
		)
			params.template = input.hypothesisTemplate;
		return params;
	},
	whyNotRunnable(input) {
		const labels = whyNotLabels(input.labels) ?? whyNotTemplate(input.hypothesisTemplate);
		if (labels !== null) return labels;
		if (input.audio !== null) return null;
		return input.url
			? 'Waiting for the audio from its address…'
			: 'Choose an audio file, record one, or give its web address.';
	},
	async run(pipe, input) {
		const audio = input.audio;
		if (audio === null || !(audio.data instanceof Float32Array) || audio.data.length === 0)
			throw new TypeError('There is no decoded audio to classify.');
		const classify = pipe as unknown as ZeroShotAudioCall;
		const raw = await classify(
			resampleLinear(audio.data, audio.samplingRate, extractorRate(pipe)),
			[...input.labels],
			{ hypothesis_template: input.hypothesisTemplate }
		);
		if (!isLabelScores(raw) || raw.length !== input.labels.length)
			throw new TypeError('The model did not return a score for every label.');
		// The pipeline keeps the labels' order; people read the best first.
		return raw.map(({ label, score }) => ({ label, score })).sort((a, b) => b.score - a.score);
	}
} as const satisfies TaskSpec<ZeroShotAudioClassificationInput, ZeroShotAudioClassificationOutput>;

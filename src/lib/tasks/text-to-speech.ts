// Text to speech (VITS / MMS-TTS, SpeechT5, Supertonic) and its twin text-to-audio: text in, a mono clip out.
// The worker sends the samples back as a transferred ArrayBuffer beside a short summary (rate, length, peak),
// so the result JSON stays readable; the page plays, draws and saves the samples as WAV. Models that need a
// voice (SpeechT5, Supertonic) take speaker embeddings from a web address the worker fetches.

import type { ParamIssue, PipelineCall, TaskSpec } from './types';
import { readTextParam } from './types';
import { whyNotImageUrl } from './image-source';

export interface TextToSpeechInput {
	text: string;
	/** Where the speaker embeddings (a raw float32 file) are, for models that need a voice; '' for none. */
	speakerEmbeddings: string;
}

export interface TextToSpeechOutput {
	samplingRate: number;
	/** How many samples the clip has. */
	samples: number;
	seconds: number;
	/** The largest absolute sample, to tell silence from sound at a glance. */
	peak: number;
	/**
	 * The samples as a Float32Array's bytes. An ArrayBuffer is transferred, not copied, and shows as `{}` in the
	 * result JSON rather than as thousands of numbers.
	 */
	audio: ArrayBuffer;
}

/** Longer texts are refused: a minute or two of speech, and VITS models cut their input at about this length. */
export const MAX_SPEECH_TEXT = 1_000;

const SPEAKER_PARAM = 'speaker_embeddings';

/** Why a text cannot be spoken, or null when it can. */
export function whyNotSpeechText(text: string): string | null {
	if (text.trim() === '') return 'Type some text to speak.';
	if (text.length > MAX_SPEECH_TEXT)
		return `The text is ${text.length.toLocaleString('en')} characters long; the limit is ${MAX_SPEECH_TEXT.toLocaleString('en')}.`;
	return null;
}

function readText(params: URLSearchParams, issues: ParamIssue[]): string {
	const text = readTextParam(params, 'text', issues);
	if (text.length > MAX_SPEECH_TEXT) {
		issues.push({
			param: 'text',
			message: `The text in this link is ${text.length.toLocaleString('en')} characters long; the limit for speech is ${MAX_SPEECH_TEXT.toLocaleString('en')}.`
		});
		return '';
	}
	return text;
}

interface RawSpeech {
	audio: Float32Array;
	sampling_rate: number;
}

function isRawSpeech(value: unknown): value is RawSpeech {
	if (typeof value !== 'object' || value === null) return false;
	const { audio, sampling_rate } = value as { audio?: unknown; sampling_rate?: unknown };
	return (
		audio instanceof Float32Array &&
		typeof sampling_rate === 'number' &&
		Number.isFinite(sampling_rate) &&
		sampling_rate > 0
	);
}

/** The summary and samples the page gets for a pipeline's RawAudio. */
export function speechOutput(samples: Float32Array, samplingRate: number): TextToSpeechOutput {
	let peak = 0;
	for (const sample of samples) peak = Math.max(peak, Math.abs(sample));
	return {
		samplingRate,
		samples: samples.length,
		seconds: samples.length / samplingRate,
		peak,
		// A copy owns its whole buffer, so transferring it detaches nothing the pipeline still holds.
		audio: samples.slice().buffer
	};
}

/** The pipeline's options: speaker embeddings only when given (VITS ignores them, SpeechT5 needs them). */
function speechOptions(input: TextToSpeechInput): Record<string, unknown> {
	return input.speakerEmbeddings ? { speaker_embeddings: input.speakerEmbeddings } : {};
}

const SPEECHT5_SPEAKER =
	'https://huggingface.co/datasets/Xenova/transformers.js-docs/resolve/main/speaker_embeddings.bin';

export const textToSpeech = {
	id: 'text-to-speech',
	pipeline: 'text-to-speech',
	modality: 'audio',
	defaultModels: { huggingface: 'Xenova/mms-tts-eng', bundled: 'browserve/tiny-voice' },
	params: ['text', SPEAKER_PARAM],
	examples: [
		// The first is the warm-up on the bundled model: short, so it costs next to nothing.
		{ text: 'Hello world', speakerEmbeddings: '' },
		// @huggingface/tasks' demo input for text-to-speech.
		{ text: 'I love audio models on the Hub!', speakerEmbeddings: '' },
		// For SpeechT5 (Xenova/speecht5_tts), which needs a voice.
		{ text: 'Hello, my dog is cute.', speakerEmbeddings: SPEECHT5_SPEAKER }
	],
	parseInput(params, issues) {
		let speakerEmbeddings = params.get(SPEAKER_PARAM) ?? '';
		const problem = speakerEmbeddings === '' ? null : whyNotImageUrl(speakerEmbeddings, SPEAKER_PARAM);
		if (problem !== null) {
			issues.push({ param: SPEAKER_PARAM, message: problem });
			speakerEmbeddings = '';
		}
		return { text: readText(params, issues), speakerEmbeddings };
	},
	serializeInput(input): Record<string, string> {
		const params: Record<string, string> = { text: input.text };
		if (input.speakerEmbeddings) params[SPEAKER_PARAM] = input.speakerEmbeddings;
		return params;
	},
	whyNotRunnable(input) {
		const text = whyNotSpeechText(input.text);
		if (text !== null) return text;
		return input.speakerEmbeddings === ''
			? null
			: whyNotImageUrl(input.speakerEmbeddings, 'The speaker embeddings address');
	},
	async run(pipe: PipelineCall, input) {
		const raw = await pipe(input.text, speechOptions(input));
		if (!isRawSpeech(raw))
			throw new TypeError('The model did not return audio samples with a sampling rate.');
		if (raw.audio.length === 0) throw new TypeError('The model returned no audio for this text.');
		return speechOutput(raw.audio, raw.sampling_rate);
	}
} as const satisfies TaskSpec<TextToSpeechInput, TextToSpeechOutput>;

/**
 * text-to-audio is the same pipeline in transformers.js (text-to-speech is its alias); the hub tags music and
 * sound generators with it, so it has its own page with the same form and player.
 */
export const textToAudio = {
	...textToSpeech,
	id: 'text-to-audio',
	pipeline: 'text-to-audio',
	// Speech models are audio models too: the picker offers both tags (the bundled voice is text-to-speech).
	hubTags: ['text-to-audio', 'text-to-speech'],
	summary: 'Text-to-Audio is the task of generating audio, such as speech or sounds, from a text description.'
} as const satisfies TaskSpec<TextToSpeechInput, TextToSpeechOutput>;

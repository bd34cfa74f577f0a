// Automatic speech recognition (Whisper and CTC models such as wav2vec2): a clip in, its transcript out, with
// timestamped segments on request. Long clips are cut here into overlapping windows and run one window at a
// time, because the transformers.js pipeline chunks internally with no progress callback: between windows the
// run reports "chunk k of n" with the text so far, and stops there when cancelled. Whisper's language and task
// (transcribe or translate) are passed through and checked against the loaded model in the worker.

import type { PipelineCall, TaskSpec } from './types';
import { readBooleanParam, readIntParam } from './types';
import {
	audioSourceParams,
	modelSamplingRate,
	readAudioSource,
	samplesAt,
	tonesClip,
	whyNoAudio,
	type AudioClip,
	type AudioSource
} from './audio-source';

export type WhisperTask = 'transcribe' | 'translate';

export interface SpeechRecognitionInput extends AudioSource<SampleName> {
	/** Whisper's spoken language (en, fr, french…); '' leaves it to the model. */
	language: string;
	/** Whisper's task; '' leaves it to the model (transcribe). */
	task: WhisperTask | '';
	/** Whether to return timestamped segments besides the text. */
	timestamps: boolean;
	/** Window length in seconds: Whisper hears 30 s at a time. */
	chunkLength: number;
	/** Seconds each window overlaps its neighbour on either side (transcribed once, by the nearer window). */
	stride: number;
}

export interface TranscriptChunk {
	/** Start and end in seconds from the start of the clip. */
	timestamp: [number, number];
	text: string;
}

export interface SpeechRecognitionOutput {
	text: string;
	/** Timestamped segments, in order, when asked for. */
	chunks?: TranscriptChunk[];
	/** True when the run was cancelled between windows; the transcript is what came before. */
	stopped: boolean;
}

/** Sent before the first window and after each one. */
export interface SpeechRecognitionPartial {
	chunksDone: number;
	chunksTotal: number;
	/** The transcript of the windows done so far. */
	text: string;
	chunks: TranscriptChunk[];
}

export const DEFAULT_CHUNK_SECONDS = 30;
export const DEFAULT_STRIDE_SECONDS = 5;

const silence = (seconds: number) => ({ frequency: 0, amplitude: 0, seconds });
const tone = (frequency: number, seconds: number) => ({ frequency, amplitude: 0.5, seconds });
const HIGH = 3000;
const LOW = 300;

/**
 * Built-in clips, made in code, that links name (`sample=bursts`). The bundled tiny-whisper writes "high" or
 * "low" for each burst of a high or low tone; `long` is 70 s, so it runs as three 30 s windows.
 */
export const SAMPLES = {
	high: [tone(HIGH, 1)],
	low: [tone(LOW, 1)],
	silence: [silence(1)],
	bursts: [silence(2), tone(HIGH, 1.5), silence(1), tone(LOW, 1), silence(0.5)],
	long: [
		silence(10),
		tone(HIGH, 2),
		silence(10),
		tone(LOW, 2),
		silence(11),
		tone(HIGH, 2),
		silence(23),
		tone(LOW, 2),
		silence(8)
	]
} as const satisfies Record<string, readonly { frequency: number; amplitude: number; seconds: number }[]>;
export type SampleName = keyof typeof SAMPLES;

/** A sample's samples: its tones one after another. */
export function sampleClip(name: SampleName): AudioClip {
	return tonesClip(SAMPLES[name]);
}

// Whisper takes a code (fr) or an English name (french, "haitian creole").
const LANGUAGE = /^[a-z]{2,3}$|^[a-z]+( [a-z]+)*$/;
const TASKS: readonly WhisperTask[] = ['transcribe', 'translate'];

export function whyNotLanguage(value: string): string | null {
	return value === '' || LANGUAGE.test(value)
		? null
		: 'language must be a language code such as en or fr, or its English name such as french.';
}

export function whyNotWindows(chunkLength: number, stride: number): string | null {
	if (!Number.isInteger(chunkLength) || chunkLength < 1 || chunkLength > 30)
		return 'chunk_length_s must be a whole number from 1 to 30.';
	if (!Number.isInteger(stride) || stride < 0 || 2 * stride >= chunkLength)
		return 'stride_length_s must be a whole number from 0 to less than half of chunk_length_s.';
	return null;
}

/** One window of a clip, in samples: what the model hears, and the part whose segments it keeps. */
export interface AudioWindow {
	start: number;
	end: number;
	keepFrom: number;
	keepTo: number;
}

/**
 * Cuts `length` samples into windows of `chunk` samples that overlap by 2·`stride`, as the transformers.js
 * pipeline does. The kept parts tile the clip: each overlap is split in the middle between its two windows.
 */
export function planWindows(length: number, chunk: number, stride: number): AudioWindow[] {
	const jump = chunk - 2 * stride;
	if (!(jump > 0)) throw new RangeError('A window must be longer than twice its stride.');
	const windows: AudioWindow[] = [];
	for (let start = 0; ; start += jump) {
		const end = Math.min(start + chunk, length);
		const last = start + chunk >= length;
		windows.push({
			start,
			end,
			keepFrom: start === 0 ? 0 : start + stride,
			keepTo: last ? Infinity : start + chunk - stride
		});
		if (last) return windows;
	}
}

interface RawTranscript {
	text: string;
	chunks?: { timestamp: [number, number | null]; text: string }[];
}

function isRawTranscript(value: unknown): value is RawTranscript {
	if (typeof value !== 'object' || value === null) return false;
	const { text, chunks } = value as { text?: unknown; chunks?: unknown };
	return (
		typeof text === 'string' &&
		(chunks === undefined ||
			(Array.isArray(chunks) &&
				chunks.every(
					(c: { text?: unknown; timestamp?: unknown }) =>
						typeof c.text === 'string' &&
						Array.isArray(c.timestamp) &&
						typeof c.timestamp[0] === 'number' &&
						(typeof c.timestamp[1] === 'number' || c.timestamp[1] === null)
				)))
	);
}

/** What the loaded model is, as far as the options go: its rate, whether it is Whisper, its languages. */
function describeModel(pipe: PipelineCall): { rate: number; whisper: boolean; languages: string[] | null } {
	const { model } = pipe as {
		model?: {
			config?: { model_type?: unknown };
			generation_config?: { is_multilingual?: unknown; lang_to_id?: unknown };
		};
	};
	const type = model?.config?.model_type;
	const generation = model?.generation_config;
	const langToId = generation?.is_multilingual === true ? generation.lang_to_id : null;
	return {
		rate: modelSamplingRate(pipe),
		whisper: type === 'whisper' || type === 'lite-whisper',
		// "<|fr|>" → "fr"; null for English-only models, which take no language or task.
		languages:
			typeof langToId === 'object' && langToId !== null
				? Object.keys(langToId).map((token) => token.replace(/^<\|(.*)\|>$/, '$1'))
				: null
	};
}

const round2 = (seconds: number) => Math.round(seconds * 100) / 100;

export const automaticSpeechRecognition = {
	id: 'automatic-speech-recognition',
	pipeline: 'automatic-speech-recognition',
	modality: 'audio',
	defaultModels: {
		huggingface: 'onnx-community/whisper-tiny',
		bundled: 'browserve/tiny-whisper'
	},
	params: ['audio', 'sample', 'language', 'task', 'timestamps', 'chunk_length_s', 'stride_length_s'],
	examples: [
		// The first runs as the warm-up on the bundled tiny-whisper: one second of a high tone, "high".
		example({ sample: 'high' }),
		example({ sample: 'bursts', timestamps: true }),
		example({ sample: 'bursts', language: 'fr' }),
		example({ sample: 'long', timestamps: true }),
		example({
			url: 'https://huggingface.co/datasets/Xenova/transformers.js-docs/resolve/main/jfk.wav',
			language: 'en',
			timestamps: true
		})
	],
	parseInput(params, issues) {
		const source = readAudioSource(params, SAMPLES, sampleClip, issues);
		let language = (params.get('language') ?? '').trim().toLowerCase();
		const languageProblem = whyNotLanguage(language);
		if (languageProblem !== null) {
			issues.push({ param: 'language', message: languageProblem });
			language = '';
		}
		const task = params.get('task') ?? '';
		if (task !== '' && !TASKS.includes(task as WhisperTask)) {
			issues.push({ param: 'task', message: 'task must be transcribe or translate.' });
		}
		const chunkLength = readIntParam(
			params,
			'chunk_length_s',
			{ min: 1, max: 30, fallback: DEFAULT_CHUNK_SECONDS },
			issues
		);
		let stride = readIntParam(
			params,
			'stride_length_s',
			{ min: 0, max: 14, fallback: Math.min(DEFAULT_STRIDE_SECONDS, Math.ceil(chunkLength / 2) - 1) },
			issues
		);
		if (whyNotWindows(chunkLength, stride) !== null) {
			issues.push({ param: 'stride_length_s', message: whyNotWindows(chunkLength, stride) ?? '' });
			stride = Math.ceil(chunkLength / 2) - 1;
		}
		return {
			...source,
			language,
			task: TASKS.includes(task as WhisperTask) ? (task as WhisperTask) : '',
			timestamps: readBooleanParam(params, 'timestamps', false, issues),
			chunkLength,
			stride
		};
	},
	serializeInput(input): Record<string, string> {
		const params = audioSourceParams(input);
		if (input.language) params.language = input.language;
		if (input.task) params.task = input.task;
		if (input.timestamps) params.timestamps = '1';
		if (input.chunkLength !== DEFAULT_CHUNK_SECONDS) params.chunk_length_s = String(input.chunkLength);
		if (input.stride !== DEFAULT_STRIDE_SECONDS) params.stride_length_s = String(input.stride);
		return params;
	},
	whyNotRunnable(input) {
		return (
			whyNotLanguage(input.language) ?? whyNotWindows(input.chunkLength, input.stride) ?? whyNoAudio(input)
		);
	},
	interruptible: true,
	async run(pipe, input, context) {
		const model = describeModel(pipe);
		const audio = samplesAt(input.audio, model.rate, 'transcribe');
		if (!model.whisper && (input.language || input.task)) {
			throw new Error('language and task apply to Whisper models only: clear them for this model.');
		}
		if (model.whisper && model.languages === null && (input.language || input.task)) {
			throw new Error('This Whisper model is English-only: it takes no language or task, so clear them.');
		}
		if (model.languages !== null && input.language && input.language.length <= 3) {
			// Names (french) are checked by transformers.js; an unknown code would silently be dropped there.
			if (!model.languages.includes(input.language)) {
				throw new Error(
					`This model does not know the language “${input.language}”: use one of ${model.languages.join(', ')}.`
				);
			}
		}
		// A CTC model's window text has no timestamps to merge overlaps by, so its windows do not overlap.
		const stride = model.whisper ? input.stride : 0;
		const windows = planWindows(audio.length, input.chunkLength * model.rate, stride * model.rate);
		// Overlapping windows are merged by time, so Whisper gives timestamps whenever there are several.
		const timestamps = model.whisper && (input.timestamps || windows.length > 1);
		const options = {
			...(timestamps ? { return_timestamps: true } : {}),
			...(input.language ? { language: input.language } : {}),
			...(input.task ? { task: input.task } : {})
		};
		const kept: TranscriptChunk[] = [];
		let text = '';
		const partial = (done: number): SpeechRecognitionPartial => ({
			chunksDone: done,
			chunksTotal: windows.length,
			text: text.trim(),
			chunks: kept.slice()
		});
		context.emit(partial(0));
		let stopped = false;
		for (const [i, window] of windows.entries()) {
			if (context.signal.aborted) {
				stopped = true;
				break;
			}
			const raw = await pipe(audio.subarray(window.start, window.end), options);
			if (!isRawTranscript(raw)) throw new TypeError('The model did not return a transcript.');
			const offset = window.start / model.rate;
			const end = window.end / model.rate;
			// Without timestamps (one window, or a CTC model) the window's text is one segment spanning it.
			const segments = raw.chunks ?? [{ timestamp: [0, end - offset], text: raw.text }];
			for (const segment of segments) {
				const from = offset + segment.timestamp[0];
				const to = Math.min(end, offset + (segment.timestamp[1] ?? end - offset));
				const middle = ((from + to) / 2) * model.rate;
				if (middle < window.keepFrom || middle >= window.keepTo || segment.text.trim() === '') continue;
				text += segment.text;
				kept.push({ timestamp: [round2(from), round2(to)], text: segment.text.trim() });
			}
			context.emit(partial(i + 1));
		}
		return { text: text.trim(), ...(input.timestamps ? { chunks: kept } : {}), stopped };
	}
} as const satisfies TaskSpec<SpeechRecognitionInput, SpeechRecognitionOutput, SpeechRecognitionPartial>;

/** An example input: a sample (made at once) or an address, with the task's defaults for the rest. */
function example(
	fields: Partial<Omit<SpeechRecognitionInput, 'sample'>> & { sample?: SampleName }
): SpeechRecognitionInput {
	return {
		audio: fields.sample ? sampleClip(fields.sample) : null,
		url: '',
		sample: '',
		language: '',
		task: '',
		timestamps: false,
		chunkLength: DEFAULT_CHUNK_SECONDS,
		stride: DEFAULT_STRIDE_SECONDS,
		...fields
	};
}

/** A time as a transcript shows it: m:ss.ss (1:05.20). */
export function formatTimestamp(seconds: number): string {
	const hundredths = Math.round(seconds * 100);
	const minutes = Math.floor(hundredths / 6000);
	return `${minutes}:${((hundredths % 6000) / 100).toFixed(2).padStart(5, '0')}`;
}

/** Timestamped segments as SubRip subtitles, the file players and editors read. */
export function toSrt(chunks: readonly TranscriptChunk[]): string {
	const time = (seconds: number) => {
		const ms = Math.round(seconds * 1000);
		const pad = (value: number, width = 2) => String(value).padStart(width, '0');
		return `${pad(Math.floor(ms / 3_600_000))}:${pad(Math.floor(ms / 60_000) % 60)}:${pad(Math.floor(ms / 1000) % 60)},${pad(ms % 1000, 3)}`;
	};
	return chunks
		.map(
			(chunk, i) => `${i + 1}\n${time(chunk.timestamp[0])} --> ${time(chunk.timestamp[1])}\n${chunk.text}\n`
		)
		.join('\n');
}

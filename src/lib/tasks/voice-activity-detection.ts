// Voice activity detection with Silero VAD (v5): a clip in, the stretches of it where someone speaks out (start
// and end in seconds), with the per-window speech probability and a waveform summary for the page to draw.
// Not a transformers.js pipeline: the task's own OnnxPipeline feeds the ONNX graph 512-sample windows of 16 kHz
// audio (with the 64 samples before each, as Silero's own wrapper does) and carries its recurrent state along,
// across the pieces of a live microphone session too (voice-activity-live.ts).

import type { Tensor as OnnxTensor } from 'onnxruntime-web';
import type { OnnxPipeline, OnnxRuntime, OnnxSession, ParamIssue, TaskSpec } from './types';
import { readIntParam } from './types';
import { resampleLinear, SAMPLING_RATE, type AudioClip } from './audio-classification';
import { whyNotImageUrl } from './image-classification';
import { peakEnvelope, speechOutput, WINDOW_SAMPLES } from './speech-segments';
import { listenLive, whyNotLive, type LiveAudio, type VoiceActivityPartial } from './voice-activity-live';

export { WINDOW_SAMPLES };

export interface VoiceActivityInput {
	/** The clip, once the page has decoded it; null until a file, recording or URL gives one. */
	audio: AudioClip | null;
	/** Where the clip came from when it is on the web (what a share link carries); '' otherwise. */
	url: string;
	/** The built-in sample the clip is (links reproduce it without any network); '' otherwise. */
	sample: VadSampleName | '';
	/** Speech probability at which a window counts as speech (0–1). */
	threshold: number;
	/** Shorter speech is dropped, in milliseconds. */
	minSpeechMs: number;
	/** Shorter pauses do not split speech, in milliseconds. */
	minSilenceMs: number;
	/** Padding added around each segment, in milliseconds. */
	padMs: number;
	/** Set by the page for one run that listens to the microphone instead of a clip; never in a link. */
	live: LiveAudio | null;
}

export interface SpeechSegment {
	/** Seconds from the start of the clip. */
	start: number;
	end: number;
}

export interface VoiceActivityOutput {
	/** The clip's length in seconds. */
	duration: number;
	segments: SpeechSegment[];
	/** Seconds each probability covers. */
	windowSeconds: number;
	/** The model's speech probability for each window, in order. */
	probabilities: number[];
	/** The clip's peak amplitude in equal slices, for drawing its waveform. */
	envelope: number[];
}

/** Silero v5 at 16 kHz: 512 new samples per window (WINDOW_SAMPLES), and the 64 before them as context. */
const CONTEXT_SAMPLES = 64;
const STATE_SIZE = 2 * 128;
const ENVELOPE_BUCKETS = 800;

export const DEFAULTS = { threshold: 0.5, minSpeechMs: 250, minSilenceMs: 100, padMs: 30 } as const;

/** A voice-like sound made in code: a 120 Hz pulse train through three vowel formants, in syllables. */
export function voicedSound(seconds: number): Float32Array {
	const out = new Float32Array(Math.round(seconds * SAMPLING_RATE));
	const formants = [
		[700, 130],
		[1220, 70],
		[2600, 160]
	] as const;
	// Each formant is a two-pole resonator; its last two outputs are its state.
	const history = formants.map(() => [0, 0] as [number, number]);
	let phase = 0;
	let peak = 0;
	for (let i = 0; i < out.length; i++) {
		const t = i / SAMPLING_RATE;
		// A little vibrato, as a voice has; four syllables a second.
		phase += (120 * (1 + 0.1 * Math.sin(2 * Math.PI * 1.5 * t))) / SAMPLING_RATE;
		const pulse = phase >= 1 ? 1 : 0;
		if (phase >= 1) phase -= 1;
		let value = 0;
		formants.forEach(([frequency, bandwidth], k) => {
			const r = Math.exp((-Math.PI * bandwidth) / SAMPLING_RATE);
			const c = 2 * r * Math.cos((2 * Math.PI * frequency) / SAMPLING_RATE);
			const state = history[k]!;
			const next = pulse + c * state[0] - r * r * state[1];
			state[1] = state[0];
			state[0] = next;
			value += next;
		});
		out[i] = value * Math.sin(Math.PI * ((t * 4) % 1)) ** 2;
		peak = Math.max(peak, Math.abs(out[i]!));
	}
	for (let i = 0; i < out.length; i++) out[i] = (0.5 * out[i]!) / (peak || 1);
	return out;
}

/** Built-in clips, made in code, that links can name (`sample=voice`): they run with no network at all. */
export const VAD_SAMPLES = {
	/** One second of silence, two of a voice-like sound, one of silence. */
	voice: () => {
		const data = new Float32Array(4 * SAMPLING_RATE);
		data.set(voicedSound(2), SAMPLING_RATE);
		return data;
	},
	silence: () => new Float32Array(2 * SAMPLING_RATE)
} as const satisfies Record<string, () => Float32Array>;
export type VadSampleName = keyof typeof VAD_SAMPLES;

function isVadSampleName(value: string): value is VadSampleName {
	return Object.hasOwn(VAD_SAMPLES, value);
}

export function vadSampleClip(name: VadSampleName): AudioClip {
	return { samplingRate: SAMPLING_RATE, data: VAD_SAMPLES[name]() };
}

/** Why a threshold cannot run, or null. */
export function whyNotThreshold(value: number): string | null {
	return Number.isFinite(value) && value > 0 && value < 1
		? null
		: 'threshold must be a number between 0 and 1 (not 0 or 1).';
}

function whyNotMs(name: string, value: number): string | null {
	return Number.isInteger(value) && value >= 0 && value <= 10_000
		? null
		: `${name} must be a whole number of milliseconds from 0 to 10000.`;
}

/** Why the durations cannot run, or null. */
export function whyNotDurations(input: Pick<VoiceActivityInput, 'minSpeechMs' | 'minSilenceMs' | 'padMs'>) {
	return (
		whyNotMs('min_speech_ms', input.minSpeechMs) ??
		whyNotMs('min_silence_ms', input.minSilenceMs) ??
		whyNotMs('pad_ms', input.padMs)
	);
}

function readThreshold(params: URLSearchParams, issues: ParamIssue[]): number {
	const raw = params.get('threshold');
	if (raw === null || raw === '') return DEFAULTS.threshold;
	const value = /^\d*\.?\d+$/.test(raw) ? Number(raw) : NaN;
	const problem = whyNotThreshold(value);
	if (problem !== null) {
		issues.push({ param: 'threshold', message: problem });
		return DEFAULTS.threshold;
	}
	return value;
}

/**
 * One pass of Silero over 16 kHz audio that may come in pieces: the recurrent state and the 64 samples of
 * context carry over from one piece to the next, so any split of a clip gives the probabilities of the whole.
 */
export interface VadStream {
	/** Scores every window the samples complete (the rest waits for the next piece); its probabilities. */
	push(samples: Float32Array, signal: AbortSignal): Promise<Float32Array>;
	/** Scores what is left as one last zero-padded window (none when nothing is left). */
	flush(signal: AbortSignal): Promise<Float32Array>;
	/** Drops the state; the stream takes nothing more. */
	close(): void;
}

/** What the task's pipeline does: the speech probability of every window of a 16 kHz clip, whole or streamed. */
export interface VadPipe {
	probabilities(samples: Float32Array, signal: AbortSignal): Promise<Float32Array>;
	/** A stream with fresh state. */
	open(): VadStream;
	/** Streams opened and not yet closed (live sessions drop theirs when they end). */
	readonly openStreams: number;
	dispose(): Promise<void>;
}

const GRAPH = 'onnx/model.onnx';

function vadPipe(session: OnnxSession, ort: OnnxRuntime): VadPipe {
	const rate = new ort.Tensor('int64', BigInt64Array.from([BigInt(SAMPLING_RATE)]), []);
	let openStreams = 0;
	const open = (): VadStream => {
		let state: OnnxTensor | null = new ort.Tensor('float32', new Float32Array(STATE_SIZE), [2, 1, 128]);
		// The last 64 samples of the previous window, then room for the next 512; `filled` of those are in.
		const window = new Float32Array(CONTEXT_SAMPLES + WINDOW_SAMPLES);
		let filled = 0;
		openStreams++;
		const score = async (): Promise<number> => {
			if (!state) throw new TypeError('This speech stream was closed.');
			const result = await session.run({
				input: new ort.Tensor('float32', window.slice(), [1, window.length]),
				state,
				sr: rate
			});
			const probability = result.output?.data[0];
			const next = result.stateN;
			if (typeof probability !== 'number' || !next) {
				throw new TypeError('The model did not return a speech probability and a state (output, stateN).');
			}
			state = next;
			window.copyWithin(0, WINDOW_SAMPLES);
			filled = 0;
			return probability;
		};
		return {
			async push(samples, signal) {
				if (!state) throw new TypeError('This speech stream was closed.');
				const out = new Float32Array(Math.floor((filled + samples.length) / WINDOW_SAMPLES));
				let read = 0;
				for (let i = 0; i < out.length; i++) {
					if (signal.aborted) throw signal.reason;
					const take = WINDOW_SAMPLES - filled;
					window.set(samples.subarray(read, read + take), CONTEXT_SAMPLES + filled);
					read += take;
					out[i] = await score();
				}
				window.set(samples.subarray(read), CONTEXT_SAMPLES + filled);
				filled += samples.length - read;
				return out;
			},
			async flush(signal) {
				if (filled === 0) return new Float32Array(0);
				if (signal.aborted) throw signal.reason;
				window.fill(0, CONTEXT_SAMPLES + filled);
				return Float32Array.of(await score());
			},
			close() {
				if (state) openStreams--;
				state = null;
			}
		};
	};
	return {
		async probabilities(samples, signal) {
			const stream = open();
			try {
				const whole = await stream.push(samples, signal);
				const last = await stream.flush(signal);
				const out = new Float32Array(whole.length + last.length);
				out.set(whole);
				out.set(last, whole.length);
				return out;
			} finally {
				stream.close();
			}
		},
		open,
		get openStreams() {
			return openStreams;
		},
		dispose: () => session.release()
	};
}

export const vadPipeline: OnnxPipeline<VadPipe> = {
	kind: 'onnx',
	files: () => [GRAPH],
	// Hundreds of tiny sequential runs: WebGPU's per-run overhead would cost more than the model itself.
	devices: ['wasm'],
	async load(model) {
		return vadPipe(await model.session(GRAPH), model.ort);
	}
};

export const voiceActivityDetection = {
	id: 'voice-activity-detection',
	// @huggingface/tasks names this task but has no summary for it.
	summary: 'Finds where in a recording someone is speaking.',
	pipeline: vadPipeline,
	modality: 'audio',
	defaultModels: { huggingface: 'snakers4/silero-vad', bundled: 'snakers4/silero-vad' },
	params: ['audio', 'sample', 'threshold', 'min_speech_ms', 'min_silence_ms', 'pad_ms'],
	examples: [
		// The first is the warm-up: a voice-like sound between two silences, which Silero hears as speech.
		{ audio: vadSampleClip('voice'), url: '', sample: 'voice', ...DEFAULTS, live: null },
		{ audio: vadSampleClip('silence'), url: '', sample: 'silence', ...DEFAULTS, live: null },
		{
			audio: null,
			url: 'https://huggingface.co/datasets/Xenova/transformers.js-docs/resolve/main/jfk.wav',
			sample: '',
			...DEFAULTS,
			live: null
		}
	],
	interruptible: true,
	parseInput(params, issues) {
		let url = params.get('audio') ?? '';
		const problem = url === '' ? null : whyNotImageUrl(url, 'audio');
		if (problem !== null) {
			issues.push({ param: 'audio', message: problem });
			url = '';
		}
		const sample = params.get('sample') ?? '';
		if (sample !== '' && !isVadSampleName(sample)) {
			issues.push({
				param: 'sample',
				message: `sample must be one of ${Object.keys(VAD_SAMPLES).join(', ')}.`
			});
		}
		const named = isVadSampleName(sample) && url === '' ? sample : '';
		const ms = (name: string, fallback: number) =>
			readIntParam(params, name, { min: 0, max: 10_000, fallback }, issues);
		return {
			audio: named ? vadSampleClip(named) : null,
			url,
			sample: named,
			threshold: readThreshold(params, issues),
			minSpeechMs: ms('min_speech_ms', DEFAULTS.minSpeechMs),
			minSilenceMs: ms('min_silence_ms', DEFAULTS.minSilenceMs),
			padMs: ms('pad_ms', DEFAULTS.padMs),
			live: null
		};
	},
	serializeInput(input): Record<string, string> {
		// The samples of a file or recording cannot travel in a link; a web address or a sample's name can.
		const params: Record<string, string> = {};
		if (input.url) params.audio = input.url;
		else if (input.sample) params.sample = input.sample;
		if (input.threshold !== DEFAULTS.threshold) params.threshold = String(input.threshold);
		if (input.minSpeechMs !== DEFAULTS.minSpeechMs) params.min_speech_ms = String(input.minSpeechMs);
		if (input.minSilenceMs !== DEFAULTS.minSilenceMs) params.min_silence_ms = String(input.minSilenceMs);
		if (input.padMs !== DEFAULTS.padMs) params.pad_ms = String(input.padMs);
		return params;
	},
	whyNotRunnable(input) {
		const problem = whyNotThreshold(input.threshold) ?? whyNotDurations(input);
		if (problem !== null) return problem;
		if (input.live !== null) return whyNotLive(input.live);
		if (input.audio !== null) return null;
		return input.url
			? 'Waiting for the audio from its address…'
			: 'Choose an audio file, record one, give its web address, or listen live.';
	},
	async run(pipe, input, context) {
		if (input.live !== null) return listenLive(pipe, input, input.live, context);
		const audio = input.audio;
		if (audio === null || !(audio.data instanceof Float32Array) || audio.data.length === 0) {
			throw new TypeError('There is no decoded audio to look for speech in.');
		}
		const samples = resampleLinear(audio.data, audio.samplingRate, SAMPLING_RATE);
		const probabilities = await pipe.probabilities(samples, context.signal);
		return speechOutput(probabilities, samples.length, peakEnvelope(samples, ENVELOPE_BUCKETS), input);
	}
} as const satisfies TaskSpec<VoiceActivityInput, VoiceActivityOutput, VoiceActivityPartial, VadPipe>;

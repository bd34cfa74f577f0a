// Live voice activity detection, worker side. A live session is one ordinary run of the task whose input
// carries a MessagePort (transferred with the run request) instead of a clip: the page posts microphone audio
// on it in pieces at the microphone's own rate, the run resamples them to 16 kHz, keeps Silero's recurrent state
// between them (a VadStream), and emits a partial result after each piece (segments so far, the speech in
// progress, the last seconds of the trace); Stop, Cancel, the time limit or a silent page end it with the
// whole session's output, exactly as if the heard audio had been one clip. The state lives and dies with the
// run, so nothing outlives a session. The port tells the page when the run began listening (so the page sends
// nothing while the model loads, rather than a backlog) and when it ended (so it lets go of the microphone).

import { SAMPLING_RATE } from './audio-classification';
import type { RunContext } from './types';
import {
	inSeconds,
	padRanges,
	round,
	segmentRules,
	speechOutput,
	SpeechTracker,
	WINDOW_SAMPLES,
	type SpeechSettings
} from './speech-segments';
import type { SpeechSegment, VadPipe, VadStream, VoiceActivityOutput } from './voice-activity-detection';

/** The longest live session, in seconds (the page stops earlier, at its own limit). */
export const MAX_LIVE_SECONDS = 300;
/** A session whose page sends nothing for this long ends (its page is gone or stuck): the model is freed. */
export const LIVE_IDLE_MS = 10_000;
/** How much of the recent past each partial result carries for the scrolling trace. */
export const TRACE_SECONDS = 10;
const TRACE_WINDOWS = Math.ceil((TRACE_SECONDS * SAMPLING_RATE) / WINDOW_SAMPLES);

/** A live session's end of the channel, as the run's input carries it. */
export interface LiveAudio {
	/** Audio comes in on it (LiveAudioMessage); the run says when it listens and when it ended (LiveStatusMessage). */
	port: MessagePort;
	/** The rate of the pieces (the microphone's AudioContext rate). */
	samplingRate: number;
	/** The session ends by itself after this much audio, in seconds. */
	limitSeconds: number;
}

/** From the page: a piece of mono audio (transferred), or Stop. */
export type LiveAudioMessage = { kind: 'audio'; samples: Float32Array } | { kind: 'stop' };

/** Why a session ended: the person stopped or cancelled it, it reached its limit, or the page went quiet. */
export type LiveEnd = 'stopped' | 'cancelled' | 'limit' | 'idle' | 'failed';

/** From the run: it takes audio from now on; later, once, the session is over and takes no more. */
export type LiveStatusMessage = { kind: 'listening' } | { kind: 'ended'; reason: LiveEnd };

/** What the page shows while listening. */
export interface VoiceActivityPartial {
	/** Seconds of audio scored so far. */
	heard: number;
	limitSeconds: number;
	/** Speech that has ended, padded as the final list will be (a later neighbour may trim its padding). */
	segments: SpeechSegment[];
	/** Where the speech going on now began, in seconds, or null during silence. */
	speakingSince: number | null;
	windowSeconds: number;
	/** The last TRACE_SECONDS: each window's speech probability and peak amplitude, from `from` seconds on. */
	trace: { from: number; probabilities: number[]; peaks: number[] };
}

/** Why live audio settings cannot run, or null. */
export function whyNotLive(live: LiveAudio): string | null {
	if (typeof MessagePort === 'undefined' || !(live.port instanceof MessagePort)) {
		return 'A live session needs a message port for its audio.';
	}
	if (!Number.isFinite(live.samplingRate) || live.samplingRate < 3000 || live.samplingRate > 768_000) {
		return 'The microphone’s sampling rate must be between 3000 and 768000 Hz.';
	}
	if (!(live.limitSeconds > 0 && live.limitSeconds <= MAX_LIVE_SECONDS)) {
		return `A live session may last from 0 to ${MAX_LIVE_SECONDS} seconds.`;
	}
	return null;
}

/**
 * Linear resampling of audio that comes in pieces, sample for sample what resampleLinear gives for the whole:
 * an output sample is made once both its neighbours are in and once it surely lies within the whole's length;
 * finish() makes the last ones as resampleLinear does at the clip's end.
 */
export class StreamResampler {
	readonly #step: number;
	readonly #ratio: number;
	#kept = new Float32Array(0);
	/** Absolute index of #kept[0], samples received, and the next output sample to make. */
	#offset = 0;
	#received = 0;
	#next = 0;

	constructor(from: number, to: number) {
		this.#step = from / to;
		this.#ratio = to / from;
	}

	#sample(index: number): number {
		return this.#kept[index - this.#offset] ?? 0;
	}

	#interpolate(i: number, last: number): number {
		const position = i * this.#step;
		const left = Math.min(Math.floor(position), last);
		const right = Math.min(left + 1, last);
		const fraction = position - left;
		return this.#sample(left) * (1 - fraction) + this.#sample(right) * fraction;
	}

	push(chunk: Float32Array): Float32Array {
		if (this.#step === 1) return chunk;
		const kept = new Float32Array(this.#kept.length + chunk.length);
		kept.set(this.#kept);
		kept.set(chunk, this.#kept.length);
		this.#kept = kept;
		this.#received += chunk.length;
		const out: number[] = [];
		// Both neighbours in, and i < round(n * ratio) for every length n the whole may still reach.
		for (
			let i = this.#next;
			Math.floor(i * this.#step) + 1 < this.#received && i + 0.5 < this.#received * this.#ratio;
			i++
		) {
			out.push(this.#interpolate(i, this.#received - 1));
			this.#next = i + 1;
		}
		const drop = Math.min(Math.floor(this.#next * this.#step), this.#received - 1) - this.#offset;
		if (drop > 0) {
			this.#kept = this.#kept.slice(drop);
			this.#offset += drop;
		}
		return Float32Array.from(out);
	}

	/** The samples left at the end of the whole. */
	finish(): Float32Array {
		if (this.#step === 1 || this.#received === 0) return new Float32Array(0);
		const total = Math.max(1, Math.round(this.#received * this.#ratio));
		const out = new Float32Array(Math.max(0, total - this.#next));
		for (let i = this.#next; i < total; i++) out[i - this.#next] = this.#interpolate(i, this.#received - 1);
		this.#next = total;
		return out;
	}
}

/** One live session's state: pieces of audio in, probabilities, speech so far and the final output out. */
export class LiveVadSession {
	readonly #stream: VadStream;
	readonly #settings: SpeechSettings;
	readonly #resampler: StreamResampler;
	readonly #tracker: SpeechTracker;
	readonly #limit: number;
	readonly limitSeconds: number;
	readonly #probabilities: number[] = [];
	/** Each scored window's peak amplitude, and the peak of the window being filled. */
	readonly #peaks: number[] = [];
	#peak = 0;
	/** 16 kHz samples taken so far. */
	#samples = 0;

	constructor(stream: VadStream, settings: SpeechSettings, samplingRate: number, limitSeconds: number) {
		this.#stream = stream;
		this.#settings = settings;
		this.#resampler = new StreamResampler(samplingRate, SAMPLING_RATE);
		this.#tracker = new SpeechTracker(segmentRules(settings, 0));
		this.limitSeconds = limitSeconds;
		this.#limit = Math.round(limitSeconds * SAMPLING_RATE);
	}

	/** Whether the time limit has been reached (later audio is dropped). */
	get full(): boolean {
		return this.#samples >= this.#limit;
	}

	/** Takes a piece of audio at the session's rate and scores every window it completes. */
	async push(chunk: Float32Array, signal: AbortSignal): Promise<void> {
		await this.#take(this.#resampler.push(chunk), signal);
	}

	async #take(resampled: Float32Array, signal: AbortSignal): Promise<void> {
		const samples = resampled.subarray(0, Math.max(0, this.#limit - this.#samples));
		for (const sample of samples) {
			this.#peak = Math.max(this.#peak, Math.abs(sample));
			if (++this.#samples % WINDOW_SAMPLES === 0) {
				this.#peaks.push(this.#peak);
				this.#peak = 0;
			}
		}
		for (const probability of await this.#stream.push(samples, signal)) {
			this.#probabilities.push(probability);
			this.#tracker.push(probability);
		}
	}

	partial(): VoiceActivityPartial {
		const { padSamples } = segmentRules(this.#settings, this.#samples);
		const onset = this.#tracker.onset;
		const open = onset === null ? [] : [{ start: onset, end: this.#samples }];
		const padded = padRanges([...this.#tracker.found, ...open], padSamples, this.#samples).map(inSeconds);
		const speaking = onset === null ? undefined : padded.pop();
		const from = Math.max(0, this.#probabilities.length - TRACE_WINDOWS);
		return {
			heard: round(this.#samples / SAMPLING_RATE, 3),
			limitSeconds: this.limitSeconds,
			segments: padded,
			speakingSince: speaking?.start ?? null,
			windowSeconds: WINDOW_SAMPLES / SAMPLING_RATE,
			trace: {
				from: round((from * WINDOW_SAMPLES) / SAMPLING_RATE, 3),
				probabilities: this.#probabilities.slice(from).map((p) => round(p, 3)),
				peaks: this.#peaks.slice(from).map((p) => round(p, 3))
			}
		};
	}

	/** Scores what is left (the resampler's tail, the last part-window) and returns the session's output. */
	async finish(signal: AbortSignal): Promise<VoiceActivityOutput> {
		await this.#take(this.#resampler.finish(), signal);
		for (const probability of await this.#stream.flush(signal)) {
			this.#probabilities.push(probability);
			this.#peaks.push(this.#peak);
		}
		return speechOutput(this.#probabilities, this.#samples, this.#peaks, this.#settings);
	}
}

/** Messages from a port, one at a time, or why none came: the run was cancelled, or the page went quiet. */
class PortInbox<T> {
	readonly #port: MessagePort;
	readonly #queue: T[] = [];
	#wake: (() => void) | null = null;

	constructor(port: MessagePort) {
		this.#port = port;
		// Setting onmessage starts the port; messages sent before the run began were queued on it.
		port.onmessage = (event: MessageEvent<T>) => {
			this.#queue.push(event.data);
			this.#wake?.();
		};
	}

	get waiting(): number {
		return this.#queue.length;
	}

	next(signal: AbortSignal, idleMs: number): Promise<T | 'aborted' | 'idle'> {
		if (signal.aborted) return Promise.resolve('aborted');
		if (this.#queue.length > 0) return Promise.resolve(this.#queue.shift() as T);
		return new Promise((resolve) => {
			const settle = (value: T | 'aborted' | 'idle') => {
				clearTimeout(timer);
				signal.removeEventListener('abort', onAbort);
				this.#wake = null;
				resolve(value);
			};
			const onAbort = () => settle('aborted');
			const timer = setTimeout(() => settle('idle'), idleMs);
			signal.addEventListener('abort', onAbort, { once: true });
			this.#wake = () => settle(this.#queue.shift() as T);
		});
	}

	tell(message: LiveStatusMessage): void {
		this.#port.postMessage(message);
	}

	/** Tells the page the session ended, and closes the port. */
	end(reason: LiveEnd): void {
		this.#port.onmessage = null;
		this.tell({ kind: 'ended', reason });
		this.#port.close();
	}
}

/**
 * Runs one live session to its end (see the header). Cancelling keeps what was heard, as a cancelled generation
 * keeps its text: the pieces are scored whole, so the run's signal is only looked at between them.
 */
export async function listenLive(
	pipe: VadPipe,
	settings: SpeechSettings,
	live: LiveAudio,
	context: Pick<RunContext<VoiceActivityPartial>, 'signal' | 'emit'>,
	idleMs = LIVE_IDLE_MS
): Promise<VoiceActivityOutput> {
	const problem = whyNotLive(live);
	if (problem !== null) throw new TypeError(problem);
	const inbox = new PortInbox<LiveAudioMessage>(live.port);
	const stream = pipe.open();
	const steady = new AbortController().signal;
	let reason: LiveEnd = 'failed';
	try {
		const session = new LiveVadSession(stream, settings, live.samplingRate, live.limitSeconds);
		inbox.tell({ kind: 'listening' });
		for (;;) {
			const next = await inbox.next(context.signal, idleMs);
			if (next === 'aborted') reason = 'cancelled';
			else if (next === 'idle') reason = 'idle';
			else if (next.kind === 'stop') reason = 'stopped';
			else if (!(next.samples instanceof Float32Array)) {
				throw new TypeError('Live audio must come as Float32Array pieces.');
			} else {
				await session.push(next.samples, steady);
				if (session.full) reason = 'limit';
				// Behind the microphone, the pieces waiting are scored first: one partial for all of them.
				else if (inbox.waiting === 0) context.emit(session.partial());
			}
			if (reason !== 'failed') break;
		}
		const ended = reason;
		reason = 'failed';
		const output = await session.finish(steady);
		reason = ended;
		return output;
	} finally {
		stream.close();
		inbox.end(reason);
	}
}

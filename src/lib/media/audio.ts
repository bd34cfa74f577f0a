// Page-side audio intake for audio tasks: fetches a clip by URL (saying which way the host refused), decodes a
// file, fetched blob or recording with the browser's own decoders to find out what it really is, refuses empty,
// unreadable, cut-short and overlong clips with a message, and renders it to 16 kHz mono so that only that small
// buffer crosses to the worker. Also records from the microphone with a level meter and a time limit.

import { SAMPLING_RATE, type AudioClip } from '$lib/tasks/audio-source';

/** Longer clips are refused: ten minutes at 16 kHz is already 38 MiB of samples. */
export const MAX_SECONDS = 600;
/** Recordings stop by themselves after this long. */
export const MAX_RECORDING_SECONDS = 30;

/** Audio the page could not use, with a message for the person who gave it. */
export class AudioInputError extends Error {
	override name = 'AudioInputError';
}

/** Why a clip of this length is refused, or null when it is fine. */
export function whyNotDuration(seconds: number): string | null {
	if (!(seconds > 0)) return 'The audio has no samples.';
	if (seconds > MAX_SECONDS) {
		return `The audio is ${formatSeconds(seconds)} long; the limit is ${formatSeconds(MAX_SECONDS)}.`;
	}
	return null;
}

/** A duration as a person reads it: "4.2 s", "12:05". */
export function formatSeconds(seconds: number): string {
	if (seconds < 60) return `${seconds.toFixed(1)} s`;
	const whole = Math.round(seconds);
	return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, '0')}`;
}

/** Root mean square of a block of samples, for the level meter (0 silent, about 0.7 for a full-scale sine). */
export function rootMeanSquare(samples: Float32Array): number {
	let sum = 0;
	for (const sample of samples) sum += sample * sample;
	return samples.length === 0 ? 0 : Math.sqrt(sum / samples.length);
}

/** Less of a WAV's promised data than this share is refused; files missing a few bytes still play. */
const WAV_PRESENT_SHARE = 0.99;

/**
 * Why a WAV file is cut short, or null when it is whole or not a WAV. Browsers decode a truncated WAV without
 * complaint (a header promising a second of sound and ten bytes of it gives ten bytes), so its header is read.
 */
export function whyNotWav(bytes: Uint8Array): string | null {
	const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	const ascii = (offset: number) => String.fromCharCode(...bytes.subarray(offset, offset + 4));
	if (bytes.length < 12 || ascii(0) !== 'RIFF' || ascii(8) !== 'WAVE') return null;
	let byteRate = 0;
	for (let offset = 12; offset + 8 <= bytes.length;) {
		const id = ascii(offset);
		const size = view.getUint32(offset + 4, true);
		if (id === 'fmt ' && offset + 20 <= bytes.length) byteRate = view.getUint32(offset + 16, true);
		if (id === 'data') {
			// Recorders that could not seek back write 0 or the largest size: "until the end of the file".
			if (size === 0 || size === 0xffffffff) return null;
			const present = bytes.length - offset - 8;
			if (present >= size * WAV_PRESENT_SHARE) return null;
			const amount = (count: number) => (byteRate > 0 ? formatSeconds(count / byteRate) : `${count} bytes`);
			return `the file is cut short: its header promises ${amount(size)} of audio but holds only ${amount(present)}.`;
		}
		// Chunks are padded to an even length.
		offset += 8 + size + (size % 2);
	}
	return null;
}

/** A 16-bit PCM mono WAV of a clip: what the player plays (the samples themselves go to the worker). */
export function encodeWav(clip: AudioClip): Uint8Array<ArrayBuffer> {
	const bytes = new Uint8Array(44 + clip.data.length * 2);
	const view = new DataView(bytes.buffer);
	const text = (offset: number, value: string) => {
		for (let i = 0; i < value.length; i++) view.setUint8(offset + i, value.charCodeAt(i));
	};
	text(0, 'RIFF');
	view.setUint32(4, bytes.length - 8, true);
	text(8, 'WAVE');
	text(12, 'fmt ');
	view.setUint32(16, 16, true);
	view.setUint16(20, 1, true); // PCM
	view.setUint16(22, 1, true); // mono
	view.setUint32(24, clip.samplingRate, true);
	view.setUint32(28, clip.samplingRate * 2, true);
	view.setUint16(32, 2, true);
	view.setUint16(34, 16, true);
	text(36, 'data');
	view.setUint32(40, clip.data.length * 2, true);
	clip.data.forEach((sample, i) => {
		const clamped = Math.max(-1, Math.min(1, sample));
		view.setInt16(44 + i * 2, Math.round(clamped * 0x7fff), true);
	});
	return bytes;
}

/** Decodes a file, fetched blob or recording to SAMPLING_RATE mono samples. */
export async function decodeAudio(blob: Blob, name: string): Promise<AudioClip> {
	if (blob.size === 0) throw new AudioInputError(`${name} is empty (0 bytes).`);
	// Any rate will do for decoding; the offline render below resamples with the browser's own filter.
	const decoder = new OfflineAudioContext(1, 1, SAMPLING_RATE);
	const bytes = await blob.arrayBuffer();
	// Read before decoding, which detaches the buffer.
	const cut = whyNotWav(new Uint8Array(bytes));
	if (cut !== null) throw new AudioInputError(`${name}: ${cut}`);
	let decoded: AudioBuffer;
	try {
		// Decoding, not the file name or its claimed type, says whether this is audio.
		decoded = await decoder.decodeAudioData(bytes);
	} catch {
		throw new AudioInputError(
			`${name} is not audio this browser can read (it may be corrupt or another kind of file).`
		);
	}
	const problem = whyNotDuration(decoded.duration);
	if (problem !== null) throw new AudioInputError(`${name}: ${problem}`);
	const length = Math.max(1, Math.ceil(decoded.duration * SAMPLING_RATE));
	// A mono destination mixes the channels down (speaker interpretation: the average for stereo).
	const renderer = new OfflineAudioContext(1, length, SAMPLING_RATE);
	const source = renderer.createBufferSource();
	source.buffer = decoded;
	source.connect(renderer.destination);
	source.start();
	const rendered = await renderer.startRendering();
	return { samplingRate: SAMPLING_RATE, data: rendered.getChannelData(0).slice() };
}

/** Fetches audio from the web, with a message naming what went wrong when the host refuses. */
export async function fetchAudio(url: string): Promise<Blob> {
	let response: Response;
	try {
		response = await fetch(url, { mode: 'cors', credentials: 'omit' });
	} catch {
		// The browser hides the reason: a missing CORS header, a refused connection and DNS failures look alike.
		throw new AudioInputError(
			`Could not fetch ${url}: the host did not allow this page to read it (no CORS headers) or could not be reached. Download the audio and choose the file instead.`
		);
	}
	if (!response.ok) {
		throw new AudioInputError(`Could not fetch ${url}: the host answered HTTP ${response.status}.`);
	}
	const type = (response.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
	// Hosts often send audio as octet-stream; decoding decides then. Text and pages are surely not audio.
	if (type.startsWith('text/') || type.includes('html') || type.includes('json')) {
		throw new AudioInputError(`${url} is not audio: the host sent “${type}”.`);
	}
	return response.blob();
}

/** Why the microphone could not be opened, in words. */
export function microphoneProblem(error: unknown): string {
	const name = error instanceof Error || error instanceof DOMException ? error.name : '';
	if (name === 'NotAllowedError' || name === 'SecurityError') {
		return 'The microphone was not allowed: allow it for this site in the browser’s address bar, or choose a file.';
	}
	if (name === 'NotFoundError' || name === 'OverconstrainedError') {
		return 'No microphone was found: plug one in, or choose a file.';
	}
	if (name === 'NotReadableError')
		return 'The microphone is in use by another program or could not be started.';
	return `The microphone could not be opened: ${error instanceof Error ? error.message : String(error)}`;
}

/** One recording from the microphone: a level callback while it runs, the recorded blob when it stops. */
export class MicrophoneRecording {
	#stream: MediaStream;
	#recorder: MediaRecorder;
	#context: AudioContext;
	#timer: ReturnType<typeof setTimeout>;
	#frame = 0;
	#reachedLimit = false;
	readonly done: Promise<Blob>;
	/** The time limit this recording stops at, in seconds. */
	readonly limitSeconds: number;

	private constructor(stream: MediaStream, onlevel: (level: number) => void, limitSeconds: number) {
		this.limitSeconds = limitSeconds;
		this.#stream = stream;
		this.#recorder = new MediaRecorder(stream);
		const chunks: Blob[] = [];
		this.#recorder.ondataavailable = (event) => chunks.push(event.data);
		this.done = new Promise((resolve) => {
			this.#recorder.onstop = () => {
				this.#release();
				resolve(new Blob(chunks, { type: this.#recorder.mimeType }));
			};
		});
		// The meter reads the stream through an analyser; nothing reaches the speakers.
		this.#context = new AudioContext();
		const analyser = this.#context.createAnalyser();
		analyser.fftSize = 1024;
		this.#context.createMediaStreamSource(stream).connect(analyser);
		const block = new Float32Array(analyser.fftSize);
		const meter = () => {
			analyser.getFloatTimeDomainData(block);
			onlevel(rootMeanSquare(block));
			this.#frame = requestAnimationFrame(meter);
		};
		meter();
		this.#recorder.start();
		this.#timer = setTimeout(() => {
			this.#reachedLimit = true;
			this.stop();
		}, limitSeconds * 1000);
	}

	/**
	 * Asks for the microphone and starts recording; throws AudioInputError with a message when it cannot.
	 * The recording stops by itself after limitSeconds.
	 */
	static async start(
		onlevel: (level: number) => void,
		limitSeconds = MAX_RECORDING_SECONDS
	): Promise<MicrophoneRecording> {
		if (!navigator.mediaDevices?.getUserMedia || typeof MediaRecorder === 'undefined') {
			throw new AudioInputError('This browser cannot record audio here (it needs a secure https page).');
		}
		let stream: MediaStream;
		try {
			stream = await navigator.mediaDevices.getUserMedia({ audio: true });
		} catch (error) {
			throw new AudioInputError(microphoneProblem(error));
		}
		return new MicrophoneRecording(stream, onlevel, limitSeconds);
	}

	/** Whether the time limit, not the person, stopped the recording. */
	get reachedLimit(): boolean {
		return this.#reachedLimit;
	}

	stop(): void {
		if (this.#recorder.state !== 'inactive') this.#recorder.stop();
	}

	#release(): void {
		clearTimeout(this.#timer);
		cancelAnimationFrame(this.#frame);
		for (const track of this.#stream.getTracks()) track.stop();
		void this.#context.close();
	}
}

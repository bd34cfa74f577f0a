// State of live listening on the voice-activity-detection page: opens the microphone and a MessageChannel whose
// far end goes to the worker inside one run's input; once the run says it listens (the model may first have to
// load), posts the microphone's pieces on it (transferred) until Stop or the time limit, and lets go of
// everything once the run has ended. The run itself (loading the model, partial results, the final list) is
// the page's ordinary TaskRun; this only feeds it.

import { AudioInputError, formatSeconds, microphoneProblem } from '$lib/media/audio';
import type { LiveAudio, LiveAudioMessage, LiveEnd, LiveStatusMessage } from '../voice-activity-live';
import { LiveMicrophone } from './live-microphone';

/** Live sessions stop by themselves after this long. */
export const LIVE_LIMIT_SECONDS = 120;

/**
 * idle → opening (asking for the microphone) → starting (the run is loading the model; audio is not kept) →
 * listening → finishing (Stop sent; the run completes) → idle.
 */
export type ListeningState = 'idle' | 'opening' | 'starting' | 'listening' | 'finishing';

export class LiveListening {
	readonly limitSeconds: number;
	state = $state<ListeningState>('idle');
	/** Seconds of audio sent so far. */
	seconds = $state(0);
	/** Why listening could not start or went on, for the page to show. */
	problem = $state<string | null>(null);
	/** Said when the session ended by itself (its time limit). */
	note = $state<string | null>(null);
	#microphone: LiveMicrophone | null = null;
	#port: MessagePort | null = null;
	#sent = 0;
	#disposed = false;

	constructor(limitSeconds = LIVE_LIMIT_SECONDS) {
		this.limitSeconds = limitSeconds;
	}

	/**
	 * Opens the microphone; returns the live input for one run (its port goes to the worker with the run), or
	 * null with `problem` saying why not.
	 */
	async start(): Promise<LiveAudio | null> {
		if (this.state !== 'idle') return null;
		this.problem = null;
		this.note = null;
		this.seconds = 0;
		this.#sent = 0;
		this.state = 'opening';
		let microphone: LiveMicrophone;
		try {
			microphone = await LiveMicrophone.open(
				(piece) => this.#send(piece),
				() => this.#lost()
			);
		} catch (error) {
			this.state = 'idle';
			this.problem = error instanceof AudioInputError ? error.message : microphoneProblem(error);
			return null;
		}
		if (this.#disposed) {
			microphone.close();
			this.state = 'idle';
			return null;
		}
		const { port1, port2 } = new MessageChannel();
		port1.onmessage = (event: MessageEvent<LiveStatusMessage>) => {
			if (event.data.kind === 'ended') this.#ended(event.data.reason);
			else if (this.state === 'starting') this.state = 'listening';
		};
		this.#microphone = microphone;
		this.#port = port1;
		this.state = 'starting';
		return { port: port2, samplingRate: microphone.samplingRate, limitSeconds: this.limitSeconds };
	}

	#send(piece: Float32Array): void {
		const port = this.#port;
		const microphone = this.#microphone;
		if (this.state !== 'listening' || !port || !microphone) return;
		const limit = Math.round(this.limitSeconds * microphone.samplingRate);
		const samples = piece.length > limit - this.#sent ? piece.slice(0, limit - this.#sent) : piece;
		// Counted before posting: the transfer empties `samples` here.
		this.#sent += samples.length;
		port.postMessage({ kind: 'audio', samples } satisfies LiveAudioMessage, [samples.buffer]);
		this.seconds = this.#sent / microphone.samplingRate;
		if (this.#sent >= limit) {
			this.note = `Listening stopped by itself at the ${formatSeconds(this.limitSeconds)} limit.`;
			this.stop();
		}
	}

	/** Stop: the microphone goes off at once, and the run finishes with what it heard. */
	stop(): void {
		if (this.state !== 'listening' && this.state !== 'starting') return;
		this.#release();
		this.#port?.postMessage({ kind: 'stop' } satisfies LiveAudioMessage);
		this.state = 'finishing';
	}

	/** The run is over (the worker said so, or it never started or failed): lets go of everything. */
	finished(problem: string | null = null): void {
		this.#release();
		this.#port?.close();
		this.#port = null;
		if (problem !== null) this.problem = problem;
		this.state = 'idle';
	}

	/** The page is going away. */
	dispose(): void {
		this.#disposed = true;
		this.stop();
		this.finished();
	}

	#ended(reason: LiveEnd): void {
		if (reason === 'limit')
			this.note ??= `Listening stopped at the ${formatSeconds(this.limitSeconds)} limit.`;
		if (reason === 'idle') this.note = 'Listening stopped: no audio reached the model for a while.';
		this.finished();
	}

	#lost(): void {
		this.problem = 'The microphone stopped (it was unplugged or taken by another program).';
		this.stop();
	}

	#release(): void {
		this.#microphone?.close();
		this.#microphone = null;
	}
}

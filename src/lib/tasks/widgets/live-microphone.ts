// Page side of live listening: the microphone as a stream of mono pieces of about 100 ms at the AudioContext's
// own rate (the worker resamples them to 16 kHz, off the main thread). An AudioWorklet collects the pieces on
// the audio thread; where there is none (an insecure page, an old browser) a ScriptProcessor does it here.
// Asking for the microphone and its error messages are $lib/media/audio's.

import { AudioInputError, microphoneProblem } from '$lib/media/audio';

/** How much audio each piece holds, in seconds. */
export const PIECE_SECONDS = 0.1;

const PROCESSOR = 'browserve-live-capture';

/**
 * The worklet's processor. It is loaded from a blob URL made of this source, so it needs no module of its own
 * in the build (worklets cannot import the app's chunks anyway). It fills a piece from the first (mono) input
 * and transfers it to the page; its output stays silent, so nothing reaches the speakers.
 */
const PROCESSOR_SOURCE = `
class LiveCapture extends AudioWorkletProcessor {
	constructor(options) {
		super();
		this.size = options.processorOptions.pieceFrames;
		this.piece = new Float32Array(this.size);
		this.filled = 0;
	}
	process(inputs) {
		const channel = inputs[0] && inputs[0][0];
		if (channel) {
			for (let i = 0; i < channel.length; i++) {
				this.piece[this.filled++] = channel[i];
				if (this.filled === this.size) {
					this.port.postMessage(this.piece, [this.piece.buffer]);
					this.piece = new Float32Array(this.size);
					this.filled = 0;
				}
			}
		}
		return true;
	}
}
registerProcessor('${PROCESSOR}', LiveCapture);
`;

/** The open microphone; pieces go to `onpiece` until close(). */
export class LiveMicrophone {
	readonly samplingRate: number;
	readonly #stream: MediaStream;
	readonly #context: AudioContext;
	readonly #nodes: AudioNode[];
	#closed = false;

	private constructor(stream: MediaStream, context: AudioContext, nodes: AudioNode[]) {
		this.#stream = stream;
		this.#context = context;
		this.#nodes = nodes;
		this.samplingRate = context.sampleRate;
	}

	/**
	 * Asks for the microphone and starts sending pieces; throws AudioInputError with a message when it cannot.
	 * `onended` is told when the microphone goes away by itself (unplugged, taken by another program).
	 */
	static async open(onpiece: (samples: Float32Array) => void, onended: () => void): Promise<LiveMicrophone> {
		if (!navigator.mediaDevices?.getUserMedia) {
			throw new AudioInputError(
				'This browser cannot use the microphone here (it needs a secure https page).'
			);
		}
		let stream: MediaStream;
		try {
			stream = await navigator.mediaDevices.getUserMedia({ audio: true });
		} catch (error) {
			throw new AudioInputError(microphoneProblem(error));
		}
		// The device's own rate: some browsers refuse to connect a microphone to a context at another rate.
		const context = new AudioContext();
		try {
			const source = context.createMediaStreamSource(stream);
			const capture = await captureNode(context, onpiece);
			source.connect(capture);
			// Nodes only run while something pulls them: the silent output goes to the speakers.
			capture.connect(context.destination);
			// Opened after an await, the context may start suspended until it is asked to run.
			await context.resume();
			for (const track of stream.getAudioTracks()) track.addEventListener('ended', onended, { once: true });
			return new LiveMicrophone(stream, context, [source, capture]);
		} catch (error) {
			for (const track of stream.getTracks()) track.stop();
			void context.close();
			throw new AudioInputError(microphoneProblem(error));
		}
	}

	close(): void {
		if (this.#closed) return;
		this.#closed = true;
		for (const node of this.#nodes) node.disconnect();
		for (const track of this.#stream.getTracks()) track.stop();
		void this.#context.close();
	}
}

async function captureNode(
	context: AudioContext,
	onpiece: (samples: Float32Array) => void
): Promise<AudioNode> {
	const pieceFrames = Math.round(context.sampleRate * PIECE_SECONDS);
	if (context.audioWorklet && typeof AudioWorkletNode !== 'undefined') {
		const url = URL.createObjectURL(new Blob([PROCESSOR_SOURCE], { type: 'text/javascript' }));
		try {
			await context.audioWorklet.addModule(url);
		} finally {
			URL.revokeObjectURL(url);
		}
		const node = new AudioWorkletNode(context, PROCESSOR, {
			numberOfInputs: 1,
			numberOfOutputs: 1,
			outputChannelCount: [1],
			// A stereo microphone is mixed down to mono by the graph before the processor sees it.
			channelCount: 1,
			channelCountMode: 'explicit',
			channelInterpretation: 'speakers',
			processorOptions: { pieceFrames }
		});
		node.port.onmessage = (event: MessageEvent<Float32Array>) => onpiece(event.data);
		return node;
	}
	// Deprecated, but the only way without worklets; its buffer size must be a power of two (4096 ≈ 85 ms at 48 kHz).
	const node = context.createScriptProcessor(4096, 1, 1);
	node.onaudioprocess = (event) => onpiece(event.inputBuffer.getChannelData(0).slice());
	return node;
}

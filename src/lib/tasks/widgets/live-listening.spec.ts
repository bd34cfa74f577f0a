// Live listening's page-side state against a stand-in microphone and a real MessageChannel (the worker's end
// played by the spec): nothing is sent until the run says it listens, pieces go over transferred and counted,
// the time limit stops it with a note, Stop tells the run, the run's end lets go of the microphone, and a
// refused microphone leaves a message and no session.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { AudioInputError } from '$lib/media/audio';
import type { LiveAudio, LiveAudioMessage, LiveStatusMessage } from '../voice-activity-live';

interface StandIn {
	samplingRate: number;
	closed: boolean;
	piece(samples: Float32Array): void;
	lose(): void;
}

const microphones: StandIn[] = [];
let refusal: Error | null = null;

vi.mock('./live-microphone', () => ({
	LiveMicrophone: {
		async open(onpiece: (samples: Float32Array) => void, onended: () => void) {
			if (refusal) throw refusal;
			const microphone = {
				samplingRate: 1000,
				closed: false,
				piece: onpiece,
				lose: onended,
				close() {
					microphone.closed = true;
				}
			};
			microphones.push(microphone);
			return microphone;
		}
	}
}));

const { LiveListening } = await import('./live-listening.svelte');

/** The worker's end of a session: what it received, and a way to answer. */
function workerEnd(live: LiveAudio) {
	const received: LiveAudioMessage[] = [];
	live.port.onmessage = (event: MessageEvent<LiveAudioMessage>) => received.push(event.data);
	return {
		received,
		tell: (message: LiveStatusMessage) => live.port.postMessage(message),
		close: () => live.port.close()
	};
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 10));

describe('LiveListening', () => {
	beforeEach(() => {
		microphones.length = 0;
		refusal = null;
	});

	it('sends pieces only once the run listens, transferred and counted, and stops on Stop', async () => {
		const listening = new LiveListening(60);
		const live = (await listening.start())!;
		expect(live).toMatchObject({ samplingRate: 1000, limitSeconds: 60 });
		expect(listening.state).toBe('starting');
		const worker = workerEnd(live);
		const microphone = microphones[0]!;
		// While the model loads, audio is dropped rather than piled up.
		microphone.piece(new Float32Array(100));
		worker.tell({ kind: 'listening' });
		await tick();
		expect(listening.state).toBe('listening');
		const piece = new Float32Array(250).fill(0.5);
		microphone.piece(piece);
		expect(piece.length).toBe(0); // transferred, not copied
		expect(listening.seconds).toBe(0.25);
		listening.stop();
		expect(microphone.closed).toBe(true);
		expect(listening.state).toBe('finishing');
		await tick();
		expect(worker.received.map((message) => message.kind)).toEqual(['audio', 'stop']);
		expect(worker.received[0]).toMatchObject({ kind: 'audio', samples: new Float32Array(250).fill(0.5) });
		worker.tell({ kind: 'ended', reason: 'stopped' });
		await tick();
		expect(listening.state).toBe('idle');
		worker.close();
	});

	it('stops by itself at its time limit, sending exactly that much, and says so', async () => {
		const listening = new LiveListening(1);
		const worker = workerEnd((await listening.start())!);
		worker.tell({ kind: 'listening' });
		await tick();
		for (let i = 0; i < 3; i++) microphones[0]!.piece(new Float32Array(400));
		expect(listening.seconds).toBe(1);
		expect(listening.state).toBe('finishing');
		expect(listening.note).toMatch(/stopped by itself at the 1\.0 s limit/);
		await tick();
		const sent = worker.received.flatMap((message) =>
			message.kind === 'audio' ? [message.samples.length] : []
		);
		expect(sent).toEqual([400, 400, 200]);
		expect(worker.received.at(-1)).toEqual({ kind: 'stop' });
		worker.close();
	});

	it('lets go of the microphone when the run ends without Stop (cancelled, failed)', async () => {
		const listening = new LiveListening(60);
		const worker = workerEnd((await listening.start())!);
		listening.finished();
		expect(microphones[0]!.closed).toBe(true);
		expect(listening.state).toBe('idle');
		worker.close();
	});

	it('says so when the microphone goes away, and stops', async () => {
		const listening = new LiveListening(60);
		const worker = workerEnd((await listening.start())!);
		worker.tell({ kind: 'listening' });
		await tick();
		microphones[0]!.lose();
		expect(listening.problem).toMatch(/microphone stopped/);
		expect(listening.state).toBe('finishing');
		worker.close();
	});

	it('shows why a refused microphone cannot listen, and starts nothing', async () => {
		refusal = new AudioInputError('The microphone was not allowed: allow it for this site.');
		const listening = new LiveListening(60);
		expect(await listening.start()).toBeNull();
		expect(listening.state).toBe('idle');
		expect(listening.problem).toMatch(/not allowed/);
	});
});

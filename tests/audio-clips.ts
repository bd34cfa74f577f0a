// Audio for the end-to-end specs of the audio tasks, made in code so no sound files are needed: 16-bit PCM mono
// WAVs of tones (or of any samples) to upload or serve.

/** A stretch of a clip: a sine tone, amplitude 0 being silence. */
export interface ToneSpan {
	frequency: number;
	amplitude: number;
	seconds: number;
}

/** A 16-bit PCM mono WAV of the samples. */
export function pcmWav(samples: Int16Array, rate: number): Buffer {
	const wav = Buffer.alloc(44 + samples.length * 2);
	wav.write('RIFF', 0, 'latin1');
	wav.writeUInt32LE(wav.length - 8, 4);
	wav.write('WAVEfmt ', 8, 'latin1');
	wav.writeUInt32LE(16, 16);
	wav.writeUInt16LE(1, 20); // PCM
	wav.writeUInt16LE(1, 22); // mono
	wav.writeUInt32LE(rate, 24);
	wav.writeUInt32LE(rate * 2, 28);
	wav.writeUInt16LE(2, 32);
	wav.writeUInt16LE(16, 34);
	wav.write('data', 36, 'latin1');
	wav.writeUInt32LE(samples.length * 2, 40);
	samples.forEach((sample, i) => wav.writeInt16LE(sample, 44 + i * 2));
	return wav;
}

/** A WAV of tones one after another; the phase runs on across them, as one oscillator's would. */
export function tonesWav(spans: readonly ToneSpan[], rate = 44_100): Buffer {
	const count = spans.reduce((sum, span) => sum + Math.round(span.seconds * rate), 0);
	const samples = new Int16Array(count);
	let i = 0;
	for (const { frequency, amplitude, seconds } of spans) {
		for (const end = i + Math.round(seconds * rate); i < end; i++)
			samples[i] = Math.round(amplitude * 32767 * Math.sin((2 * Math.PI * frequency * i) / rate));
	}
	return pcmWav(samples, rate);
}

/** A WAV of one sine tone (amplitude 0 is silence). */
export function toneWav(frequency: number, amplitude: number, seconds = 1, rate = 44_100): Buffer {
	return tonesWav([{ frequency, amplitude, seconds }], rate);
}

// Draws speech the way both voice-activity views show it: a span of time with its speech shaded, the waveform
// as peaks up and down from the middle, and the model's speech probability traced over it (0 at the bottom,
// 1 at the top). The result draws a whole clip; live listening draws its last seconds, scrolling.

import type { SpeechSegment } from '../voice-activity-detection';

export interface SpeechPicture {
	/** The seconds at the left edge, and how many seconds the width shows. */
	from: number;
	span: number;
	segments: readonly SpeechSegment[];
	/** Peak amplitudes of equal slices of `peakSeconds`, the first starting at `peaksFrom`. */
	peaks: readonly number[];
	peaksFrom: number;
	peakSeconds: number;
	/** Speech probabilities of windows of `windowSeconds`, the first starting at `probabilitiesFrom`. */
	probabilities: readonly number[];
	probabilitiesFrom: number;
	windowSeconds: number;
}

export function drawSpeech(context: CanvasRenderingContext2D, picture: SpeechPicture): void {
	const { width, height } = context.canvas;
	const x = (seconds: number) => (picture.span > 0 ? ((seconds - picture.from) / picture.span) * width : 0);
	context.clearRect(0, 0, width, height);
	context.fillStyle = 'rgba(42, 157, 143, 0.25)';
	for (const segment of picture.segments) {
		const start = Math.max(0, x(segment.start));
		if (x(segment.end) > start) context.fillRect(start, 0, x(segment.end) - start, height);
	}
	context.fillStyle = '#264653';
	const slice = x(picture.from + picture.peakSeconds);
	picture.peaks.forEach((peak, i) => {
		const half = Math.max(0.5, peak * (height / 2 - 4));
		const left = x(picture.peaksFrom + i * picture.peakSeconds);
		context.fillRect(left, height / 2 - half, Math.max(1, slice), 2 * half);
	});
	context.strokeStyle = '#e76f51';
	context.lineWidth = 1.5;
	context.beginPath();
	picture.probabilities.forEach((p, i) => {
		const px = x(picture.probabilitiesFrom + (i + 0.5) * picture.windowSeconds);
		const py = height - 2 - p * (height - 4);
		if (i === 0) context.moveTo(px, py);
		else context.lineTo(px, py);
	});
	context.stroke();
}

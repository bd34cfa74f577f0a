// OCR's decoding, pure so it can be tested as tables: text boxes from the detector's probability map (threshold,
// connected regions, region score, PaddleOCR's "unclip" widening), greedy CTC decoding of the recogniser's
// per-step probabilities over PaddleOCR's character list, and boxes read in order, in lines.

import type { Box } from './ocr-image';

export interface DetectionRules {
	/** A map pixel at or above this is text. */
	threshold: number;
	/** A region whose mean probability is below this is dropped. */
	boxThreshold: number;
	/** How far a region's box is widened: area × ratio / perimeter on each side (the map shrinks text). */
	unclipRatio: number;
	/** Regions whose shorter side is below this (in map pixels) are noise. */
	minSide: number;
}

export const DETECTION_DEFAULTS: DetectionRules = {
	threshold: 0.3,
	boxThreshold: 0.6,
	unclipRatio: 1.5,
	minSide: 3
};

export interface ScoredBox extends Box {
	/** The region's mean text probability. */
	score: number;
}

/** Boxes around the 8-connected regions of a probability map, in map pixels. */
export function findBoxes(
	map: ArrayLike<number>,
	width: number,
	height: number,
	rules: DetectionRules = DETECTION_DEFAULTS
): ScoredBox[] {
	const seen = new Uint8Array(width * height);
	const boxes: ScoredBox[] = [];
	const stack: number[] = [];
	for (let start = 0; start < width * height; start++) {
		if (seen[start] || (map[start] ?? 0) < rules.threshold) continue;
		seen[start] = 1;
		stack.push(start);
		let [minX, minY, maxX, maxY, sum, count] = [width, height, -1, -1, 0, 0];
		while (stack.length > 0) {
			const at = stack.pop()!;
			const x = at % width;
			const y = (at - x) / width;
			minX = Math.min(minX, x);
			maxX = Math.max(maxX, x);
			minY = Math.min(minY, y);
			maxY = Math.max(maxY, y);
			sum += map[at] ?? 0;
			count++;
			for (let dy = -1; dy <= 1; dy++) {
				for (let dx = -1; dx <= 1; dx++) {
					const nx = x + dx;
					const ny = y + dy;
					if (nx < 0 || ny < 0 || nx >= width || ny >= height) continue;
					const next = ny * width + nx;
					if (!seen[next] && (map[next] ?? 0) >= rules.threshold) {
						seen[next] = 1;
						stack.push(next);
					}
				}
			}
		}
		const boxWidth = maxX - minX + 1;
		const boxHeight = maxY - minY + 1;
		const score = sum / count;
		if (Math.min(boxWidth, boxHeight) < rules.minSide || score < rules.boxThreshold) continue;
		const grow = (boxWidth * boxHeight * rules.unclipRatio) / (2 * (boxWidth + boxHeight));
		const x = Math.max(0, minX - grow);
		const y = Math.max(0, minY - grow);
		boxes.push({
			x,
			y,
			width: Math.min(width, maxX + 1 + grow) - x,
			height: Math.min(height, maxY + 1 + grow) - y,
			score
		});
	}
	return boxes;
}

/** A box in map pixels scaled to the image's pixels. */
export function scaleBox<B extends Box>(box: B, scaleX: number, scaleY: number): B {
	return {
		...box,
		x: box.x * scaleX,
		y: box.y * scaleY,
		width: box.width * scaleX,
		height: box.height * scaleY
	};
}

/** PaddleOCR's character list: index 0 is the CTC blank, then one character a line, then a space. */
export function parseCharacters(text: string): string[] {
	const lines = text.split('\n').map((line) => line.replace(/\r$/, ''));
	if (lines.at(-1) === '') lines.pop();
	return ['', ...lines, ' '];
}

/** What the recogniser read: the text, its mean confidence, and the step each character was read at. */
export interface DecodedText {
	text: string;
	score: number;
	/** Per character of `text` (as an array of characters), the CTC step it was read at. */
	steps: number[];
}

/**
 * Greedy CTC: the likeliest class at each step, repeats merged, blanks (class 0) dropped. The score is the mean
 * probability of the characters kept (0 when there are none).
 */
export function ctcDecode(
	probabilities: ArrayLike<number>,
	steps: number,
	classes: number,
	characters: readonly string[]
): DecodedText {
	let text = '';
	const at: number[] = [];
	let sum = 0;
	let kept = 0;
	let previous = 0;
	for (let t = 0; t < steps; t++) {
		let best = 0;
		let bestValue = -Infinity;
		for (let c = 0; c < classes; c++) {
			const value = probabilities[t * classes + c] ?? 0;
			if (value > bestValue) {
				bestValue = value;
				best = c;
			}
		}
		if (best !== 0 && best !== previous) {
			const character = characters[best] ?? '';
			text += character;
			for (let i = 0; i < [...character].length; i++) at.push(t);
			sum += bestValue;
			kept++;
		}
		previous = best;
	}
	return { text, score: kept > 0 ? sum / kept : 0, steps: at };
}

/**
 * Column ranges [from, to) of a text crop with no ink that are at least `minWidth` wide and lie between ink: the
 * gaps between words. Ink is whatever differs clearly from the crop's typical (median) brightness, so light text
 * on dark works too.
 */
export function inkGaps(
	luminance: ArrayLike<number>,
	width: number,
	height: number,
	minWidth: number
): [number, number][] {
	const values = Array.from({ length: width * height }, (_, i) => luminance[i] ?? 0);
	const sorted = [...values].sort((a, b) => a - b);
	const background = sorted[Math.floor(sorted.length / 2)] ?? 0;
	const range = (sorted.at(-1) ?? 0) - (sorted[0] ?? 0);
	const limit = Math.max(40, 0.4 * range);
	const inked: boolean[] = [];
	for (let x = 0; x < width; x++) {
		let ink = false;
		for (let y = 0; y < height && !ink; y++)
			ink = Math.abs((values[y * width + x] ?? 0) - background) > limit;
		inked.push(ink);
	}
	const first = inked.indexOf(true);
	const last = inked.lastIndexOf(true);
	const gaps: [number, number][] = [];
	for (let x = first + 1, start = -1; first >= 0 && x <= last; x++) {
		if (!inked[x] && start < 0) start = x;
		if (inked[x] && start >= 0) {
			if (x - start >= minWidth) gaps.push([start, x]);
			start = -1;
		}
	}
	return gaps;
}

/**
 * The text with a space wherever a word gap (given in CTC steps) falls between two characters the recogniser
 * read with no space between them: PP-OCR's recogniser, trained mostly on Chinese, often leaves out the spaces
 * between widely spaced capitals, though they are plain to see.
 */
export function spaceWords(decoded: DecodedText, gaps: readonly [number, number][]): string {
	const characters = [...decoded.text];
	const out: string[] = [];
	characters.forEach((character, i) => {
		const previous = characters[i - 1];
		const from = decoded.steps[i - 1];
		const to = decoded.steps[i];
		const between =
			from !== undefined &&
			to !== undefined &&
			gaps.some(([start, end]) => (start + end) / 2 > from && (start + end) / 2 < to);
		if (between && previous !== ' ' && character !== ' ') out.push(' ');
		out.push(character);
	});
	return out.join('');
}

/**
 * Items in reading order, grouped into lines: an item joins a line when its vertical middle falls within the
 * line's first item; lines top to bottom, items left to right.
 */
export function readingOrder<T extends { box: Box }>(items: readonly T[]): T[][] {
	const lines: T[][] = [];
	const sorted = [...items].sort((a, b) => a.box.y + a.box.height / 2 - (b.box.y + b.box.height / 2));
	for (const item of sorted) {
		const middle = item.box.y + item.box.height / 2;
		const line = lines.find((candidate) => {
			const first = candidate[0]!.box;
			return middle >= first.y && middle <= first.y + first.height;
		});
		if (line) line.push(item);
		else lines.push([item]);
	}
	for (const line of lines) line.sort((a, b) => a.box.x - b.box.x);
	return lines;
}

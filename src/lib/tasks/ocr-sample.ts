// OCR's built-in images, drawn in code with a small bitmap font so a link (`sample=hello`) and the warm-up run
// with no network and no font on the machine: dark text on a light page, each font pixel a soft square so the
// strokes look printed rather than pixelated.

import type { RgbaImage } from './image-classification';

// 7×9 glyphs, row by row; only the characters the samples use. O is round and full width, 0 narrow, so that
// they read apart as they do in printed type.
const GLYPHS: Readonly<Record<string, readonly string[]>> = {
	D: ['#####..', '#....#.', '#.....#', '#.....#', '#.....#', '#.....#', '#.....#', '#....#.', '#####..'],
	E: ['#######', '#......', '#......', '#......', '######.', '#......', '#......', '#......', '#######'],
	H: ['#.....#', '#.....#', '#.....#', '#.....#', '#######', '#.....#', '#.....#', '#.....#', '#.....#'],
	L: ['#......', '#......', '#......', '#......', '#......', '#......', '#......', '#......', '#######'],
	O: ['..###..', '.#...#.', '#.....#', '#.....#', '#.....#', '#.....#', '#.....#', '.#...#.', '..###..'],
	R: ['######.', '#.....#', '#.....#', '#.....#', '######.', '#...#..', '#....#.', '#.....#', '#.....#'],
	W: ['#.....#', '#.....#', '#.....#', '#.....#', '#..#..#', '#..#..#', '#.#.#.#', '##...##', '#.....#'],
	'0': ['.###.', '#...#', '#...#', '#...#', '#...#', '#...#', '#...#', '#...#', '.###.'],
	'2': ['.####.', '#....#', '.....#', '.....#', '....#.', '...#..', '..#...', '.#....', '######'],
	'4': ['....#.', '...##.', '..#.#.', '.#..#.', '#...#.', '######', '....#.', '....#.', '....#.']
};

export const OCR_SAMPLES = {
	hello: 'HELLO WORLD 2024',
	door: 'OLD RED DOOR 42'
} as const satisfies Record<string, string>;
export type OcrSampleName = keyof typeof OCR_SAMPLES;

/** Draws a line of text (letters the font has; others are left blank) at `scale` image pixels per font pixel. */
export function drawText(text: string, scale = 3): RgbaImage {
	const margin = 8 * scale;
	const advance = (char: string) => (char === ' ' ? 5 : (GLYPHS[char]?.[0]?.length ?? 7) + 2);
	const columns = [...text].reduce((sum, char) => sum + advance(char), 0);
	const width = columns * scale + 2 * margin;
	const height = 9 * scale + 2 * margin;
	const ink = new Float32Array(width * height);
	let left = margin;
	for (const char of text) {
		const glyph = GLYPHS[char];
		glyph?.forEach((row, gy) => {
			for (let gx = 0; gx < row.length; gx++) {
				if (row[gx] !== '#') continue;
				for (let y = 0; y < scale; y++)
					for (let x = 0; x < scale; x++) ink[(margin + gy * scale + y) * width + left + gx * scale + x] = 1;
			}
		});
		left += advance(char) * scale;
	}
	// One 3×3 box blur softens the squares' corners, as ink on paper would.
	const data = new Uint8ClampedArray(width * height * 4);
	for (let y = 0; y < height; y++) {
		for (let x = 0; x < width; x++) {
			let sum = 0;
			for (let dy = -1; dy <= 1; dy++)
				for (let dx = -1; dx <= 1; dx++) sum += ink[(y + dy) * width + x + dx] ?? 0;
			const grey = Math.round(250 - (230 * sum) / 9);
			data.set([grey, grey, grey, 255], (y * width + x) * 4);
		}
	}
	return { width, height, data };
}

export function ocrSampleImage(name: OcrSampleName): RgbaImage {
	return drawText(OCR_SAMPLES[name]);
}

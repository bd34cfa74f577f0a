// The image input every image task shares: a link's address and sample read by name (a slot's own names too),
// written back, the messages while there is no image, and pixels from the page checked before a run.

import { describe, expect, it } from 'vitest';
import type { ParamIssue } from './types';
import {
	decodedImage,
	drawSamples,
	imageSourceParams,
	isRgbaImage,
	readImageSource,
	whyNoImage,
	type RgbaImage
} from './image-source';

const dot = (grey: number): RgbaImage => ({
	width: 1,
	height: 1,
	data: new Uint8ClampedArray([grey, grey, grey, 255])
});
const samples = drawSamples({ dark: 20, light: 230 }, (name) => dot(name === 'dark' ? 20 : 230));

function read(query: string, names?: { image: string; sample: string }) {
	const issues: ParamIssue[] = [];
	return { source: readImageSource(new URLSearchParams(query), samples, issues, names), issues };
}

describe('image sources in share links', () => {
	it('reads a sample by name, drawn fresh, and an address, which wins over a sample', () => {
		expect(read('sample=light')).toEqual({
			source: { image: dot(230), url: '', sample: 'light' },
			issues: []
		});
		expect(read('sample=light&image=https://example.org/a.png')).toEqual({
			source: { image: null, url: 'https://example.org/a.png', sample: '' },
			issues: []
		});
	});

	it('reports bad values by the parameter names it was given', () => {
		expect(read('image=ftp://x/y.png&sample=grey').issues).toEqual([
			{ param: 'image', message: 'image must be an http:// or https:// address, not ftp:' },
			{ param: 'sample', message: 'sample must be one of dark, light.' }
		]);
		expect(read('image_b=nope&sample_b=grey', { image: 'image_b', sample: 'sample_b' }).issues).toEqual([
			{ param: 'image_b', message: 'image_b must be a full web address starting with http:// or https://.' },
			{ param: 'sample_b', message: 'sample_b must be one of dark, light.' }
		]);
	});

	it('writes an address, else a sample, never pixels', () => {
		const image = dot(0);
		expect(imageSourceParams({ image, url: 'https://example.org/a.png', sample: '' })).toEqual({
			image: 'https://example.org/a.png'
		});
		expect(
			imageSourceParams({ image, url: '', sample: 'dark' }, { image: 'image_a', sample: 'sample_a' })
		).toEqual({ sample_a: 'dark' });
		expect(imageSourceParams({ image, url: '', sample: '' })).toEqual({});
	});
});

describe('image sources before a run', () => {
	it('says what is missing, naming one image of several', () => {
		expect(whyNoImage({ image: null, url: '', sample: '' })).toBe(
			'Choose, drop or paste an image, or give its web address.'
		);
		expect(whyNoImage({ image: null, url: 'https://example.org/a.png', sample: '' }, 'image B')).toBe(
			'Waiting for image B from its address…'
		);
		expect(whyNoImage({ image: dot(0), url: '', sample: '' })).toBeNull();
	});

	it('refuses pixels that are not whole RGBA rows', () => {
		expect(isRgbaImage(dot(0))).toBe(true);
		expect(isRgbaImage({ width: 2, height: 1, data: new Uint8ClampedArray(4) })).toBe(false);
		expect(() => decodedImage(null, 'classify')).toThrow(
			new TypeError('There is no decoded image to classify.')
		);
	});
});

// The parts of image intake that need no browser: which sizes are refused and how big images are scaled.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fitWithin, MAX_SIDE, whyNotImageSize } from './image';

describe('image sizes', () => {
	it('refuses empty and over-50-megapixel images with the numbers', () => {
		expect(whyNotImageSize(0, 10)).toMatch(/no pixels/);
		expect(whyNotImageSize(10_000, 5_001)).toMatch(/10000×5001 .*limit is 50 megapixels/);
		expect(whyNotImageSize(10_000, 5_000)).toBeNull();
		expect(whyNotImageSize(1, 1)).toBeNull();
	});

	it('scales the longest side down to the limit, keeping the shape, and never up', () => {
		expect(fitWithin(4000, 3000)).toEqual({ width: MAX_SIDE, height: 768 });
		expect(fitWithin(16, 16)).toEqual({ width: 16, height: 16 });
		fc.assert(
			fc.property(fc.integer({ min: 1, max: 20_000 }), fc.integer({ min: 1, max: 20_000 }), (w, h) => {
				const fitted = fitWithin(w, h);
				expect(Math.max(fitted.width, fitted.height)).toBeLessThanOrEqual(MAX_SIDE);
				expect(fitted.width).toBeLessThanOrEqual(w);
				expect(fitted.height).toBeLessThanOrEqual(h);
				expect(Math.min(fitted.width, fitted.height)).toBeGreaterThanOrEqual(1);
			})
		);
	});
});

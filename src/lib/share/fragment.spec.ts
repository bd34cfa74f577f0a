import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FRAGMENT_KEY, linkParams, MAX_QUERY_LENGTH, packParams, shareUrl, unpackParams } from './fragment';

describe('share-link fragments', () => {
	it('round-trips any parameters, unicode and very long values included', async () => {
		await fc.assert(
			fc.asyncProperty(
				fc.array(
					fc.tuple(
						fc.string({ minLength: 1, maxLength: 20 }),
						fc.string({ unit: 'binary', maxLength: 3000 })
					),
					{ maxLength: 5 }
				),
				async (pairs) => {
					const params = new URLSearchParams(pairs);
					expect((await unpackParams(await packParams(params))).toString()).toBe(params.toString());
				}
			),
			{ numRuns: 60 }
		);
	});

	it('keeps short links plain and moves long inputs into the fragment', async () => {
		const short = new URLSearchParams({ model: 'a/b', text: 'hello', run: '1' });
		expect(await shareUrl('https://app/t', short, ['text'])).toBe(
			'https://app/t?model=a%2Fb&text=hello&run=1'
		);

		const text = 'Ünïcödé — a long article. '.repeat(500);
		const long = new URLSearchParams({ model: 'a/b', text, run: '1' });
		const url = new URL(await shareUrl('https://app/t', long, ['text']));
		expect(url.search).toBe('?model=a%2Fb&run=1');
		expect(url.hash.startsWith(`#${FRAGMENT_KEY}=`)).toBe(true);
		expect(url.href.length).toBeLessThan(MAX_QUERY_LENGTH);
		const back = await linkParams(url);
		expect(back.get('text')).toBe(text);
		expect(back.get('model')).toBe('a/b');
	});

	it('says clearly when the fragment was damaged', async () => {
		const packed = await packParams(new URLSearchParams({ text: 'x'.repeat(100) }));
		await expect(unpackParams(packed.slice(0, 5))).rejects.toThrow('damaged or cut off');
		await expect(unpackParams('not base64!')).rejects.toThrow('damaged or cut off');
	});
});

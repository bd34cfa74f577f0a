import { describe, expect, it } from 'vitest';
import { allowedHubs, isAllowed, notAllowedMessage, whyNotAllowed } from './allowlist';

const ORIGIN = 'https://app.example.org';
const HF = 'https://huggingface.co/';
const MIRROR = 'https://app.example.org/hub/';

describe('allowlist', () => {
	it.each([
		// entry, hub, model, allowed
		['/hub/', MIRROR, 'browserve/tiny-sentiment', true],
		['/hub', MIRROR, 'anyone/anything', true],
		['/hub/', HF, 'browserve/tiny-sentiment', false],
		['https://huggingface.co/Xenova', HF, 'Xenova/bert', true],
		['https://huggingface.co/Xenova/', HF, 'Xenova/bert', true],
		['https://huggingface.co/Xenova', HF, 'XenovaEvil/bert', false],
		['https://huggingface.co/Xenova', HF, 'onnx-community/bert', false],
		['https://huggingface.co/Xenova/bert', HF, 'Xenova/bert', true],
		['https://huggingface.co/Xenova/bert', HF, 'Xenova/bert-large', false],
		['https://huggingface.co', HF, 'Xenova/bert', true],
		['http://huggingface.co', HF, 'Xenova/bert', false]
	])('%s on %s for %s: %s', (entry, hub, model, allowed) => {
		expect(isAllowed(hub, model, [entry], ORIGIN)).toBe(allowed);
	});

	it('allows everything without an allowlist and nothing with an empty one', () => {
		expect(isAllowed(HF, 'a/b', null, ORIGIN)).toBe(true);
		expect(isAllowed(HF, 'a/b', undefined, ORIGIN)).toBe(true);
		expect(isAllowed(HF, 'a/b', [], ORIGIN)).toBe(false);
	});

	it('keeps the allowed hubs in order and names the rule when none is left', () => {
		expect(allowedHubs([HF, MIRROR], 'browserve/x', ['/hub/'], ORIGIN)).toEqual([MIRROR]);
		expect(whyNotAllowed([HF, MIRROR], 'browserve/x', ['/hub/'], ORIGIN)).toBeNull();
		const why = whyNotAllowed([HF], 'Xenova/bert', ['/hub/'], ORIGIN);
		expect(why).toContain('Xenova/bert');
		expect(why).toContain('allowlist in browserve.config.json');
		expect(why).toContain('/hub/');
		expect(notAllowedMessage('a/b', [])).toContain('permits no models');
	});
});

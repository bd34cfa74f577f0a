import { describe, expect, it } from 'vitest';
import { BUILT_IN_CONFIG, parseDeploymentConfig } from './deployment';
import {
	readUserHubs,
	USER_HUBS_KEY,
	whyNotUserHub,
	withUserHubs,
	writeUserHubs,
	type HubStorage
} from './user-hubs';

function memoryStorage(initial?: string): HubStorage & { map: Map<string, string> } {
	const map = new Map<string, string>();
	if (initial !== undefined) map.set(USER_HUBS_KEY, initial);
	return { map, getItem: (key) => map.get(key) ?? null, setItem: (key, value) => void map.set(key, value) };
}

describe('user hubs', () => {
	it('round-trips through storage and drops what is not a hub address', () => {
		const storage = memoryStorage();
		writeUserHubs(['https://hub.example.org/', '/mirror/'], storage);
		expect(readUserHubs(storage)).toEqual(['https://hub.example.org/', '/mirror/']);
		expect(
			readUserHubs(memoryStorage('["javascript:alert(1)", "//evil", "https://ok/", "https://ok/"]'))
		).toEqual(['https://ok/']);
		expect(readUserHubs(memoryStorage('{broken'))).toEqual([]);
		expect(readUserHubs(memoryStorage('{"a":1}'))).toEqual([]);
		expect(readUserHubs(null)).toEqual([]);
	});

	it('appends user hubs after the deployment hubs, unless the deployment forbids them', () => {
		const config = parseDeploymentConfig({ hubs: ['/hub/'] });
		const merged = withUserHubs(config, ['https://hub.example.org/', '/hub/']);
		expect(merged.hubs).toEqual(['/hub/', 'https://hub.example.org/']);
		expect(merged.userHubs).toEqual(['https://hub.example.org/']);
		const locked = withUserHubs(parseDeploymentConfig({ hubs: ['/hub/'], allowUserHubs: false }), [
			'https://hub.example.org/'
		]);
		expect(locked.hubs).toEqual(['/hub/']);
		expect(locked.userHubs).toEqual([]);
	});

	it('explains why a hub cannot be added', () => {
		expect(whyNotUserHub('https://hub.example.org/', BUILT_IN_CONFIG)).toBeNull();
		expect(whyNotUserHub('', BUILT_IN_CONFIG)).toContain('Type the address');
		expect(whyNotUserHub('ftp://x', BUILT_IN_CONFIG)).toContain('not an http(s) address');
		expect(whyNotUserHub('https://huggingface.co', BUILT_IN_CONFIG)).toContain('already in the list');
		expect(whyNotUserHub('https://hub.example.org/', { ...BUILT_IN_CONFIG, allowUserHubs: false })).toContain(
			'does not let users add hubs'
		);
	});
});

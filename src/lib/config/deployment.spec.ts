import { describe, expect, it } from 'vitest';
import { BUILT_IN_CONFIG, loadDeploymentConfig, parseByteSize, parseDeploymentConfig } from './deployment';

describe('deployment config', () => {
	it('reads hubs and default models', () => {
		const config = parseDeploymentConfig({
			hubs: ['/hub/', 'https://huggingface.co'],
			defaultModels: { 'text-classification': 'browserve/tiny-sentiment' }
		});
		expect(config).toEqual({
			...BUILT_IN_CONFIG,
			hubs: ['/hub/', 'https://huggingface.co'],
			defaultModels: { 'text-classification': 'browserve/tiny-sentiment' },
			problems: []
		});
	});

	it('reads the allowlist, the download limit and whether users may add hubs', () => {
		const config = parseDeploymentConfig({
			allowlist: ['/hub/', 'https://huggingface.co/Xenova'],
			maxDownloadWithoutAsking: '500 MB',
			allowUserHubs: false
		});
		expect(config.allowlist).toEqual(['/hub/', 'https://huggingface.co/Xenova']);
		expect(config.maxDownloadWithoutAsking).toBe(500_000_000);
		expect(config.allowUserHubs).toBe(false);
		expect(config.problems).toEqual([]);
		expect(parseDeploymentConfig({ maxDownloadWithoutAsking: 1234 }).maxDownloadWithoutAsking).toBe(1234);
		expect(parseDeploymentConfig({}).allowUserHubs).toBe(true);
	});

	it.each([
		['2 GiB', 2 * 1024 ** 3],
		['10kb', 10_000],
		['0', 0],
		[1.5, 1],
		['1.5 GB', 1_500_000_000],
		['lots', null],
		[-1, null],
		['5 TB', null],
		[true, null]
	])('parses the size %j as %j bytes', (value, bytes) => {
		expect(parseByteSize(value)).toBe(bytes);
	});

	it('reports bad rules and errs on the side of refusing', () => {
		const config = parseDeploymentConfig({
			allowlist: ['/hub/', 'ftp://x', 42],
			maxDownloadWithoutAsking: 'big',
			allowUserHubs: 'no'
		});
		// A typo never widens the allowlist: the bad entries are dropped, the rest still applies.
		expect(config.allowlist).toEqual(['/hub/']);
		expect(config.maxDownloadWithoutAsking).toBeNull();
		expect(config.allowUserHubs).toBe(false);
		expect(config.problems.join(' ')).toContain('allowlist');
		expect(config.problems.join(' ')).toContain('maxDownloadWithoutAsking');
		expect(config.problems.join(' ')).toContain('allowUserHubs');
		expect(parseDeploymentConfig({ allowlist: 'everything' }).allowlist).toEqual([]);
	});

	it.each([
		[{ hubs: ['javascript:alert(1)', '/ok/'] }, ['/ok/'], 'not http(s)'],
		[{ hubs: ['//evil.example/'] }, BUILT_IN_CONFIG.hubs, 'not http(s)'],
		[{ hubs: [] }, BUILT_IN_CONFIG.hubs, 'not http(s)'],
		[{ defaultModels: { 'no-such-task': 'a/b' } }, BUILT_IN_CONFIG.hubs, 'defaultModels.no-such-task'],
		[
			{ defaultModels: { 'text-classification': 'javascript:x' } },
			BUILT_IN_CONFIG.hubs,
			'defaultModels.text-classification'
		],
		[[1, 2], BUILT_IN_CONFIG.hubs, 'not a JSON object']
	])('reports and ignores bad values: %j', (json, hubs, problem) => {
		const config = parseDeploymentConfig(json);
		expect(config.hubs).toEqual(hubs);
		expect(config.problems.join(' ')).toContain(problem);
	});

	it('falls back to the built-in settings when the file is missing or broken', async () => {
		const missing = await loadDeploymentConfig('', async () => new Response('nope', { status: 404 }));
		expect(missing).toEqual(BUILT_IN_CONFIG);
		const broken = await loadDeploymentConfig('', async () => new Response('{not json', { status: 200 }));
		expect(broken.hubs).toEqual(BUILT_IN_CONFIG.hubs);
		expect(broken.problems[0]).toContain('not valid JSON');
		const offline = await loadDeploymentConfig('', async () => {
			throw new TypeError('Failed to fetch');
		});
		expect(offline).toEqual(BUILT_IN_CONFIG);
	});
});

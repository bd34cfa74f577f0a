import { describe, expect, it } from 'vitest';
import { BUILT_IN_CONFIG, loadDeploymentConfig, parseDeploymentConfig } from './deployment';

describe('deployment config', () => {
	it('reads hubs and default models', () => {
		const config = parseDeploymentConfig({
			hubs: ['/hub/', 'https://huggingface.co'],
			defaultModels: { 'text-classification': 'browserve/tiny-sentiment' }
		});
		expect(config).toEqual({
			hubs: ['/hub/', 'https://huggingface.co'],
			defaultModels: { 'text-classification': 'browserve/tiny-sentiment' },
			problems: []
		});
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

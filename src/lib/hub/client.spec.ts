// HubClient against the project's real hub server over HTTP: resolution order, fallbacks and errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHub } from '../../../scripts/hub/server.ts';
import { createHubFixture, REPO, type HubFixture } from '../../../scripts/hub/test-fixture.ts';
import { HubUnavailableError, ModelNotFoundError } from '$lib/runtime/errors';
import { HubClient, hubBaseUrl, parseModelInfo } from './client';

let fixture: HubFixture;
let hub: Awaited<ReturnType<typeof startHub>>;
// A port nothing listens on: the hub that is down.
const DOWN = 'http://127.0.0.1:9/';

beforeAll(async () => {
	fixture = await createHubFixture();
	hub = await startHub({ dir: fixture.dir });
});
afterAll(async () => {
	await hub.close();
	await fixture.cleanup();
});

describe('HubClient.resolve', () => {
	it('resolves a revision to the commit and the files the hub lists', async () => {
		const model = await new HubClient([hub.url]).resolve(REPO, 'main');
		expect(model.hub).toBe(hub.url);
		expect(model.commit).toMatch(/^[0-9a-f]{40}$/);
		expect(model.pipelineTag).toBe('feature-extraction');
		expect(model.libraryName).toBe('transformers.js');
		expect(model.files).toEqual(
			expect.arrayContaining(['config.json', 'onnx/model.onnx', 'tokenizer/vocab.txt'])
		);
		// The commit resolves too, to itself.
		const pinned = await new HubClient([hub.url]).resolve(REPO, model.commit);
		expect(pinned.commit).toBe(model.commit);
	});

	it('skips hubs that are down or do not have the model', async () => {
		const model = await new HubClient([DOWN, `${hub.url}nothing-here/`, hub.url]).resolve(REPO, 'main');
		expect(model.hub).toBe(hub.url);
	});

	it('says which hubs lacked the model', async () => {
		const attempt = new HubClient([hub.url]).resolve('nobody/missing', 'main');
		await expect(attempt).rejects.toBeInstanceOf(ModelNotFoundError);
		await expect(attempt).rejects.toThrow(`nobody/missing@main was not found on ${hub.url} (RepoNotFound)`);
		await expect(new HubClient([hub.url]).resolve(REPO, 'no-such-branch')).rejects.toThrow(
			'RevisionNotFound'
		);
	});

	it('says when no hub could be reached', async () => {
		const attempt = new HubClient([DOWN]).resolve(REPO, 'main');
		await expect(attempt).rejects.toBeInstanceOf(HubUnavailableError);
		await expect(attempt).rejects.toThrow(`No hub could be reached to fetch ${REPO} (tried ${DOWN}`);
	});
});

describe('hub answers are parsed at the edge', () => {
	it.each([[null], ['text'], [{ sha: 'not-a-sha' }], [{ id: 'a/b' }]])('rejects %j', (json) => {
		expect(() => parseModelInfo(json, 'https://hub/', 'a/b', 'main')).toThrow(HubUnavailableError);
	});

	it('ignores malformed siblings rather than trusting them', () => {
		const info = parseModelInfo(
			{ sha: 'a'.repeat(40), siblings: [{ rfilename: 'ok.json' }, { rfilename: 3 }, null] },
			'h',
			'a/b',
			'main'
		);
		expect(info.files).toEqual(['ok.json']);
	});

	it.each([
		['/hub/', 'http://app.test/hub/'],
		['/hub', 'http://app.test/hub/'],
		['https://huggingface.co', 'https://huggingface.co/'],
		['http://mirror.corp:8080/hf?x=1#y', 'http://mirror.corp:8080/hf/']
	])('hubBaseUrl(%s) = %s', (hub, expected) => {
		expect(hubBaseUrl(hub, 'http://app.test')).toBe(expected);
	});

	it('refuses hub addresses that are not http(s)', () => {
		expect(() => hubBaseUrl('javascript:alert(1)', 'http://app.test')).toThrow('not an http(s) hub address');
	});
});

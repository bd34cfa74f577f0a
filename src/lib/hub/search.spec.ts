// Model search against the project's real hub over HTTP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHub } from '../../../scripts/hub/server.ts';
import { createHubFixture, type HubFixture } from '../../../scripts/hub/test-fixture.ts';
import { parseSearch, searchModels, searchUrl } from './search';

let fixture: HubFixture;
let hub: Awaited<ReturnType<typeof startHub>>;

beforeAll(async () => {
	fixture = await createHubFixture();
	hub = await startHub({ dir: fixture.dir });
});
afterAll(async () => {
	await hub.close();
	await fixture.cleanup();
});

describe('model search', () => {
	it('finds the hub models for a task, with their license', async () => {
		const { hits, failed } = await searchModels([hub.url], {
			pipelineTag: 'text-classification',
			text: '',
			limit: 10
		});
		expect(failed).toEqual([]);
		expect(hits.map((hit) => hit.id)).toEqual(['test-org/other-model']);
		const features = await searchModels([hub.url], {
			pipelineTag: 'feature-extraction',
			text: 'tiny',
			limit: 10
		});
		expect(features.hits).toEqual([
			expect.objectContaining({ id: 'test-org/tiny-model', hub: hub.url, license: 'mit' })
		]);
	});

	it('skips hubs that fail and says which', async () => {
		const down = 'http://127.0.0.1:9/';
		const { hits, failed } = await searchModels([down, hub.url], {
			pipelineTag: 'feature-extraction',
			text: '',
			limit: 10
		});
		expect(failed).toEqual([down]);
		expect(hits.map((hit) => hit.id)).toEqual(['test-org/tiny-model']);
	});

	it('builds the hub query the way huggingface.co takes it', () => {
		expect(searchUrl('https://huggingface.co/', { pipelineTag: 'fill-mask', text: ' bert ', limit: 5 })).toBe(
			'https://huggingface.co/api/models?filter=transformers.js&pipeline_tag=fill-mask&sort=downloads&limit=5&search=bert'
		);
		// Tasks that run ONNX graphs themselves (VAD, OCR) look for plain ONNX models.
		expect(
			searchUrl('https://huggingface.co/', {
				pipelineTag: 'voice-activity-detection',
				text: '',
				limit: 5,
				library: 'onnx'
			})
		).toBe(
			'https://huggingface.co/api/models?filter=onnx&pipeline_tag=voice-activity-detection&sort=downloads&limit=5'
		);
	});

	it('parses only model entries', () => {
		expect(parseSearch([{ id: 'a/b', downloads: 3, tags: ['license:mit'] }, { nope: 1 }, 'x'], 'h')).toEqual([
			{ id: 'a/b', hub: 'h', downloads: 3, likes: null, license: 'mit', size: null }
		]);
		expect(parseSearch({ error: 'x' }, 'h')).toEqual([]);
	});
});

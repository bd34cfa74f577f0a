import { describe, expect, it } from 'vitest';
import { ModelNotFoundError } from '$lib/runtime/errors';
import { HubClient } from './client';
import { findMirrored, MIRROR_INDEX_FILE, parseMirrorIndex, staticFileUrl } from './static-index';

const HUB = 'https://static.example.org/hub/';
const COMMIT = 'a'.repeat(40);
const INDEX = {
	format: 1,
	models: {
		'org/model': {
			revision: 'v1',
			commit: COMMIT,
			upstream: 'https://huggingface.co/',
			pipelineTag: 'text-classification',
			libraryName: 'transformers.js',
			tags: ['onnx'],
			license: 'mit',
			files: [
				{ path: 'config.json', size: 3, sha256: 'b'.repeat(64), gitOid: 'c'.repeat(40) },
				{ path: 'onnx/model quantized.onnx', size: 5, sha256: 'd'.repeat(64), gitOid: null }
			]
		},
		'org/broken': { commit: COMMIT, files: [{ path: '../escape', size: 1, sha256: 'e'.repeat(64) }] }
	}
};

/** A static host: the index and 404s with no X-Error-Code (or an HTML page for every unknown path). */
function staticHost(requests: string[], unknown: 'not-found' | 'html' = 'not-found'): typeof fetch {
	return async (input) => {
		const url = String(input);
		requests.push(url);
		if (url === `${HUB}${MIRROR_INDEX_FILE}`) return Response.json(INDEX);
		if (unknown === 'html') return new Response('<!doctype html><title>app</title>', { status: 200 });
		return new Response('File not found', { status: 404 });
	};
}

describe('the static mirror index', () => {
	it('parses models and drops those with unsafe or missing data', () => {
		const index = parseMirrorIndex(INDEX, HUB);
		expect(Object.keys(index.models)).toEqual(['org/model']);
		expect(() => parseMirrorIndex({ format: 2, models: {} }, HUB)).toThrow('format 2');
		expect(() => parseMirrorIndex([], HUB)).toThrow('not a mirror index');
	});

	it('answers for the revision mirrored, its commit, and main', () => {
		const index = parseMirrorIndex(INDEX, HUB);
		expect(findMirrored(index, 'org/model', 'v1')?.commit).toBe(COMMIT);
		expect(findMirrored(index, 'org/model', COMMIT)?.commit).toBe(COMMIT);
		expect(findMirrored(index, 'org/model', 'main')?.commit).toBe(COMMIT);
		expect(findMirrored(index, 'org/model', 'v2')).toBeNull();
		expect(staticFileUrl(HUB, 'org/model', 'onnx/a b.onnx')).toBe(`${HUB}org/model/onnx/a%20b.onnx`);
	});

	it.each(['not-found', 'html'] as const)(
		'lets HubClient resolve and list from it when the API is absent (%s)',
		async (unknown) => {
			const requests: string[] = [];
			const client = new HubClient([HUB], staticHost(requests, unknown));
			const resolved = await client.resolve('org/model', 'main');
			expect(resolved).toMatchObject({ hub: HUB, commit: COMMIT, pipelineTag: 'text-classification' });
			expect(resolved.files).toEqual(['config.json', 'onnx/model quantized.onnx']);
			const files = await client.listFiles(HUB, 'org/model', COMMIT);
			expect(files[1]).toEqual({
				path: 'onnx/model quantized.onnx',
				size: 5,
				sha256: 'd'.repeat(64),
				gitOid: null,
				url: `${HUB}org/model/onnx/model%20quantized.onnx`
			});
			// The index is fetched once, and a known static hub is not asked for a tree API it lacks.
			expect(requests.filter((url) => url.endsWith(MIRROR_INDEX_FILE))).toHaveLength(1);
			expect(requests.some((url) => url.includes('/tree/'))).toBe(false);
			await expect(client.resolve('org/other', 'main')).rejects.toThrow(ModelNotFoundError);
		}
	);

	it('is not looked for on a hub whose API answered', async () => {
		const requests: string[] = [];
		const api: typeof fetch = async (input) => {
			requests.push(String(input));
			return new Response('{"error":"Repository not found"}', {
				status: 404,
				headers: { 'X-Error-Code': 'RepoNotFound' }
			});
		};
		await expect(new HubClient([HUB], api).resolve('org/model', 'main')).rejects.toThrow('RepoNotFound');
		expect(requests.some((url) => url.endsWith(MIRROR_INDEX_FILE))).toBe(false);
	});
});

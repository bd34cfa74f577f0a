import { describe, expect, it } from 'vitest';
import { parseShareLink, serializeShareLink, whyNotModelId, whyNotRevision } from './link';

const parse = (query: string) => parseShareLink('text-classification', new URLSearchParams(query));

describe('share links', () => {
	it('reads a complete link', () => {
		const state = parse('model=browserve/tiny-sentiment&text=I+love+this&run=1&device=wasm&revision=v1.0');
		expect(state.issues).toEqual([]);
		expect(state.settings).toEqual({
			model: 'browserve/tiny-sentiment',
			revision: 'v1.0',
			device: 'wasm',
			dtype: null,
			run: true
		});
		expect(state.input).toEqual({ text: 'I love this', topK: 0 });
	});

	it('uses defaults for what a link leaves out', () => {
		const state = parse('');
		expect(state.issues).toEqual([]);
		expect(state.settings).toEqual({
			model: null,
			revision: 'main',
			device: 'auto',
			dtype: null,
			run: false
		});
		expect(state.input.text).toBe('');
	});

	it.each([
		['model=javascript:alert(1)', 'model', 'script or data address'],
		['model=a/b/c', 'model', 'not a model id'],
		['model=../etc/passwd', 'model', 'not a model id'],
		['model=org/na--me', 'model', 'not a model id'],
		['model=%20spaces%20/x', 'model', 'not a model id'],
		['revision=..%2F..%2Fsecret', 'revision', 'not a branch'],
		['revision=javascript:x', 'revision', 'not a branch'],
		['device=cuda', 'device', 'not a backend'],
		['dtype=int3', 'dtype', 'not a weight type'],
		[`text=${'a'.repeat(20_001)}`, 'text', 'the limit is 20,000'],
		['top_k=-1', 'top_k', 'whole number'],
		['top_k=abc', 'top_k', 'whole number']
	])('reports %s as a problem with %s and does not run', (query, param, message) => {
		const state = parse(`${query}&run=1`);
		expect(state.issues).toHaveLength(1);
		expect(state.issues[0]?.param).toBe(param);
		expect(state.issues[0]?.message).toContain(message);
		expect(state.settings.run).toBe(false);
	});

	it('ignores unknown parameters with a notice that does not stop the run', () => {
		const state = parse('text=hi&run=1&utm_source=mail&colour=red');
		expect(state.issues.map((issue) => [issue.param, issue.severity])).toEqual([
			['utm_source', 'notice'],
			['colour', 'notice']
		]);
		expect(state.issues[0]?.message).toContain('was ignored');
		expect(state.settings.run).toBe(true);
	});

	it('accepts real model ids and revisions', () => {
		for (const id of [
			'Xenova/distilbert-base-uncased-finetuned-sst-2-english',
			'gpt2',
			'onnx-community/all-MiniLM-L6-v2-ONNX',
			'a.b/c_d'
		]) {
			expect(whyNotModelId(id)).toBeNull();
		}
		for (const rev of ['main', 'v2.1', 'refs/pr/1', 'a'.repeat(40)]) expect(whyNotRevision(rev)).toBeNull();
	});

	it('round-trips through serialize', () => {
		const settings = {
			model: 'org/m',
			revision: 'dev',
			device: 'webgpu' as const,
			dtype: 'q8' as const,
			run: true
		};
		const input = { text: 'héllo & bye?', topK: 2 };
		const query = serializeShareLink('text-classification', settings, input);
		const back = parse(query);
		expect(back.settings).toEqual(settings);
		expect(back.input).toEqual(input);
		expect(
			serializeShareLink(
				'text-classification',
				{ ...settings, revision: 'main', device: 'auto', dtype: null, run: false },
				{ text: 'x', topK: 0 }
			)
		).toBe('model=org%2Fm&text=x');
	});
});

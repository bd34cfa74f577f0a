import { describe, expect, it } from 'vitest';
import { checkModelFiles, parseTree, resolveUrl, selectModelFiles } from './files';

const HUB = 'https://hub.test/';
const SHA = 'a'.repeat(40);
const file = (path: string, size = 10) => ({
	path,
	size,
	sha256: null,
	gitOid: null,
	url: resolveUrl(HUB, 'o/m', SHA, path)
});

describe('parseTree', () => {
	it('reads sizes and hashes, LFS and not', () => {
		const files = parseTree(
			[
				{ type: 'directory', oid: 'b'.repeat(40), size: 0, path: 'onnx' },
				{ type: 'file', oid: 'c'.repeat(40), size: 459, path: 'config.json' },
				{
					type: 'file',
					oid: 'd'.repeat(40),
					size: 129,
					path: 'onnx/model.onnx',
					lfs: { oid: 'e'.repeat(64), size: 2802, pointerSize: 129 }
				}
			],
			HUB,
			'o/m',
			SHA
		);
		expect(files).toEqual([
			{
				path: 'config.json',
				size: 459,
				sha256: null,
				gitOid: 'c'.repeat(40),
				url: `${HUB}o/m/resolve/${SHA}/config.json`
			},
			{
				path: 'onnx/model.onnx',
				size: 2802,
				sha256: 'e'.repeat(64),
				gitOid: null,
				url: `${HUB}o/m/resolve/${SHA}/onnx/model.onnx`
			}
		]);
	});

	it('rejects an answer that is not a tree and skips malformed entries', () => {
		expect(() => parseTree({ error: 'x' }, HUB, 'o/m', SHA)).toThrow('did not list the files');
		expect(
			parseTree([null, { type: 'file', path: 3 }, { type: 'file', path: 'a.json' }], HUB, 'o/m', SHA)
		).toEqual([]);
	});

	it('encodes paths and revisions in resolve URLs', () => {
		expect(resolveUrl(HUB, 'o/m', 'refs/pr/1', 'a b/c#d.json')).toBe(
			`${HUB}o/m/resolve/refs%2Fpr%2F1/a%20b/c%23d.json`
		);
	});
});

describe('selectModelFiles', () => {
	const repo = [
		'README.md',
		'.gitattributes',
		'config.json',
		'tokenizer.json',
		'tokenizer_config.json',
		'vocab.txt',
		'spiece.model',
		'chat_template.jinja',
		'model.safetensors',
		'onnx/model.onnx',
		'onnx/model.onnx_data',
		'onnx/model_quantized.onnx',
		'onnx/model_fp16.onnx',
		'onnx/model_q4f16.onnx',
		'onnx/decoder_model_merged_quantized.onnx',
		'onnx/decoder_model_merged.onnx'
	].map((path) => file(path));
	const support = [
		'config.json',
		'tokenizer.json',
		'tokenizer_config.json',
		'vocab.txt',
		'spiece.model',
		'chat_template.jinja'
	];

	it.each([
		['fp32', ['onnx/model.onnx', 'onnx/decoder_model_merged.onnx', 'onnx/model.onnx_data']],
		['q8', ['onnx/model_quantized.onnx', 'onnx/decoder_model_merged_quantized.onnx']],
		['fp16', ['onnx/model_fp16.onnx']],
		['q4f16', ['onnx/model_q4f16.onnx']],
		['q4', []]
	] as const)('%s picks the support files and only its own weights', (dtype, weights) => {
		expect(selectModelFiles(repo, dtype).map((f) => f.path)).toEqual([...support, ...weights]);
	});
});

describe('checkModelFiles', () => {
	it('accepts a model with a config and ONNX weights for the dtype', () => {
		const all = ['config.json', 'onnx/model.onnx'].map((path) => file(path));
		expect(() => checkModelFiles('o/m', all, selectModelFiles(all, 'fp32'))).not.toThrow();
	});

	it.each([
		[['onnx/model.onnx'], 'has no config.json'],
		[
			['config.json', 'model.safetensors'],
			'has no ONNX weights (onnx/*.onnx); transformers.js runs ONNX models only. It publishes PyTorch or safetensors'
		],
		[['config.json', 'model.onnx'], 'not under onnx/'],
		[['config.json', 'tokenizer.json'], 'has no ONNX weights']
	])('refuses %j, saying %s', (paths, message) => {
		const all = paths.map((path) => file(path));
		expect(() => checkModelFiles('o/m', all, selectModelFiles(all, 'fp32'))).toThrow(message);
	});
});

// Specs for reading repos from disk: hashes checked against git itself, commit stability, the hash cache,
// the LFS split and model card parsing.
import { execFileSync } from 'node:child_process';
import { cp, mkdir, readFile, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCard } from './card.ts';
import { LFS_MIN_SIZE, RepoStore, isLfsPath, lfsPointer } from './repo.ts';
import { REPO, createHubFixture, sha256Hex, type HubFixture } from './test-fixture.ts';

let fixture: HubFixture;

beforeAll(async () => {
	fixture = await createHubFixture();
});

afterAll(() => fixture.cleanup());

function hasGit(): boolean {
	try {
		execFileSync('git', ['--version'], { stdio: 'ignore' });
		return true;
	} catch {
		return false;
	}
}

function git(cwd: string, ...args: string[]): string {
	return execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();
}

async function snapshotOf(dir: string, id = REPO) {
	const [org = '', name = ''] = id.split('/');
	const snap = await new RepoStore(dir).snapshot(org, name);
	if (!snap) throw new Error(`no repo ${id} in ${dir}`);
	return snap;
}

describe('RepoStore', () => {
	it('lists ORG/NAME repos, skipping dot folders and folders outside the hub', async () => {
		expect(await new RepoStore(fixture.dir).listRepoIds()).toEqual([
			'another/third-model',
			'test-org/other-model',
			'test-org/tiny-model'
		]);
	});

	it.skipIf(!hasGit())('reports the blob and tree oids git computes for the same repo', async () => {
		const snap = await snapshotOf(fixture.dir);
		// Git stores LFS files as pointers, so the checkout it hashes holds pointers in their place.
		const checkout = join(fixture.base, 'git-checkout');
		await mkdir(checkout, { recursive: true });
		for (const file of snap.files) {
			await mkdir(join(checkout, file.path, '..'), { recursive: true });
			const content = file.lfs ? lfsPointer(file.sha256, file.size) : await readFile(file.absPath);
			await writeFile(join(checkout, file.path), content);
		}
		git(checkout, 'init', '-q');
		git(checkout, 'add', '-A');
		const tree = git(checkout, 'write-tree');
		const gitEntries = new Map(
			git(checkout, 'ls-tree', '-r', '-t', tree)
				.split('\n')
				.map((line) => {
					const [meta = '', path = ''] = line.split('\t');
					return [path, meta.split(' ')[2] ?? ''] as const;
				})
		);
		for (const file of snap.files)
			expect([file.path, file.blobOid]).toEqual([file.path, gitEntries.get(file.path)]);
		expect([...snap.directories.keys()].sort()).toEqual(['onnx', 'tokenizer']);
		for (const dir of snap.directories.values()) expect(dir.oid).toBe(gitEntries.get(dir.path));
	});

	it('marks LFS files and hashes them with sha256', async () => {
		const snap = await snapshotOf(fixture.dir);
		const model = snap.byPath.get('onnx/model.onnx');
		expect(model?.lfs).toEqual({
			sha256: sha256Hex(fixture.onnx),
			size: fixture.onnx.length,
			pointerSize: Buffer.byteLength(lfsPointer(sha256Hex(fixture.onnx), fixture.onnx.length))
		});
		expect(snap.byPath.get('config.json')?.lfs).toBeUndefined();
		expect(snap.usedStorage).toBe(snap.files.reduce((total, file) => total + file.size, 0));
		expect(snap.config).toEqual({ model_type: 'bert', architectures: ['BertModel'] });
	});

	it('derives the same commit and date from the same content anywhere, and new ones from new content', async () => {
		const copy = join(fixture.base, 'copy');
		await cp(fixture.dir, copy, { recursive: true, verbatimSymlinks: true });
		const original = await snapshotOf(fixture.dir);
		const copied = await snapshotOf(copy);
		expect(copied.commit).toMatch(/^[0-9a-f]{40}$/);
		expect(copied.commit).toBe(original.commit);
		expect(copied.lastModified).toBe(original.lastModified);

		await writeFile(join(copy, REPO, 'config.json'), '{"model_type":"gpt2"}');
		const changed = await snapshotOf(copy);
		expect(changed.commit).not.toBe(original.commit);
		expect(changed.lastModified).not.toBe(original.lastModified);
		expect(changed.byPath.get('config.json')?.sha256).toBe(sha256Hex('{"model_type":"gpt2"}'));
	});

	it('reuses hashes while size and mtime are unchanged, and rehashes when mtime moves', async () => {
		const copy = join(fixture.base, 'cache-check');
		await cp(join(fixture.dir, 'test-org'), join(copy, 'test-org'), {
			recursive: true,
			verbatimSymlinks: true
		});
		const path = join(copy, REPO, 'tokenizer/vocab.txt');
		// A whole-second mtime survives being restored exactly; stat's sub-millisecond part would not.
		const mtime = new Date('2025-01-01T00:00:00Z');
		await utimes(path, mtime, mtime);
		const before = await snapshotOf(copy);
		// Same size, restored mtime: only a cache explains the old hash surviving.
		await writeFile(path, 'HELLO\nWORLD\n');
		await utimes(path, mtime, mtime);
		expect((await snapshotOf(copy)).byPath.get('tokenizer/vocab.txt')?.sha256).toBe(
			before.byPath.get('tokenizer/vocab.txt')?.sha256
		);
		await utimes(path, mtime, new Date(mtime.getTime() + 5000));
		expect((await snapshotOf(copy)).byPath.get('tokenizer/vocab.txt')?.sha256).toBe(
			sha256Hex('HELLO\nWORLD\n')
		);
	});
});

describe('isLfsPath', () => {
	it.each([
		['onnx/model.onnx', 10, true],
		['onnx/model.onnx_data', 10, true],
		['pytorch_model.bin', 10, true],
		['model.safetensors', 10, true],
		['tokenizer.json', LFS_MIN_SIZE - 1, false],
		['tokenizer.json', LFS_MIN_SIZE, true],
		['config.json', 100, false]
	])('%s of %d bytes → %s', (path, size, expected) => {
		expect(isLfsPath(path, size)).toBe(expected);
	});
});

describe('parseCard', () => {
	it('reads scalars, block lists and inline lists, and skips nested maps and comments', () => {
		const card = parseCard(
			[
				'---',
				'license: apache-2.0 # a comment',
				"pipeline_tag: 'text-generation'",
				'library_name: "transformers.js"',
				'language: [en, "fr"]',
				'tags:',
				'- onnx',
				'  - quantized',
				'widget:',
				'  text: "ignored"',
				'base_model: org/base',
				'---',
				'license: not-front-matter'
			].join('\n')
		);
		expect(card.license).toBe('apache-2.0');
		expect(card.pipelineTag).toBe('text-generation');
		expect(card.libraryName).toBe('transformers.js');
		expect(card.tags).toEqual(['onnx', 'quantized']);
		expect(card.data).toEqual({
			license: 'apache-2.0',
			pipeline_tag: 'text-generation',
			library_name: 'transformers.js',
			language: ['en', 'fr'],
			tags: ['onnx', 'quantized'],
			base_model: 'org/base'
		});
	});

	it('handles CRLF line ends and a single tag given as a scalar', () => {
		const card = parseCard('---\r\ntags: onnx\r\npipeline_tag: fill-mask\r\n---\r\n');
		expect(card.tags).toEqual(['onnx']);
		expect(card.pipelineTag).toBe('fill-mask');
	});

	it('returns empty metadata without front matter', () => {
		expect(parseCard('# Just a title\nlicense: mit\n')).toEqual({
			pipelineTag: undefined,
			libraryName: undefined,
			license: undefined,
			tags: [],
			data: {}
		});
	});
});

// Builds a throwaway hub directory for the hub specs: three small repos, one fake ONNX model, and
// symlinks that try to escape the directory.
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export const SECRET = 'TOP-SECRET-OUTSIDE-THE-HUB';
export const REPO = 'test-org/tiny-model';

export const CONFIG_JSON = JSON.stringify({
	model_type: 'bert',
	architectures: ['BertModel'],
	hidden_size: 32
});
export const VOCAB_TXT = 'hello\nworld\n';
export const README_MD = [
	'---',
	'library_name: transformers.js',
	'pipeline_tag: feature-extraction',
	'license: mit',
	'tags:',
	'  - onnx',
	'  - tiny',
	'base_model: "test-org/base"',
	'---',
	'# Tiny model',
	''
].join('\n');

export interface HubFixture {
	/** Parent of `dir`; holds the secret the symlinks point at. */
	base: string;
	dir: string;
	onnx: Buffer;
	cleanup(): Promise<void>;
}

/** Deterministic pseudo-random bytes, so failures reproduce. */
export function fakeModelBytes(length: number): Buffer {
	const out = Buffer.alloc(length);
	let block = createHash('sha256').update('browserve-hub-fixture').digest();
	for (let offset = 0; offset < length; offset += block.length) {
		block.copy(out, offset);
		block = createHash('sha256').update(block).digest();
	}
	return out;
}

export async function createHubFixture(): Promise<HubFixture> {
	const base = await mkdtemp(join(tmpdir(), 'browserve-hub-'));
	const dir = join(base, 'hub');
	const onnx = fakeModelBytes(100 * 1024);
	const files: Record<string, string | Buffer> = {
		'outside/secret.txt': SECRET,
		[`hub/${REPO}/.gitattributes`]: '*.onnx filter=lfs diff=lfs merge=lfs -text\n',
		[`hub/${REPO}/.secret`]: SECRET,
		[`hub/${REPO}/config.json`]: CONFIG_JSON,
		[`hub/${REPO}/README.md`]: README_MD,
		[`hub/${REPO}/tokenizer/vocab.txt`]: VOCAB_TXT,
		[`hub/${REPO}/onnx/model.onnx`]: onnx,
		'hub/test-org/other-model/README.md':
			'---\nlibrary_name: transformers.js\npipeline_tag: text-classification\ntags: [onnx]\n---\n',
		'hub/test-org/other-model/config.json': '{}',
		'hub/another/third-model/README.md': '---\npipeline_tag: text-classification\n---\n',
		'hub/another/third-model/model.safetensors': fakeModelBytes(64),
		'hub/.cache/hidden-model/config.json': '{}'
	};
	for (const [path, content] of Object.entries(files)) {
		await mkdir(dirname(join(base, path)), { recursive: true });
		await writeFile(join(base, path), content);
	}
	await symlink(join(base, 'outside/secret.txt'), join(dir, REPO, 'leak.json'));
	await symlink(join(base, 'outside'), join(dir, REPO, 'leaked-dir'));
	await symlink(join(base, 'outside'), join(dir, 'test-org/escaped-repo'));
	return { base, dir, onnx, cleanup: () => rm(base, { recursive: true, force: true }) };
}

export function sha256Hex(bytes: Buffer | string): string {
	return createHash('sha256').update(bytes).digest('hex');
}

/** Git's blob oid, written out here independently of repo.ts so the specs check it rather than echo it. */
export function gitOid(bytes: Buffer | string): string {
	const buffer = typeof bytes === 'string' ? Buffer.from(bytes) : bytes;
	return createHash('sha1')
		.update(Buffer.concat([Buffer.from(`blob ${buffer.length}\0`), buffer]))
		.digest('hex');
}

// The mirror tool over real HTTP, with the project's hub server as the upstream: the files it picks, their
// hashes and recorded commits, the folder served again by the hub server and by a plain static server (no
// API, no Range), tampered upstream bytes refused, reruns, the command line and the static site.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HubClient } from '../../src/lib/hub/client.ts';
import { MIRROR_INDEX_FILE, parseMirrorIndex } from '../../src/lib/hub/static-index.ts';
import { generateFixtures } from '../fixtures/index.ts';
import { startHub, type RunningHub } from '../hub/server.ts';
import { parseMirrorArgs } from './cli.ts';
import { MirrorIntegrityError, mirrorModels } from './mirror.ts';
import { buildSite } from './site.ts';

const SENTIMENT = 'browserve/tiny-sentiment';
const EMBEDDER = 'browserve/tiny-embedder';
const SENTIMENT_FILES = [
	'README.md',
	'config.json',
	'onnx/model.onnx',
	'onnx/model_quantized.onnx',
	'special_tokens_map.json',
	'tokenizer.json',
	'tokenizer_config.json'
];

let base: string;
let upstreamDir: string;
let upstream: RunningHub;

beforeAll(async () => {
	base = await mkdtemp(join(tmpdir(), 'browserve-mirror-'));
	upstreamDir = join(base, 'upstream');
	await generateFixtures(upstreamDir);
	upstream = await startHub({ dir: upstreamDir });
});

afterAll(async () => {
	await upstream.close();
	await rm(base, { recursive: true, force: true });
});

async function filesUnder(dir: string, prefix = ''): Promise<string[]> {
	const out: string[] = [];
	for (const entry of await readdir(dir, { withFileTypes: true })) {
		const path = prefix ? `${prefix}/${entry.name}` : entry.name;
		if (entry.isDirectory()) out.push(...(await filesUnder(join(dir, entry.name), path)));
		else out.push(path);
	}
	return out.sort();
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** A static file server with no code: files by path, 404 otherwise, no Range (like python -m http.server). */
async function staticServer(root: string): Promise<{ url: string; server: Server }> {
	const server = createServer((req, res) => {
		const path = resolve(root, `.${decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)}`);
		stat(path).then(
			(info) => {
				if (!path.startsWith(root) || !info.isFile()) throw new Error('not a file');
				res.writeHead(200, { 'Content-Length': info.size });
				createReadStream(path).pipe(res);
			},
			() => res.writeHead(404).end('File not found')
		);
	});
	await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
	return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, server };
}

describe('npm run mirror', () => {
	it('copies exactly the files the app loads, hash-checked, with the upstream commits recorded', async () => {
		const out = join(base, 'two');
		const lines: string[] = [];
		const index = await mirrorModels(
			[
				{ model: SENTIMENT, revision: 'main' },
				{ model: EMBEDDER, revision: 'main' }
			],
			{ from: upstream.url, out, log: (line) => lines.push(line) }
		);
		const upstreamClient = new HubClient([upstream.url]);
		for (const model of [SENTIMENT, EMBEDDER]) {
			const resolved = await upstreamClient.resolve(model, 'main');
			expect(index.models[model]?.commit).toBe(resolved.commit);
			expect(index.models[model]?.upstream).toBe(upstream.url);
			// Every mirrored file has the upstream's bytes, and the index records their sha256.
			for (const file of index.models[model]?.files ?? []) {
				const bytes = await readFile(join(out, model, file.path));
				expect(bytes.equals(await readFile(join(upstreamDir, model, file.path)))).toBe(true);
				expect(file.sha256).toBe(sha256(bytes));
				expect(file.size).toBe(bytes.length);
			}
		}
		expect(await filesUnder(join(out, SENTIMENT))).toEqual(SENTIMENT_FILES);
		expect(index.models[SENTIMENT]?.pipelineTag).toBe('text-classification');
		const written = parseMirrorIndex(JSON.parse(await readFile(join(out, MIRROR_INDEX_FILE), 'utf8')), out);
		expect(written).toEqual(index);
		expect(lines.join('\n')).toContain(`${SENTIMENT}@main → ${index.models[SENTIMENT]?.commit}`);
	});

	it('keeps one dtype with --dtype, and a rerun removes what the new selection drops', async () => {
		const out = join(base, 'dtype');
		await mirrorModels([{ model: SENTIMENT, revision: 'main' }], { from: upstream.url, out });
		expect(await filesUnder(join(out, SENTIMENT))).toContain('onnx/model.onnx');
		const index = await mirrorModels([{ model: SENTIMENT, revision: 'main' }], {
			from: upstream.url,
			out,
			dtype: 'q8'
		});
		const files = await filesUnder(join(out, SENTIMENT));
		expect(files).toContain('onnx/model_quantized.onnx');
		expect(files).not.toContain('onnx/model.onnx');
		expect(index.models[SENTIMENT]?.files.map((file) => file.path)).toEqual(files);
	});

	it('mirrors a model pinned to a commit and records the revision asked for', async () => {
		const commit = (await new HubClient([upstream.url]).resolve(EMBEDDER, 'main')).commit;
		const index = await mirrorModels([{ model: EMBEDDER, revision: commit }], {
			from: upstream.url,
			out: join(base, 'pinned')
		});
		expect(index.models[EMBEDDER]).toMatchObject({ revision: commit, commit });
	});

	it('refuses a file whose upstream bytes do not match their sha256, and keeps nothing of it', async () => {
		const out = join(base, 'tampered');
		upstream.control.setFaults([
			{ kind: 'corrupt', repo: SENTIMENT, path: 'onnx/model_quantized.onnx', offset: 100, times: 1 }
		]);
		try {
			await expect(
				mirrorModels([{ model: SENTIMENT, revision: 'main' }], { from: upstream.url, out })
			).rejects.toThrow(MirrorIntegrityError);
			await expect(
				mirrorModels([{ model: SENTIMENT, revision: 'main' }], { from: upstream.url, out: join(base, 't2') })
			).resolves.toBeDefined();
		} finally {
			upstream.control.clearFaults();
		}
		const left = await filesUnder(join(out, SENTIMENT));
		expect(left.filter((file) => file.startsWith('onnx/'))).toEqual(['onnx/model.onnx']);
		// Nothing was recorded for a model that did not finish.
		await expect(stat(join(out, MIRROR_INDEX_FILE))).rejects.toThrow();
	});

	it('explains a model the upstream does not have', async () => {
		const out = join(base, 'errors');
		await expect(
			mirrorModels([{ model: 'browserve/does-not-exist', revision: 'main' }], { from: upstream.url, out })
		).rejects.toThrow(/not found/);
	});
});

describe('a mirror folder', () => {
	let out: string;
	beforeAll(async () => {
		out = join(base, 'served');
		await mirrorModels(
			[
				{ model: SENTIMENT, revision: 'main' },
				{ model: EMBEDDER, revision: 'main' }
			],
			{ from: upstream.url, out, dtype: 'q8' }
		);
	});

	it('is served by the hub server as it is', async () => {
		const hub = await startHub({ dir: out });
		try {
			const client = new HubClient([hub.url]);
			const resolved = await client.resolve(SENTIMENT, 'main');
			expect(resolved.pipelineTag).toBe('text-classification');
			const files = await client.listFiles(hub.url, SENTIMENT, resolved.commit);
			expect(files.map((file) => file.path).sort()).toEqual(await filesUnder(join(out, SENTIMENT)));
		} finally {
			await hub.close();
		}
	});

	it('is read from its index on a static server with no hub API, by the app’s HubClient', async () => {
		const { url, server } = await staticServer(out);
		try {
			const client = new HubClient([url]);
			const resolved = await client.resolve(SENTIMENT, 'main');
			const index = parseMirrorIndex(JSON.parse(await readFile(join(out, MIRROR_INDEX_FILE), 'utf8')), out);
			expect(resolved.commit).toBe(index.models[SENTIMENT]?.commit);
			expect(resolved.pipelineTag).toBe('text-classification');
			const files = await client.listFiles(url, SENTIMENT, resolved.commit);
			expect(files.map((file) => file.path)).toEqual(index.models[SENTIMENT]?.files.map((file) => file.path));
			for (const file of files) {
				// The URL the app downloads from serves bytes with the sha256 the app will check.
				const bytes = new Uint8Array(await (await fetch(file.url)).arrayBuffer());
				expect(sha256(bytes)).toBe(file.sha256);
			}
			await expect(client.resolve('browserve/tiny-gpt', 'main')).rejects.toThrow(/not found/);
		} finally {
			server.close();
		}
	});

	it('becomes a static site with the models under /hub/ and a config that points at them', async () => {
		const build = join(base, 'fake-build');
		await mkdir(build, { recursive: true });
		await writeFile(join(build, 'index.html'), '<!doctype html>');
		const site = join(base, 'site');
		await buildSite(out, site, build);
		expect(await filesUnder(site)).toEqual(
			[
				'browserve.config.json',
				'hub/browserve-mirror.json',
				'index.html',
				...(await filesUnder(join(out, SENTIMENT))).map((file) => `hub/${SENTIMENT}/${file}`),
				...(await filesUnder(join(out, EMBEDDER))).map((file) => `hub/${EMBEDDER}/${file}`)
			].sort()
		);
		const config = JSON.parse(await readFile(join(site, 'browserve.config.json'), 'utf8')) as {
			hubs: string[];
			defaultModels: Record<string, string>;
		};
		expect(config.hubs).toEqual(['/hub/']);
		expect(config.defaultModels['text-classification']).toBe(SENTIMENT);
		expect(config.defaultModels['feature-extraction']).toBe(EMBEDDER);
		await expect(buildSite(join(base, 'nothing'), join(base, 'site2'), build)).rejects.toThrow(
			/npm run mirror/
		);
	});
});

describe('the mirror command line', () => {
	it('reads models, revisions and options', () => {
		const args = parseMirrorArgs(['a/b', 'c/d@v1.0', '--out', 'dir', '--dtype', 'q8', '--from', 'http://h/']);
		expect(args.requests).toEqual([
			{ model: 'a/b', revision: 'main' },
			{ model: 'c/d', revision: 'v1.0' }
		]);
		expect(args.out).toBe(resolve('dir'));
		expect(args.dtype).toBe('q8');
		expect(args.from).toBe('http://h/');
		expect(parseMirrorArgs(['a/b', '--out', 'x']).from).toBe('https://huggingface.co/');
	});

	it.each([
		[['--out', 'x'], 'at least one model'],
		[['a/b'], '--out'],
		[['a/b', '--out', 'x', '--dtype', 'fp64'], '--dtype must be one of'],
		[['a/b', '--out', 'x', '--from', 'ftp://h'], 'not an http(s) address'],
		[['a/b', '--out', 'x', '--task', 'juggling'], 'not a Browserve task'],
		[['a/b', 'a/b@v2', '--out', 'x'], 'named twice'],
		[['javascript:alert(1)', '--out', 'x'], 'not a model id'],
		[['a/b', '--out', 'x', '--bogus'], 'bogus']
	])('refuses %j (%s)', (argv, message) => {
		expect(() => parseMirrorArgs(argv)).toThrow(message);
	});
});

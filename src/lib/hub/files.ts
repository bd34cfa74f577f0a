// The files of one model commit, as the hub's tree API lists them (size, git blob oid, LFS sha256), and
// the subset a transformers.js pipeline needs for one dtype, so the app knows what it will download (and how
// much) before it fetches a byte.

import { HubUnavailableError, ModelLoadError } from '$lib/runtime/errors';
import type { Dtype } from '$lib/runtime/backend';
import type { RemoteFile } from '$lib/store/types';

/** The hub's resolve URL of a file at a commit (what transformers.js requests). */
export function resolveUrl(hub: string, repo: string, commit: string, path: string): string {
	return `${hub}${repo}/resolve/${encodeURIComponent(commit)}/${path.split('/').map(encodeURIComponent).join('/')}`;
}

/** Parses `/api/models/{repo}/tree/{commit}?recursive=true` into the files it lists, rejecting what is not a tree. */
export function parseTree(json: unknown, hub: string, repo: string, commit: string): RemoteFile[] {
	if (!Array.isArray(json))
		throw new HubUnavailableError(`${hub} did not list the files of ${repo}.`, { hub, repo });
	const files: RemoteFile[] = [];
	for (const entry of json as unknown[]) {
		if (typeof entry !== 'object' || entry === null) continue;
		const item = entry as { type?: unknown; path?: unknown; size?: unknown; oid?: unknown; lfs?: unknown };
		if (item.type !== 'file' || typeof item.path !== 'string' || typeof item.size !== 'number') continue;
		const lfs =
			typeof item.lfs === 'object' && item.lfs !== null
				? (item.lfs as { oid?: unknown; size?: unknown })
				: null;
		const sha256 = lfs && typeof lfs.oid === 'string' && /^[0-9a-f]{64}$/.test(lfs.oid) ? lfs.oid : null;
		// For an LFS file the tree's oid is the pointer's git oid, not the content's: only sha256 checks it.
		const gitOid = !lfs && typeof item.oid === 'string' && /^[0-9a-f]{40}$/.test(item.oid) ? item.oid : null;
		const size = lfs && typeof lfs.size === 'number' ? lfs.size : item.size;
		files.push({ path: item.path, size, sha256, gitOid, url: resolveUrl(hub, repo, commit, item.path) });
	}
	return files;
}

const DTYPE_SUFFIX: Record<Dtype, string> = {
	fp32: '',
	fp16: '_fp16',
	q8: '_quantized',
	int8: '_int8',
	uint8: '_uint8',
	q4: '_q4',
	q4f16: '_q4f16',
	bnb4: '_bnb4'
};
const ALL_SUFFIXES = Object.values(DTYPE_SUFFIX).filter((suffix) => suffix !== '');

// Root files a pipeline may read: configs, tokenizers, processors, vocabularies. Never the card or weights
// in other formats (safetensors, bin): transformers.js only runs ONNX.
const SUPPORT_FILE = /^[^/]+\.(json|txt|model|jinja)$/;

/** The ONNX graphs of the repo published in this dtype, with their external-data files. */
function weightsFor(files: readonly RemoteFile[], dtype: Dtype): RemoteFile[] {
	const suffix = DTYPE_SUFFIX[dtype];
	const graphs = files.filter((file) => {
		const match = /^onnx\/(.+)\.onnx$/.exec(file.path);
		if (!match?.[1]) return false;
		const stem = match[1];
		if (suffix === '') return !ALL_SUFFIXES.some((other) => stem.endsWith(other));
		return stem.endsWith(suffix);
	});
	const names = new Set(graphs.map((file) => file.path));
	// Large graphs keep their weights next to them in model.onnx_data (or _data_1, _data_2, …).
	const external = files.filter((file) => [...names].some((graph) => file.path.startsWith(`${graph}_data`)));
	return [...graphs, ...external];
}

/** What a pipeline needs to load the model in this dtype: the support files and that dtype's weights. */
export function selectModelFiles(files: readonly RemoteFile[], dtype: Dtype): RemoteFile[] {
	const support = files.filter((file) => SUPPORT_FILE.test(file.path));
	return [...support, ...weightsFor(files, dtype)];
}

/** Refuses, naming what is missing, a model transformers.js cannot load: no config, or no ONNX weights. */
export function checkModelFiles(
	model: string,
	all: readonly RemoteFile[],
	needed: readonly RemoteFile[]
): void {
	if (!all.some((file) => file.path === 'config.json')) {
		throw new ModelLoadError(
			`${model} has no config.json, so its architecture is unknown and it cannot be loaded.`,
			{ model }
		);
	}
	if (needed.some((file) => file.path.endsWith('.onnx'))) return;
	const onnx = all.some((file) => file.path.endsWith('.onnx'));
	const other = all.some((file) => /\.(safetensors|bin|pt|gguf)$/.test(file.path));
	throw new ModelLoadError(
		onnx
			? `${model} has ONNX files, but not under onnx/ with the names transformers.js loads (onnx/model.onnx, onnx/model_quantized.onnx, …).`
			: `${model} has no ONNX weights (onnx/*.onnx); transformers.js runs ONNX models only.${other ? ' It publishes PyTorch or safetensors weights: look for an ONNX conversion of it (often under onnx-community/ or Xenova/).' : ''}`,
		{ model }
	);
}

// Worker side: where a model's files come from. Resolves a model and revision offline-first (a stored commit
// needs no network, not even to learn what `main` means), plans the backend and the files that dtype needs,
// and downloads what is missing into the ModelStore with resume and verification, reporting progress.

import { allowedHubs, notAllowedMessage } from '$lib/config/allowlist';
import { HubClient, hubBaseUrl } from '$lib/hub/client';
import { checkModelFiles, selectModelFiles } from '$lib/hub/files';
import type { ModelStore } from '$lib/store/model-store';
import type { RemoteFile } from '$lib/store/types';
import { getTask, type TaskId } from '$lib/tasks/registry';
import { planBackend, type BackendPlan, type DeviceCapabilities } from './backend';
import { ModelLoadError, ModelNotAllowedError } from './errors';
import { isOnnxPipeline, selectOnnxFiles } from './onnx-model';
import { modelKey, type DownloadPlan, type FileProgress, type LoadOptions, type ModelRef } from './protocol';

const COMMIT = /^[0-9a-f]{40}$/;

/**
 * Where files opened from disk are stored: a hub of their own, so they never mix with a hub's repos and planning
 * them never asks the network. Their repo is `local/<sha256>` and their commit the hash's first 40 digits.
 */
export const LOCAL_HUB = 'local:';
const LOCAL_GRAPH = 'model.onnx';

export function isLocalModel(model: string): boolean {
	return model.startsWith('local/');
}

/** The backend for a task's model; a task's own ONNX pipeline may rule WebGPU out (its graphs say which). */
function planFor(
	task: TaskId,
	caps: DeviceCapabilities,
	options: LoadOptions,
	files: readonly RemoteFile[]
): BackendPlan {
	const pipeline: unknown = getTask(task).pipeline;
	const own = isOnnxPipeline(pipeline) && !pipeline.devices.includes('webgpu');
	const backend = planBackend(caps, {
		device: own ? 'wasm' : options.device,
		dtype: options.dtype,
		files: files.map((f) => f.path)
	});
	if (own && options.device === 'webgpu')
		backend.notes.push('This task runs its model on WASM only; WebGPU is not used for it.');
	return backend;
}

/**
 * The files a load needs: a transformers.js pipeline's for the dtype (checked against the hub's listing, not
 * again for a stored copy), or what a task's own pipeline names.
 */
function selectFiles(
	task: TaskId,
	model: string,
	files: readonly RemoteFile[],
	backend: BackendPlan,
	check: boolean,
	graph?: string
): RemoteFile[] {
	const pipeline: unknown = getTask(task).pipeline;
	if (isOnnxPipeline(pipeline)) {
		let wanted: Set<string>;
		try {
			const paths = files.map((file) => file.path);
			wanted = new Set(selectOnnxFiles(pipeline, model, paths, graph));
		} catch (error) {
			// A stored copy that lacks a file is not usable offline: the hub's listing decides (and explains).
			if (check) throw error;
			return [];
		}
		return files.filter((file) => wanted.has(file.path));
	}
	const needed = selectModelFiles(files, backend.dtype);
	if (check) checkModelFiles(model, files, needed);
	return needed;
}

/**
 * The files a load of this model for this task would download on a device with these capabilities, checked
 * like a load checks them. The mirror tool (scripts/mirror) calls it so a mirror holds exactly what the app
 * fetches.
 */
export function filesForLoad(
	task: TaskId,
	model: string,
	files: readonly RemoteFile[],
	caps: DeviceCapabilities,
	options: Pick<LoadOptions, 'device' | 'dtype'>
): { backend: BackendPlan; files: RemoteFile[] } {
	const backend = planFor(task, caps, { ...options, hubs: [] }, files);
	return { backend, files: selectFiles(task, model, files, backend, true) };
}

export class ModelSource {
	readonly #store: ModelStore;
	readonly #origin: string;

	constructor(store: ModelStore, origin: string) {
		this.#store = store;
		this.#origin = origin;
	}

	/** The stored copy of the model on the first hub that has one complete, with its files. */
	async #fromStore(
		hubs: string[],
		ref: ModelRef
	): Promise<{ hub: string; commit: string; files: RemoteFile[] } | null> {
		for (const hub of hubs) {
			const commit = COMMIT.test(ref.revision)
				? ref.revision
				: await this.#store.lookupRef(hub, ref.model, ref.revision);
			if (!commit) continue;
			const stored = (await this.#store.listModels()).find(
				(model) => model.hub === hub && model.repo === ref.model && model.commit === commit
			);
			// A model whose record lists files that were never stored needs the hub for those.
			if (!stored || stored.missing.length > 0) continue;
			const files = stored.files.map((file) => ({
				path: file.path,
				size: file.size,
				sha256: file.sha256,
				gitOid: file.gitOid,
				url: `${hub}${ref.model}/resolve/${commit}/${file.path}`
			}));
			return { hub, commit, files };
		}
		return null;
	}

	async plan(
		task: TaskId,
		ref: ModelRef,
		options: LoadOptions,
		caps: DeviceCapabilities,
		signal?: AbortSignal
	): Promise<DownloadPlan> {
		const configured = options.hubs.map((hub) => hubBaseUrl(hub, this.#origin));
		// Enforced here, where every load passes, so no page or share link can go around the allowlist.
		if (isLocalModel(ref.model)) return this.#planLocal(task, ref, options, caps);
		const hubs = allowedHubs(configured, ref.model, options.allowlist, this.#origin);
		if (options.allowlist && hubs.length === 0)
			throw new ModelNotAllowedError(notAllowedMessage(ref.model, options.allowlist), { model: ref.model });
		const source = await this.#fromStore(hubs, ref);
		if (source) {
			const backend = planFor(task, caps, options, source.files);
			const needed = selectFiles(task, ref.model, source.files, backend, false, ref.graph);
			const plan = await this.#describe(task, ref, source.hub, source.commit, backend, needed, source.files);
			// Everything stored: no network at all. Otherwise ask the hub again below (the rest must be fetched anyway).
			if (plan.missingBytes === 0 && needed.length > 0) return plan;
		}
		const client = new HubClient(hubs);
		const resolved = await client.resolve(ref.model, ref.revision, signal);
		await this.#store.rememberRef(resolved.hub, ref.model, ref.revision, resolved.commit);
		const files = await client.listFiles(resolved.hub, ref.model, resolved.commit, signal);
		const backend = planFor(task, caps, options, files);
		const needed = selectFiles(task, ref.model, files, backend, true, ref.graph);
		const spec = getTask(task) as { hubTags?: readonly string[]; modelOf?: unknown };
		const tags = spec.hubTags ?? [task];
		// A task that runs whichever graph the user names (the ONNX page) fits every tag.
		if (resolved.pipelineTag && !spec.modelOf && !tags.includes(resolved.pipelineTag)) {
			backend.notes.push(
				`${ref.model} is tagged ${resolved.pipelineTag} on the hub, not ${tags.join(' or ')}; it may not fit this task.`
			);
		}
		return this.#describe(task, ref, resolved.hub, resolved.commit, backend, needed, files);
	}

	/**
	 * A file opened from disk: only ever in the store (its bytes never came from a hub, so no allowlist applies
	 * and no network is asked), and refused with what to do where it is not stored.
	 */
	async #planLocal(
		task: TaskId,
		ref: ModelRef,
		options: LoadOptions,
		caps: DeviceCapabilities
	): Promise<DownloadPlan> {
		const source = await this.#fromStore([LOCAL_HUB], ref);
		if (!source) {
			throw new ModelLoadError(
				`${ref.model} is a file that was opened from disk, and it is not stored on this device: a file's bytes ` +
					'never travel in a link. Open the .onnx file here again.',
				{ model: ref.model }
			);
		}
		const backend = planFor(task, caps, options, source.files);
		const needed = selectFiles(task, ref.model, source.files, backend, true, ref.graph);
		return this.#describe(task, ref, LOCAL_HUB, source.commit, backend, needed, source.files);
	}

	/**
	 * Stores an .onnx file opened from disk as the repo `local/<sha256>` (one graph, `model.onnx`), so it plans,
	 * loads and stays listed like any stored model, and a link naming it works again on this device.
	 */
	async storeLocal(bytes: ArrayBuffer, task: TaskId): Promise<ModelRef & { graph: string }> {
		const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
		const sha256 = Array.from(digest, (byte) => byte.toString(16).padStart(2, '0')).join('');
		const model = `local/${sha256}`;
		const commit = sha256.slice(0, 40);
		const remote: RemoteFile = {
			path: LOCAL_GRAPH,
			size: bytes.byteLength,
			sha256,
			gitOid: null,
			url: `${LOCAL_HUB}${model}/resolve/${commit}/${LOCAL_GRAPH}`
		};
		const ref = { hub: LOCAL_HUB, repo: model, commit, path: LOCAL_GRAPH };
		await this.#store.recordModel(LOCAL_HUB, model, commit, { task, files: [remote] });
		// The store's own download path writes and hashes the bytes; they come from memory, not a hub.
		await this.#store.download(ref, remote, { fetch: async () => new Response(bytes) });
		await this.#store.rememberRef(LOCAL_HUB, model, 'main', commit);
		return { model, revision: 'main', graph: LOCAL_GRAPH };
	}

	async #describe(
		task: TaskId,
		ref: ModelRef,
		hub: string,
		commit: string,
		backend: BackendPlan,
		needed: RemoteFile[],
		all: RemoteFile[]
	): Promise<DownloadPlan> {
		const files = await Promise.all(
			needed.map(async (file) => {
				const record = await this.#store.getFile({ hub, repo: ref.model, commit, path: file.path });
				const complete = record && (record.state === 'complete' || record.state === 'verified');
				return {
					path: file.path,
					size: file.size,
					bytesStored: complete ? file.size : (record?.bytesStored ?? 0)
				};
			})
		);
		const totalBytes = files.reduce((sum, file) => sum + file.size, 0);
		const stored = files.reduce((sum, file) => sum + file.bytesStored, 0);
		return {
			task,
			model: ref.model,
			revision: ref.revision,
			hub,
			commit,
			backend,
			files,
			totalBytes,
			missingBytes: totalBytes - stored,
			remote: needed,
			known: all.map((file) => file.path),
			key: modelKey(hub, ref.model, commit, backend, ref.graph)
		};
	}

	/** Downloads whatever the plan still misses, one file at a time, into the store. */
	async download(
		plan: DownloadPlan,
		onProgress: (file: FileProgress) => void,
		signal?: AbortSignal
	): Promise<void> {
		await this.#store.recordModel(plan.hub, plan.model, plan.commit, { task: plan.task, files: plan.remote });
		for (const remote of plan.remote) {
			const ref = { hub: plan.hub, repo: plan.model, commit: plan.commit, path: remote.path };
			const record = await this.#store.getFile(ref);
			if (record && (record.state === 'complete' || record.state === 'verified')) {
				onProgress({ file: remote.path, loaded: remote.size, total: remote.size, done: true });
				continue;
			}
			await this.#store.download(ref, remote, {
				signal,
				onProgress: (loaded, total) => onProgress({ file: remote.path, loaded, total, done: false })
			});
			onProgress({ file: remote.path, loaded: remote.size, total: remote.size, done: true });
		}
		await this.#store.touch(plan.hub, plan.model, plan.commit);
	}
}

// Worker side: where a model's files come from. Resolves a model and revision offline-first (a stored commit
// needs no network, not even to learn what `main` means), plans the backend and the files that dtype needs,
// and downloads what is missing into the ModelStore with resume and verification, reporting progress.

import { HubClient, hubBaseUrl } from '$lib/hub/client';
import { checkModelFiles, selectModelFiles } from '$lib/hub/files';
import type { ModelStore } from '$lib/store/model-store';
import type { RemoteFile } from '$lib/store/types';
import { getTask, type TaskId } from '$lib/tasks/registry';
import { planBackend, type BackendPlan, type DeviceCapabilities } from './backend';
import { modelKey, type DownloadPlan, type FileProgress, type LoadOptions, type ModelRef } from './protocol';

const COMMIT = /^[0-9a-f]{40}$/;

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
		const hubs = options.hubs.map((hub) => hubBaseUrl(hub, this.#origin));
		const source = await this.#fromStore(hubs, ref);
		if (source) {
			const backend = planBackend(caps, {
				device: options.device,
				dtype: options.dtype,
				files: source.files.map((f) => f.path)
			});
			const needed = selectModelFiles(source.files, backend.dtype);
			const plan = await this.#describe(task, ref, source.hub, source.commit, backend, needed, source.files);
			// Everything stored: no network at all. Otherwise ask the hub again below (the rest must be fetched anyway).
			if (plan.missingBytes === 0 && needed.length > 0) return plan;
		}
		const client = new HubClient(hubs);
		const resolved = await client.resolve(ref.model, ref.revision, signal);
		await this.#store.rememberRef(resolved.hub, ref.model, ref.revision, resolved.commit);
		const files = await client.listFiles(resolved.hub, ref.model, resolved.commit, signal);
		const backend = planBackend(caps, {
			device: options.device,
			dtype: options.dtype,
			files: files.map((f) => f.path)
		});
		const needed = selectModelFiles(files, backend.dtype);
		checkModelFiles(ref.model, files, needed);
		const tags = (getTask(task) as { hubTags?: readonly string[] }).hubTags ?? [task];
		if (resolved.pipelineTag && !tags.includes(resolved.pipelineTag)) {
			backend.notes.push(
				`${ref.model} is tagged ${resolved.pipelineTag} on the hub, not ${tags.join(' or ')}; it may not fit this task.`
			);
		}
		return this.#describe(task, ref, resolved.hub, resolved.commit, backend, needed, files);
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
			key: modelKey(hub, ref.model, commit, backend)
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

// The one message protocol between the page and the inference worker, imported by both sides.
// Every request carries an id; every message is a discriminated union whose tag fixes its payload, so
// neither side casts. Errors cross as SerializedError and become named classes again on the page.

import type { TaskId, TaskInput, TaskOutput, TaskPartial } from '$lib/tasks/registry';
import type { BackendPlan, DeviceCapabilities, DeviceRequest, Dtype } from './backend';
import type { SerializedError } from './errors';
import type { RemoteFile, StoredModel } from '$lib/store/types';

/** A model as the user names it: which repo, at which revision (branch, tag or commit). */
export interface ModelRef {
	model: string;
	revision: string;
	/** The one ONNX graph in the repo to load, for a task that runs whichever graph the user picks (/onnx). */
	graph?: string;
}

export interface LoadOptions {
	device: DeviceRequest;
	dtype?: Dtype;
	/** Hub base URLs in the order to try them (absolute or root-relative). */
	hubs: readonly string[];
	/** The deployment's allowlist (see $lib/config/allowlist); absent or null allows every hub. */
	allowlist?: readonly string[] | null;
}

/** What the worker knows once a model is ready. */
export interface LoadedModel {
	/** Identifies the loaded instance: (hub, repo, commit, device, dtype). */
	key: string;
	task: TaskId;
	model: string;
	/** The commit the revision resolved to, so a share link can pin it. */
	commit: string;
	hub: string;
	plan: BackendPlan;
	/** Download + session creation + warm-up, in milliseconds. */
	loadMs: number;
	timings: LoadTimings;
	/** Notes for the user about fallbacks that happened while loading. */
	notes: string[];
}

/** One file's download state, as transformers.js reports it. */
export interface FileProgress {
	file: string;
	loaded: number;
	total: number;
	done: boolean;
}

export type LoadPhase = 'resolving' | 'downloading' | 'loading' | 'warming-up';

/** One model commit in the store, as the page names it. */
export interface StoredModelRef {
	hub: string;
	repo: string;
	commit: string;
}

export interface PlannedFile {
	path: string;
	size: number;
	/** Bytes already in the store (a resumed download fetches only the rest). */
	bytesStored: number;
}

/** What loading a model will take, known before any weights are fetched. */
export interface DownloadPlan {
	task: TaskId;
	model: string;
	revision: string;
	hub: string;
	commit: string;
	backend: BackendPlan;
	files: PlannedFile[];
	totalBytes: number;
	/** Bytes still to download; 0 means the model loads with no network at all. */
	missingBytes: number;
	/** The files to fetch, with their hashes: the model's worker downloads exactly these. */
	remote: RemoteFile[];
	/** Every path the commit has; requests for any other file are answered 404 without the network. */
	known: string[];
	/** The model's identity in the pool and the worker: (hub, repo, commit, device, dtype). */
	key: string;
}

/** Where a load's time went, in milliseconds. */
export interface LoadTimings {
	downloadMs: number;
	sessionMs: number;
	warmupMs: number;
	totalMs: number;
}

export type RunRequestOf<T extends TaskId> = {
	kind: 'run';
	id: string;
	key: string;
	task: T;
	input: TaskInput<T>;
};
export type RunRequest = { [T in TaskId]: RunRequestOf<T> }[TaskId];
export type RunResultOf<T extends TaskId> = {
	kind: 'result';
	id: string;
	task: T;
	output: TaskOutput<T>;
	inferenceMs: number;
	/** How many runs shared the call (micro-batching). */
	batchSize: number;
	/** Set when WebGPU failed at run time and the model moved to WASM for this and later runs. */
	fallback?: { reason: string; plan: BackendPlan };
};
export type RunResult = { [T in TaskId]: RunResultOf<T> }[TaskId];
export type RunPartialOf<T extends TaskId> = {
	kind: 'partial';
	id: string;
	task: T;
	partial: TaskPartial<T>;
};
export type RunPartial = { [T in TaskId]: RunPartialOf<T> }[TaskId];

/** Where a worker finds ONNX Runtime's files (the app's own, precached copies). */
export interface RuntimeFiles {
	wasm: string;
	mjs: string;
}

export type PageToWorker =
	| { kind: 'init'; id: string; ortFiles: RuntimeFiles }
	| { kind: 'probe'; id: string }
	| { kind: 'plan'; id: string; task: TaskId; ref: ModelRef; options: LoadOptions }
	| { kind: 'load'; id: string; plan: DownloadPlan }
	| { kind: 'echo'; id: string; payload: ArrayBuffer }
	| RunRequest
	| { kind: 'cancel'; id: string; target: string }
	| { kind: 'dispose'; id: string; key: string }
	| { kind: 'store-list'; id: string }
	| { kind: 'store-delete'; id: string; model: StoredModelRef | 'all' }
	| { kind: 'store-verify'; id: string; model: StoredModelRef }
	| { kind: 'store-check-update'; id: string; model: StoredModelRef; revision: string }
	/** An .onnx file opened from disk, stored as a `local/<sha256>` repo so it loads (and reloads) like any model. */
	| { kind: 'store-local'; id: string; bytes: ArrayBuffer };

export type WorkerToPage =
	| { kind: 'capabilities'; id: string; capabilities: DeviceCapabilities }
	| { kind: 'planned'; id: string; plan: DownloadPlan }
	| { kind: 'echoed'; id: string; payload: ArrayBuffer }
	| { kind: 'store-listing'; id: string; models: StoredModel[]; backend: 'opfs' | 'idb' }
	| { kind: 'store-done'; id: string }
	| { kind: 'store-verified'; id: string; files: { path: string; ok: boolean }[] }
	| { kind: 'store-update'; id: string; current: string; latest: string }
	| { kind: 'stored-local'; id: string; ref: ModelRef & { graph: string } }
	| { kind: 'phase'; id: string; phase: LoadPhase }
	| { kind: 'progress'; id: string; file: FileProgress }
	| RunPartial
	| { kind: 'loaded'; id: string; model: LoadedModel }
	| RunResult
	| { kind: 'disposed'; id: string }
	| { kind: 'error'; id: string; error: SerializedError };

/** Messages that end a request (the others are updates along the way). */
export type FinalMessage = Exclude<WorkerToPage, { kind: 'phase' | 'progress' | 'partial' }>;

export function isFinal(message: WorkerToPage): message is FinalMessage {
	return message.kind !== 'phase' && message.kind !== 'progress' && message.kind !== 'partial';
}

export function modelKey(
	hub: string,
	model: string,
	commit: string,
	plan: Pick<BackendPlan, 'device' | 'dtype'>,
	graph?: string
): string {
	return `${hub}|${model}@${commit}${graph ? `/${graph}` : ''}|${plan.device}|${plan.dtype}`;
}

// Named errors that cross the page/worker boundary as plain data and come back as the same classes,
// so the page can tell "model not found" from "out of memory" without parsing message strings.

export interface SerializedError {
	name: string;
	message: string;
	stack?: string;
	/** Extra facts a page may show (the model id, the hub that answered, the HTTP status). */
	detail?: Record<string, string | number | boolean>;
}

export class BrowserveError extends Error {
	override name = 'BrowserveError';
	detail: Record<string, string | number | boolean>;
	constructor(message: string, detail: Record<string, string | number | boolean> = {}) {
		super(message);
		this.detail = detail;
	}
}

// Each class spells its name out: the production build minifies class names, and the name is what crosses
// the worker boundary and what the page shows.

/** No configured hub has the model (or the revision). */
export class ModelNotFoundError extends BrowserveError {
	override name = 'ModelNotFoundError';
}
/** A hub could not be reached, or answered with something that is not a hub's answer. */
export class HubUnavailableError extends BrowserveError {
	override name = 'HubUnavailableError';
}
/** The model exists but cannot run here (wrong task, missing weights, unsupported architecture). */
export class ModelLoadError extends BrowserveError {
	override name = 'ModelLoadError';
}
/** The model loaded but a run failed. */
export class InferenceError extends BrowserveError {
	override name = 'InferenceError';
}
/** The user (or a newer request) cancelled the work. */
export class CancelledError extends BrowserveError {
	override name = 'CancelledError';
}
/** The worker itself died (script error, out of memory) and took its models with it. */
export class WorkerCrashedError extends BrowserveError {
	override name = 'WorkerCrashedError';
}
/** A request the worker does not understand: a bug in the page, never the user's fault. */
export class ProtocolError extends BrowserveError {
	override name = 'ProtocolError';
}

/** A downloaded file did not match the hash the hub published for it. */
export class IntegrityError extends BrowserveError {
	override name = 'IntegrityError';
}
/** The browser's storage quota is too small for the download, or ran out during it. */
export class StorageFullError extends BrowserveError {
	override name = 'StorageFullError';
}
/** The network dropped during a download and retrying did not get the rest (what was stored is kept). */
export class DownloadError extends BrowserveError {
	override name = 'DownloadError';
}

/** The deployment's allowlist refuses the model (see $lib/config/allowlist). */
export class ModelNotAllowedError extends BrowserveError {
	override name = 'ModelNotAllowedError';
}

const KNOWN = {
	ModelNotAllowedError,
	IntegrityError,
	StorageFullError,
	DownloadError,
	ModelNotFoundError,
	HubUnavailableError,
	ModelLoadError,
	InferenceError,
	CancelledError,
	WorkerCrashedError,
	ProtocolError
} as const;

export type KnownErrorName = keyof typeof KNOWN;

export function serializeError(error: unknown): SerializedError {
	if (error instanceof BrowserveError) {
		return { name: error.name, message: error.message, stack: error.stack, detail: error.detail };
	}
	if (error instanceof Error) return { name: error.name, message: error.message, stack: error.stack };
	return { name: 'Error', message: typeof error === 'string' ? error : JSON.stringify(error) };
}

export function deserializeError(data: SerializedError): Error {
	const Known = (KNOWN as Record<string, typeof BrowserveError | undefined>)[data.name];
	const error = Known ? new Known(data.message, data.detail) : new Error(data.message);
	if (!Known) error.name = data.name;
	if (data.stack) error.stack = data.stack;
	return error;
}

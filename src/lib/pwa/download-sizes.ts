// Download sizes remembered from the hub's answers, so that offline a task page can still say how big a model
// it does not have would be to download (the hub that knows the sizes cannot be asked then). Kept in
// localStorage, a few hundred entries at most, newest first.

import { formatBytes } from '$lib/format';

const KEY = 'browserve:download-sizes';
const MAX_ENTRIES = 200;

export interface RememberedSize {
	/** Bytes the model's planned files take in all. */
	bytes: number;
	files: number;
	/** When the hub said so (ms since the epoch). */
	at: number;
}

type SizeTable = Record<string, RememberedSize>;

function entryKey(model: string, revision: string): string {
	return `${model}@${revision}`;
}

function isRememberedSize(value: unknown): value is RememberedSize {
	if (typeof value !== 'object' || value === null) return false;
	const entry = value as Record<string, unknown>;
	return (
		typeof entry.bytes === 'number' &&
		Number.isFinite(entry.bytes) &&
		entry.bytes >= 0 &&
		typeof entry.files === 'number' &&
		typeof entry.at === 'number'
	);
}

/** Reads the table; anything malformed is dropped, never trusted. */
export function parseSizeTable(raw: string | null): SizeTable {
	let json: unknown;
	try {
		json = JSON.parse(raw ?? '{}');
	} catch {
		return {};
	}
	if (typeof json !== 'object' || json === null || Array.isArray(json)) return {};
	return Object.fromEntries(Object.entries(json).filter(([, value]) => isRememberedSize(value)));
}

/** The table with one model's size added (or refreshed), keeping only the newest entries. */
export function withSize(table: SizeTable, model: string, revision: string, size: RememberedSize): SizeTable {
	const entries = Object.entries({ ...table, [entryKey(model, revision)]: size });
	entries.sort((a, b) => b[1].at - a[1].at);
	return Object.fromEntries(entries.slice(0, MAX_ENTRIES));
}

export function rememberDownloadSize(
	model: string,
	revision: string,
	size: RememberedSize,
	storage: Storage = localStorage
): void {
	try {
		storage.setItem(
			KEY,
			JSON.stringify(withSize(parseSizeTable(storage.getItem(KEY)), model, revision, size))
		);
	} catch {
		// Storage full or off: the size is then unknown offline, which the page says.
	}
}

export function rememberedDownloadSize(
	model: string,
	revision: string,
	storage: Pick<Storage, 'getItem'> = localStorage
): RememberedSize | null {
	try {
		return parseSizeTable(storage.getItem(KEY))[entryKey(model, revision)] ?? null;
	} catch {
		return null;
	}
}

/** What a task page says offline about a model that is not stored: it needs a connection, and how much. */
export function offlineModelMessage(model: string, size: RememberedSize | null): string {
	const amount = size
		? `a download of ${formatBytes(size.bytes)} (${size.files} ${size.files === 1 ? 'file' : 'files'}, as the hub said on ${new Date(size.at).toLocaleDateString('en')})`
		: 'a download whose size is not known offline (this device has not asked the hub about it before)';
	return `You are offline, and ${model} is not stored on this device. It needs a connection for ${amount}. Connect and run it again; from then on it runs offline.`;
}

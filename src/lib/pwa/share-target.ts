// The share target's service-worker half: what another app POSTs to /share-target (the manifest's
// share_target) becomes a GET of the same page with the text in the query and any image or sound kept in a
// cache under a same-origin address, which task pages already know how to fetch. Safe to import in the
// service worker: no registry, no DOM.

/** The share target's path under the app's base (the manifest's share_target.action and file_handlers). */
export const SHARE_PATH = '/share-target';
/** Where shared files are served from (by the service worker, out of SHARED_CACHE). */
export const SHARED_FILES_PATH = '/share-target/files/';
export const SHARED_CACHE = 'browserve-shared';
/** The form field names the manifest declares. */
export const SHARE_FIELDS = { title: 'title', text: 'text', url: 'url', files: 'media' } as const;
/** Shared files kept at once: enough for a few shares in a row, never a growing pile. */
const KEEP_FILES = 4;
/** Larger files are refused with a message: a tab decodes them in memory. */
export const MAX_SHARED_BYTES = 200 * 1024 * 1024;

export type MediaKind = 'image' | 'audio';

const EXTENSIONS: Record<string, MediaKind> = {
	png: 'image',
	jpg: 'image',
	jpeg: 'image',
	webp: 'image',
	gif: 'image',
	bmp: 'image',
	avif: 'image',
	wav: 'audio',
	mp3: 'audio',
	ogg: 'audio',
	oga: 'audio',
	flac: 'audio',
	m4a: 'audio',
	webm: 'audio'
};

/** Whether a file is an image or a sound, by its type, else by its extension (some apps share no type). */
export function mediaKind(type: string, name: string): MediaKind | null {
	const major = type.split('/')[0]?.toLowerCase();
	if (major === 'image' || major === 'audio') return major;
	const extension = /\.([a-z0-9]+)$/i.exec(name)?.[1]?.toLowerCase();
	return extension ? (EXTENSIONS[extension] ?? null) : null;
}

const GUESSED_TYPES: Record<string, string> = {
	jpg: 'image/jpeg',
	mp3: 'audio/mpeg',
	oga: 'audio/ogg',
	wav: 'audio/wav'
};

/** The content type to keep a shared file with: its own when it names the kind, else one from its extension. */
export function mediaType(kind: MediaKind, type: string, name: string): string {
	if (type.toLowerCase().startsWith(`${kind}/`)) return type;
	const extension = /\.([a-z0-9]+)$/i.exec(name)?.[1]?.toLowerCase() ?? '';
	return GUESSED_TYPES[extension] ?? `${kind}/${extension || '*'}`;
}

function field(form: FormData, name: string): string {
	const value = form.get(name);
	return typeof value === 'string' ? value.trim() : '';
}

function isFile(value: FormDataEntryValue): value is File {
	return typeof value !== 'string';
}

/**
 * The query string the share-target page gets for a shared form: its text fields, and for its first file
 * either the address it is kept under (image=… or audio=…) or why it cannot be used (problem=…).
 */
export async function shareQuery(
	form: FormData,
	keepFile: (file: File, type: string) => Promise<string>
): Promise<URLSearchParams> {
	const query = new URLSearchParams();
	for (const name of ['title', 'text', 'url'] as const) {
		const value = field(form, SHARE_FIELDS[name]);
		if (value) query.set(name, value);
	}
	const file = form.getAll(SHARE_FIELDS.files).find(isFile);
	if (file && file.size > 0) {
		const kind = mediaKind(file.type, file.name);
		if (!kind) {
			query.set(
				'problem',
				`“${file.name || 'The shared file'}” (${file.type || 'unknown type'}) is neither an image nor a sound, so no task here can open it.`
			);
		} else if (file.size > MAX_SHARED_BYTES) {
			query.set(
				'problem',
				`“${file.name}” is ${Math.round(file.size / 1024 / 1024)} MB; shared files may be at most ${MAX_SHARED_BYTES / 1024 / 1024} MB.`
			);
		} else {
			query.set(kind, await keepFile(file, mediaType(kind, file.type, file.name)));
		}
	}
	return query;
}

/**
 * Keeps a shared file in the shared-files cache and returns its same-origin address. Used by the service
 * worker (share target) and by the page (files opened with the app, File Handling API).
 */
export async function keepSharedFile(
	file: Blob,
	type: string,
	origin: string,
	base: string
): Promise<string> {
	const cache = await caches.open(SHARED_CACHE);
	const url = `${origin}${base}${SHARED_FILES_PATH}${crypto.randomUUID()}`;
	await cache.put(
		url,
		new Response(file, {
			headers: {
				'Content-Type': type,
				'Cache-Control': 'no-store'
			}
		})
	);
	// Cache keys come back in insertion order: drop all but the newest few.
	const keys = await cache.keys();
	await Promise.all(keys.slice(0, Math.max(0, keys.length - KEEP_FILES)).map((key) => cache.delete(key)));
	return url;
}

/** A shared file's response, or a 404 that says the share has expired. */
export async function sharedFileResponse(url: string): Promise<Response> {
	const cache = await caches.open(SHARED_CACHE);
	const found = await cache.match(url);
	return (
		found ??
		new Response('This shared file is no longer kept on this device; share it again.', {
			status: 404,
			headers: { 'Content-Type': 'text/plain; charset=utf-8' }
		})
	);
}

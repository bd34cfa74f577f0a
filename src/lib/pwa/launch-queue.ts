// File Handling API: when the installed app is chosen to open an image or sound file (the manifest's
// file_handlers), the browser hands the file to the share-target page through window.launchQueue. The file
// then goes the same way a shared one does (shareQuery), so both end on the same task page.

import { keepSharedFile, SHARE_FIELDS, shareQuery } from './share-target';

/** The parts of the File Handling API used here (not in TypeScript's DOM types yet). */
interface LaunchParams {
	readonly files: readonly FileSystemHandle[];
}
interface LaunchQueue {
	setConsumer(consumer: (params: LaunchParams) => void): void;
}

function launchQueue(): LaunchQueue | null {
	const queue = (globalThis as { launchQueue?: LaunchQueue }).launchQueue;
	return queue && typeof queue.setConsumer === 'function' ? queue : null;
}

/** Whether this browser can open files with the installed app. */
export function supportsFileHandling(): boolean {
	return launchQueue() !== null;
}

/**
 * Calls `open` with the share-target query for the first file the app was launched with (image=… or
 * audio=…, or problem=… for a file no task takes). Returns false where the browser has no launch queue.
 */
export function consumeLaunchedFiles(
	base: string,
	open: (query: URLSearchParams) => void,
	origin = location.origin
): boolean {
	const queue = launchQueue();
	if (!queue) return false;
	queue.setConsumer((params) => {
		const handle = params.files.find((file): file is FileSystemFileHandle => file.kind === 'file');
		if (!handle) return;
		void (async () => {
			let query: URLSearchParams;
			try {
				const form = new FormData();
				form.append(SHARE_FIELDS.files, await handle.getFile());
				query = await shareQuery(form, (file, type) => keepSharedFile(file, type, origin, base));
			} catch (error) {
				query = new URLSearchParams({
					problem: `The file could not be opened (${error instanceof Error ? error.message : String(error)}).`
				});
			}
			open(query);
		})();
	});
	return true;
}

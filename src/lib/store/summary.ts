// How a stored model looks on a storage page: its record joined with its files' records, with the totals
// and the one state that sums them up.

import type { FileRecord, FileState, ModelRecord, StoredModel } from './types';

const STRENGTH: Record<FileState, number> = { partial: 0, complete: 1, verified: 2 };

/** `files`: every file record of the model's (hub, repo, commit), listed in the model record or not. */
export function summarizeModel(model: ModelRecord, files: readonly FileRecord[]): StoredModel {
	const recorded = new Set(files.map((file) => file.path));
	const missing = model.files.filter((path) => !recorded.has(path));
	let state: FileState = missing.length > 0 || files.length === 0 ? 'partial' : 'verified';
	for (const file of files) if (STRENGTH[file.state] < STRENGTH[state]) state = file.state;
	const summary: StoredModel = {
		hub: model.hub,
		repo: model.repo,
		commit: model.commit,
		files: [...files].sort((a, b) => a.path.localeCompare(b.path)),
		missing,
		totalSize: model.totalSize,
		bytesStored: files.reduce((sum, file) => sum + file.bytesStored, 0),
		state,
		firstUsed: model.firstUsed,
		lastUsed: model.lastUsed
	};
	if (model.task !== undefined) summary.task = model.task;
	return summary;
}

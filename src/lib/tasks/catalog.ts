// The catalog the home page shows: every Hugging Face task in the modalities Browserve serves, with the
// names and one-line summaries from @huggingface/tasks (not written by hand), marked as runnable here or not yet.
// Page-only: the worker never imports this, so the task descriptions stay out of its bundle.

import { MODALITY_LABELS, PIPELINE_DATA, TASKS_DATA, type PipelineType } from '@huggingface/tasks';
import { isTaskId, type TaskId } from './registry';
import type { Modality } from './types';

export interface CatalogEntry {
	id: PipelineType;
	name: string;
	summary: string;
	modality: Modality;
	/** Runs in Browserve today. */
	available: boolean;
}

export const MODALITY_ORDER: readonly Modality[] = ['nlp', 'cv', 'audio', 'multimodal'];

export function modalityLabel(modality: Modality): string {
	return MODALITY_LABELS[modality];
}

function summaryOf(id: PipelineType): string {
	const summary = TASKS_DATA[id]?.summary ?? '';
	// The hub's summaries run to a paragraph; the catalog shows their first sentence.
	const first = /^.*?[.!?](?=\s|$)/.exec(summary)?.[0];
	return first ?? summary;
}

export function taskName(id: TaskId): string {
	return PIPELINE_DATA[id].name;
}

export function taskSummary(id: TaskId): string {
	return summaryOf(id);
}

export function buildCatalog(): Map<Modality, CatalogEntry[]> {
	const groups = new Map<Modality, CatalogEntry[]>(MODALITY_ORDER.map((modality) => [modality, []]));
	for (const [id, data] of Object.entries(PIPELINE_DATA) as [
		PipelineType,
		(typeof PIPELINE_DATA)[PipelineType]
	][]) {
		const group = groups.get(data.modality as Modality);
		if (!group || ('hideInModels' in data && data.hideInModels)) continue;
		group.push({
			id,
			name: data.name,
			summary: summaryOf(id),
			modality: data.modality as Modality,
			available: isTaskId(id)
		});
	}
	for (const group of groups.values())
		group.sort((a, b) => Number(b.available) - Number(a.available) || a.name.localeCompare(b.name));
	return groups;
}

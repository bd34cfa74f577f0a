// The catalog the home page shows: every Hugging Face task in the modalities Browserve serves, with the
// names and one-line summaries from @huggingface/tasks (not written by hand), marked as runnable here or not yet.
// Page-only: the worker never imports this, so the task descriptions stay out of its bundle.

import { MODALITY_LABELS, PIPELINE_DATA, TASKS_DATA, type PipelineType } from '@huggingface/tasks';
import { getTask, isTaskId, TASK_IDS, type TaskId } from './registry';
import type { Modality, TaskSpec } from './types';

export interface CatalogEntry {
	/** A pipeline tag of @huggingface/tasks, or a task of ours it does not list. */
	id: string;
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

/** The @huggingface/tasks pipeline a task is, or null for one it does not list (conversational). */
function hubPipeline(id: string): PipelineType | null {
	return Object.hasOwn(PIPELINE_DATA, id) ? (id as PipelineType) : null;
}

/** What a task says of itself, for when @huggingface/tasks has nothing to say. */
function ownWords(id: TaskId): Pick<TaskSpec<unknown, unknown>, 'id' | 'title' | 'summary'> {
	return getTask(id);
}

export function taskName(id: TaskId): string {
	const pipeline = hubPipeline(id);
	return pipeline ? PIPELINE_DATA[pipeline].name : (ownWords(id).title ?? id);
}

export function taskSummary(id: TaskId): string {
	const pipeline = hubPipeline(id);
	return pipeline ? summaryOf(pipeline) : (ownWords(id).summary ?? '');
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
	// Tasks the hub no longer lists on their own (a chat is text generation with a template) still run here.
	for (const id of TASK_IDS) {
		if (hubPipeline(id)) continue;
		const { modality } = getTask(id);
		groups
			.get(modality)
			?.push({ id, name: taskName(id), summary: taskSummary(id), modality, available: true });
	}
	for (const group of groups.values())
		group.sort((a, b) => Number(b.available) - Number(a.available) || a.name.localeCompare(b.name));
	return groups;
}

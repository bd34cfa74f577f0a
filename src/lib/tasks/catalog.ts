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
	/** Why it does not run here yet (only when not available). */
	reason?: string;
}

/**
 * Why a Hugging Face task has no page here yet, by task; tasks not named get NO_PIPELINE. These are facts about
 * transformers.js 4.3 (the library Browserve runs models with), not about the hub.
 */
const NOT_YET: Readonly<Record<string, string>> = {
	'text-to-image':
		'Diffusion models need a denoising loop and a VAE decoder that transformers.js has no pipeline for.',
	'image-text-to-image': 'Image editing runs diffusion models, which transformers.js has no pipeline for.',
	'text-to-video':
		'Video diffusion models are far beyond what transformers.js runs, and too large for a tab.',
	'image-to-video':
		'Video diffusion models are far beyond what transformers.js runs, and too large for a tab.',
	'unconditional-image-generation':
		'Image generation models are diffusion or GAN models that transformers.js has no pipeline for.',
	'table-question-answering':
		'TAPAS-style table models need a table tokenizer that transformers.js does not implement.',
	'audio-to-audio':
		'Speech enhancement and source separation have no transformers.js pipeline; the models use other runtimes.',
	'video-classification': 'transformers.js has no video decoder or video classification pipeline.',
	'graph-ml':
		'Graph models take graph inputs that neither transformers.js nor ONNX Runtime Web pipelines accept.',
	'text-to-3d': '3D generation models do not run in transformers.js.',
	'image-to-3d': '3D generation models do not run in transformers.js.'
};
const NO_PIPELINE = 'transformers.js 4.3 has no pipeline for this task yet.';

/** Why a task is not available here, in one sentence. */
export function whyNotYet(id: string): string {
	return NOT_YET[id] ?? NO_PIPELINE;
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
	// Some tasks @huggingface/tasks names have no summary there (text-to-audio): the task's own words then.
	return (pipeline ? summaryOf(pipeline) : '') || (ownWords(id).summary ?? '');
}

export function buildCatalog(): Map<Modality, CatalogEntry[]> {
	const groups = new Map<Modality, CatalogEntry[]>(MODALITY_ORDER.map((modality) => [modality, []]));
	for (const [id, data] of Object.entries(PIPELINE_DATA) as [
		PipelineType,
		(typeof PIPELINE_DATA)[PipelineType]
	][]) {
		const group = groups.get(data.modality as Modality);
		if (!group || ('hideInModels' in data && data.hideInModels)) continue;
		const available = isTaskId(id);
		group.push({
			id,
			name: data.name,
			summary: available ? taskSummary(id) : summaryOf(id),
			modality: data.modality as Modality,
			available,
			...(available ? {} : { reason: whyNotYet(id) })
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

// What the page draws for each task: its input and output widgets. Typed by TaskId, so a task added to the
// registry without widgets is a compile error here. Page-only; the worker never imports Svelte.

import type { Component } from 'svelte';
import type { TaskId, TaskInput, TaskOutput, TaskPartial } from './registry';
import TextClassificationInput from './widgets/TextClassificationInput.svelte';
import LabelScores from './widgets/LabelScores.svelte';
import TextGenerationInput from './widgets/TextGenerationInput.svelte';
import GenerationProgress from './widgets/GenerationProgress.svelte';
import GeneratedText from './widgets/GeneratedText.svelte';

export interface TaskWidgets<T extends TaskId> {
	/** Edits the input in place (it is the page's reactive state); onsubmit runs it (Ctrl+Enter). */
	Input: Component<{ input: TaskInput<T>; disabled: boolean; onsubmit: () => void }>;
	Output: Component<{ output: TaskOutput<T> }>;
	/** Shown while a streaming run is under way (tokens so far, chunk progress). */
	Partial?: Component<{ partial: TaskPartial<T> }>;
}

export const WIDGETS: { [T in TaskId]: TaskWidgets<T> } = {
	'text-classification': { Input: TextClassificationInput, Output: LabelScores },
	'text-generation': { Input: TextGenerationInput, Output: GeneratedText, Partial: GenerationProgress }
};

// The labels a person makes up for a zero-shot task (text, image, audio classification and object detection),
// and the sentence each label is put into: how the form's chips and a link's comma-separated `labels` become a
// list, the limits on both, and the `labels` and `template` share-link parameters. Safe in the worker.

import type { ParamIssue, PipelineCall } from './types';
import { readTextParam } from './types';

/** A task input with candidate labels and the template each one is put into. */
export interface CandidateLabels {
	/** Trimmed, non-empty, without commas (links separate them with commas) and without duplicates. */
	labels: string[];
	/** The sentence each label is put into; `{}` marks where. */
	hypothesisTemplate: string;
}

/** How the zero-shot pipelines are called: unlike most, they take the labels before their options. */
export type ZeroShotCall<Subject> = (
	subject: Subject,
	labels: readonly string[],
	options: Record<string, unknown>
) => Promise<unknown>;

/** A loaded zero-shot pipeline as it is called (PipelineCall types every pipeline as input, then options). */
export function zeroShotCall<Subject>(pipe: PipelineCall): ZeroShotCall<Subject> {
	return pipe as unknown as ZeroShotCall<Subject>;
}

export const MAX_LABELS = 20;
export const MAX_LABEL_LENGTH = 100;
/** The model runs once per label; past a few hundred characters a template is no longer a hypothesis. */
const MAX_TEMPLATE_LENGTH = 500;

/** Labels from comma-separated text: trimmed, empty ones dropped, each kept once (first spelling wins). */
export function splitLabels(text: string): string[] {
	const labels = text
		.split(',')
		.map((label) => label.trim())
		.filter((label) => label !== '');
	return [...new Set(labels)];
}

function quoted(label: string): string {
	return JSON.stringify(label.length > 40 ? `${label.slice(0, 37)}…` : label);
}

/** Why one more label cannot join `labels`, or null when it can. */
export function whyNotNewLabel(labels: readonly string[], label: string): string | null {
	if (label.length > MAX_LABEL_LENGTH)
		return `A label can be at most ${MAX_LABEL_LENGTH} characters; ${quoted(label)} has ${label.length}.`;
	if (labels.includes(label)) return `${quoted(label)} is already a label.`;
	if (labels.length >= MAX_LABELS) return `There can be at most ${MAX_LABELS} labels.`;
	return null;
}

/** Why a list of labels cannot run, or null when it can. */
export function whyNotLabels(labels: readonly string[]): string | null {
	if (labels.length === 0) return 'Add at least one label.';
	if (labels.length > MAX_LABELS)
		return `There can be at most ${MAX_LABELS} labels; there are ${labels.length}.`;
	const tooLong = labels.find((label) => label.length > MAX_LABEL_LENGTH);
	if (tooLong !== undefined)
		return `A label can be at most ${MAX_LABEL_LENGTH} characters; ${quoted(tooLong)} has ${tooLong.length}.`;
	return null;
}

/** Why a hypothesis template cannot be used, or null when it can. */
export function whyNotTemplate(template: string): string | null {
	if (!template.includes('{}')) return 'The hypothesis template must contain {} where the label goes.';
	if (template.length > MAX_TEMPLATE_LENGTH)
		return `The hypothesis template can be at most ${MAX_TEMPLATE_LENGTH} characters.`;
	return null;
}

/** Why labels and their template cannot run, or null when they can. */
export function whyNotCandidates(input: CandidateLabels): string | null {
	return whyNotLabels(input.labels) ?? whyNotTemplate(input.hypothesisTemplate);
}

/** A link's labels that cannot run, in the words zero-shot text and image classification's links use. */
function linkProblem(labels: readonly string[]): string {
	if (labels.length > MAX_LABELS) return `labels has ${labels.length} labels; the limit is ${MAX_LABELS}.`;
	const tooLong = labels.find((label) => label.length > MAX_LABEL_LENGTH) ?? '';
	return `Each of the labels can be at most ${MAX_LABEL_LENGTH} characters; ${quoted(tooLong)} has ${tooLong.length}.`;
}

/**
 * Reads the `labels` parameter; labels that cannot run are reported and none are kept (no labels at all is
 * not an issue: the form asks for them). Zero-shot text and image classification describe the problem in
 * their links' words (`link`); the other tasks say what the form says, after `labels: `.
 */
export function readLabels(
	params: URLSearchParams,
	issues: ParamIssue[],
	wording: 'form' | 'link' = 'form'
): string[] {
	const labels = splitLabels(readTextParam(params, 'labels', issues));
	const problem = labels.length === 0 ? null : whyNotLabels(labels);
	if (problem === null) return labels;
	issues.push({ param: 'labels', message: wording === 'link' ? linkProblem(labels) : `labels: ${problem}` });
	return [];
}

/** Reads the `template` parameter; none, or one that cannot be used (reported), gives `fallback`. */
export function readTemplate(params: URLSearchParams, issues: ParamIssue[], fallback: string): string {
	const template = readTextParam(params, 'template', issues);
	if (template === '') return fallback;
	const problem = whyNotTemplate(template);
	if (problem !== null) {
		issues.push({ param: 'template', message: problem.replace('The hypothesis template', 'template') });
		return fallback;
	}
	return template;
}

/**
 * The `template` link parameter: none for the task's default, and none for a template the form cannot run,
 * rather than one written into a link that would be refused.
 */
export function templateParam(template: string, defaultTemplate: string): Record<string, string> {
	return template !== defaultTemplate && whyNotTemplate(template) === null ? { template } : {};
}

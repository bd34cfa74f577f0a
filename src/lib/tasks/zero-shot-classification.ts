// Zero-shot classification: one text and labels the person makes up; an NLI model scores how well each
// label's hypothesis ("This example is sports.") follows from the text. Either the labels compete (scores add
// up to 1) or, multi-label, each is judged on its own.

import type { LabelScore } from './text-classification';
import { isLabelScores } from './text-classification';
import type { ParamIssue, TaskSpec } from './types';
import { readTextParam, readBooleanParam } from './types';

export interface ZeroShotClassificationInput {
	text: string;
	/** Trimmed, non-empty, without commas (links separate them with commas) and without duplicates. */
	labels: string[];
	/** Scores each label on its own (entailment against contradiction) instead of one softmax over all. */
	multiLabel: boolean;
	/** The hypothesis each label is put into; `{}` marks where. */
	hypothesisTemplate: string;
}

/** The labels with their scores, best first. */
export type ZeroShotClassificationOutput = LabelScore[];

export const MAX_LABELS = 20;
export const MAX_LABEL_LENGTH = 100;
export const DEFAULT_TEMPLATE = 'This example is {}.';
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

function readLabels(params: URLSearchParams, issues: ParamIssue[]): string[] {
	const labels = splitLabels(readTextParam(params, 'labels', issues));
	if (labels.length > MAX_LABELS) {
		issues.push({
			param: 'labels',
			message: `labels has ${labels.length} labels; the limit is ${MAX_LABELS}.`
		});
		return [];
	}
	const tooLong = labels.find((label) => label.length > MAX_LABEL_LENGTH);
	if (tooLong !== undefined) {
		issues.push({
			param: 'labels',
			message: `Each of the labels can be at most ${MAX_LABEL_LENGTH} characters; ${quoted(tooLong)} has ${tooLong.length}.`
		});
		return [];
	}
	return labels;
}

function readTemplate(params: URLSearchParams, issues: ParamIssue[]): string {
	const template = readTextParam(params, 'template', issues);
	if (template === '') return DEFAULT_TEMPLATE;
	const problem = whyNotTemplate(template);
	if (problem) {
		issues.push({ param: 'template', message: problem.replace('The hypothesis template', 'template') });
		return DEFAULT_TEMPLATE;
	}
	return template;
}

/** This pipeline, unlike most, takes the candidate labels as a second argument before its options. */
type ZeroShotPipelineCall = (
	text: string,
	labels: readonly string[],
	options: Record<string, unknown>
) => Promise<unknown>;

/** The pipeline's `{ labels, scores }` (best first) checked and paired up. */
function pairScores(raw: unknown, asked: readonly string[]): LabelScore[] {
	const { labels, scores } = (typeof raw === 'object' && raw !== null ? raw : {}) as {
		labels?: unknown;
		scores?: unknown;
	};
	if (!Array.isArray(labels) || !Array.isArray(scores) || labels.length !== asked.length) {
		throw new TypeError('The model did not return a score for every label.');
	}
	const paired: unknown = labels.map((label: unknown, i) => ({ label, score: scores[i] as unknown }));
	if (!isLabelScores(paired)) throw new TypeError('The model did not return labels with scores.');
	return paired;
}

export const zeroShotClassification = {
	id: 'zero-shot-classification',
	pipeline: 'zero-shot-classification',
	modality: 'nlp',
	defaultModels: { huggingface: 'Xenova/distilbert-base-uncased-mnli', bundled: 'browserve/tiny-nli' },
	params: ['text', 'labels', 'multi_label', 'template'],
	// One label is one forward pass; three would only repeat the same kernels.
	warmup: { text: 'hello', labels: ['greeting'], multiLabel: false, hypothesisTemplate: DEFAULT_TEMPLATE },
	examples: [
		{
			text: 'I love playing football',
			labels: ['sports', 'cooking', 'politics'],
			multiLabel: false,
			hypothesisTemplate: DEFAULT_TEMPLATE
		},
		{
			text: 'Dune is the best movie ever.',
			labels: ['CINEMA', 'ART', 'MUSIC'],
			multiLabel: false,
			hypothesisTemplate: DEFAULT_TEMPLATE
		},
		{
			text: 'We cooked pasta while watching the election results.',
			labels: ['cooking', 'politics', 'sports'],
			multiLabel: true,
			hypothesisTemplate: 'This text is about {}.'
		}
	],
	parseInput(params, issues) {
		return {
			text: readTextParam(params, 'text', issues),
			labels: readLabels(params, issues),
			multiLabel: readBooleanParam(params, 'multi_label', false, issues),
			hypothesisTemplate: readTemplate(params, issues)
		};
	},
	serializeInput(input): Record<string, string> {
		const params: Record<string, string> = { text: input.text, labels: input.labels.join(',') };
		if (input.multiLabel) params.multi_label = '1';
		// A template the form cannot run is left out rather than written into a link that would be refused.
		if (input.hypothesisTemplate !== DEFAULT_TEMPLATE && whyNotTemplate(input.hypothesisTemplate) === null)
			params.template = input.hypothesisTemplate;
		return params;
	},
	whyNotRunnable(input) {
		if (input.text.trim() === '') return 'Type some text to classify.';
		return whyNotLabels(input.labels) ?? whyNotTemplate(input.hypothesisTemplate);
	},
	async run(pipe, input) {
		const classify = pipe as unknown as ZeroShotPipelineCall;
		const raw = await classify(input.text, input.labels, {
			hypothesis_template: input.hypothesisTemplate,
			multi_label: input.multiLabel
		});
		return pairScores(raw, input.labels);
	}
} as const satisfies TaskSpec<ZeroShotClassificationInput, ZeroShotClassificationOutput>;

// Token classification (named entities, parts of speech): a text in, its tagged words out, each with its label,
// score and where it sits in the text, grouped into spans ("Sarah Connor" as one person) unless asked not to.

import type { ParamIssue, PipelineCall, TaskSpec } from './types';
import { readTextParam } from './types';
import { locateWords } from './text-offsets';

/** 'simple' joins B-/I- tokens of one entity into a span; 'none' keeps every token with its raw label. */
export type Aggregation = 'simple' | 'none';
export const AGGREGATIONS: readonly Aggregation[] = ['simple', 'none'];

export interface TokenClassificationInput {
	text: string;
	aggregation: Aggregation;
}

export interface TaggedSpan {
	/** The entity group (PER) when aggregated, the token's own label (B-PER) when not. */
	group: string;
	/** The words as the tokenizer decodes them (BERT tokenizers lowercase). */
	word: string;
	score: number;
	/** UTF-16 offsets into the text, or null where the word could not be found in it. */
	start: number | null;
	end: number | null;
}

export interface TokenClassificationOutput {
	/** The text that was tagged, so the page can mark the spans in it. */
	text: string;
	entities: TaggedSpan[];
}

/** The entity a label belongs to, without its BIOES position: B-PER and I-PER are both PER. */
export function entityKind(label: string): string {
	return /^[BIES]-./.test(label) ? label.slice(2) : label;
}

interface RawEntity {
	word: string;
	score: number;
	label: string;
}

function readRawEntities(value: unknown): RawEntity[] {
	if (!Array.isArray(value)) throw new TypeError('The model did not return tagged tokens.');
	return value.map((item: unknown) => {
		const { word, score, entity, entity_group } = (item ?? {}) as Record<string, unknown>;
		const label = entity_group ?? entity;
		if (typeof word !== 'string' || typeof score !== 'number' || typeof label !== 'string') {
			throw new TypeError('The model did not return tagged tokens.');
		}
		return { word, score, label };
	});
}

/** The pipeline's words with their places in the text (transformers.js 4.3.1 gives no offsets). */
function toOutput(text: string, raw: unknown): TokenClassificationOutput {
	const entities = readRawEntities(raw);
	const spans = locateWords(
		text,
		entities.map((e) => e.word)
	);
	return {
		text,
		entities: entities.map((e, i) => ({
			group: e.label,
			word: e.word,
			score: e.score,
			start: spans[i]?.start ?? null,
			end: spans[i]?.end ?? null
		}))
	};
}

function readAggregation(params: URLSearchParams, issues: ParamIssue[]): Aggregation {
	const raw = params.get('aggregation');
	if (raw === null || raw === '') return 'simple';
	if ((AGGREGATIONS as readonly string[]).includes(raw)) return raw as Aggregation;
	issues.push({ param: 'aggregation', message: 'aggregation must be simple or none.' });
	return 'simple';
}

function callPipeline(pipe: PipelineCall, texts: string | string[], aggregation: Aggregation) {
	// The pipeline leaves out O by default; the page only marks entities.
	return pipe(texts, { aggregation_strategy: aggregation });
}

export const tokenClassification = {
	id: 'token-classification',
	pipeline: 'token-classification',
	modality: 'nlp',
	defaultModels: { huggingface: 'Xenova/bert-base-NER', bundled: 'browserve/tiny-ner' },
	params: ['text', 'aggregation'],
	examples: [
		{ text: 'My name is Sarah and I live in London', aggregation: 'simple' },
		{ text: 'My name is Omar and I live in Zürich.', aggregation: 'simple' }
	],
	parseInput(params, issues) {
		return { text: readTextParam(params, 'text', issues), aggregation: readAggregation(params, issues) };
	},
	serializeInput(input): Record<string, string> {
		const params: Record<string, string> = { text: input.text };
		if (input.aggregation !== 'simple') params.aggregation = input.aggregation;
		return params;
	},
	whyNotRunnable(input) {
		if (input.text.trim() === '') return 'Type some text to find entities in.';
		if (!AGGREGATIONS.includes(input.aggregation)) return 'Grouping must be simple or none.';
		return null;
	},
	async run(pipe, input) {
		return toOutput(input.text, await callPipeline(pipe, input.text, input.aggregation));
	},
	batch: {
		key: (input) => input.aggregation,
		async run(pipe, inputs) {
			const raw = await callPipeline(
				pipe,
				inputs.map((input) => input.text),
				inputs[0]?.aggregation ?? 'simple'
			);
			if (!Array.isArray(raw) || raw.length !== inputs.length) {
				throw new TypeError('The model did not return one result per text.');
			}
			return inputs.map((input, i) => toOutput(input.text, raw[i]));
		}
	}
} as const satisfies TaskSpec<TokenClassificationInput, TokenClassificationOutput>;

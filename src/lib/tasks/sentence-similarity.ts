// Sentence similarity: a source sentence and sentences to compare it with; each gets the cosine similarity of
// its embedding to the source's. transformers.js has no such pipeline, so this runs on feature-extraction
// (all sentences in one call, mean pooling) and does the comparing itself.

import { cosineSimilarity, readTensor } from './feature-extraction';
import type { ParamIssue, TaskSpec } from './types';
import { readTextParam } from './types';

export interface SentenceSimilarityInput {
	source: string;
	/** The sentences to compare with; blank rows (the form's empty ones) are skipped. */
	sentences: string[];
}

/**
 * `scores[i]` is the cosine similarity of `sentences[i]` to `source`, from -1 to 1. The sentences and source
 * compared (trimmed, blanks dropped) come back with the scores, so the result reads on its own.
 */
export interface SentenceSimilarityOutput {
	source: string;
	sentences: string[];
	scores: number[];
}

export const MAX_SENTENCES = 50;

/**
 * Sentences in a link are separated by newlines: sentences contain commas and '|' often enough, line breaks
 * hardly ever (each row of the form is a single-line field, which cannot hold one).
 */
export const SENTENCE_SEPARATOR = '\n';

/** The sentences that will be compared: trimmed, blanks dropped. */
export function sentencesToCompare(sentences: readonly string[]): string[] {
	return sentences.map((sentence) => sentence.trim()).filter((sentence) => sentence !== '');
}

/** Why a list of sentences cannot run, or null when it can. */
export function whyNotSentences(sentences: readonly string[]): string | null {
	const count = sentencesToCompare(sentences).length;
	if (count === 0) return 'Add at least one sentence to compare.';
	if (count > MAX_SENTENCES) return `There can be at most ${MAX_SENTENCES} sentences; there are ${count}.`;
	return null;
}

function readSentences(params: URLSearchParams, issues: ParamIssue[]): string[] {
	const sentences = sentencesToCompare(readTextParam(params, 'sentences', issues).split(/\r?\n/));
	if (sentences.length > MAX_SENTENCES) {
		issues.push({
			param: 'sentences',
			message: `sentences has ${sentences.length} sentences (one a line); the limit is ${MAX_SENTENCES}.`
		});
		return [];
	}
	return sentences;
}

export const sentenceSimilarity = {
	id: 'sentence-similarity',
	// The page's id is the Hugging Face tag; the pipeline that runs it is transformers.js' feature extraction.
	pipeline: 'feature-extraction',
	hubTags: ['sentence-similarity', 'feature-extraction'],
	modality: 'nlp',
	defaultModels: { huggingface: 'Xenova/all-MiniLM-L6-v2', bundled: 'browserve/tiny-embedder' },
	params: ['source', 'sentences'],
	examples: [
		{ source: 'the cat sat on the mat', sentences: ['a kitten on a rug', 'stock markets fell today'] },
		{
			source: 'Machine learning is so easy.',
			sentences: [
				'Deep learning is so straightforward.',
				'This is so difficult, like rocket science.',
				"I can't believe how much I struggled with this."
			]
		}
	],
	parseInput(params, issues) {
		return {
			source: readTextParam(params, 'source', issues),
			sentences: readSentences(params, issues)
		};
	},
	serializeInput(input): Record<string, string> {
		return { source: input.source, sentences: sentencesToCompare(input.sentences).join(SENTENCE_SEPARATOR) };
	},
	whyNotRunnable(input) {
		if (input.source.trim() === '') return 'Type a source sentence.';
		return whyNotSentences(input.sentences);
	},
	async run(pipe, input, context) {
		const source = input.source.trim();
		const sentences = sentencesToCompare(input.sentences);
		// Normalising would not change a cosine, and the pipeline's own would make an all-zero vector NaN.
		const raw = await pipe([source, ...sentences], { pooling: 'mean', normalize: false });
		const { dims, data } = readTensor(raw, context.library);
		const width = dims[1] ?? 0;
		if (dims.length !== 2 || dims[0] !== sentences.length + 1 || width === 0) {
			throw new TypeError('The model did not return one vector per sentence.');
		}
		const vector = (row: number) => data.subarray(row * width, (row + 1) * width);
		const anchor = vector(0);
		const scores = sentences.map((_, i) => cosineSimilarity(anchor, vector(i + 1)));
		return { source, sentences, scores };
	}
} as const satisfies TaskSpec<SentenceSimilarityInput, SentenceSimilarityOutput>;

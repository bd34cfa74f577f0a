// Where the words a tokenizer decoded sit in the text they came from, and that text cut into runs to mark.
// transformers.js 4.3.1's token classification and question answering give words but no character offsets, and
// a decoded word differs from the original in ways a plain indexOf misses: BERT tokenizers lowercase and strip
// accents ("Zürich" becomes "zurich"), decoders add or drop spaces around punctuation ("sarah - jane"), and a
// lone subword keeps its "##".

export interface CharSpan {
	/** UTF-16 offsets into the original text: text.slice(start, end) is the word as written. */
	start: number;
	end: number;
}

/** One comparable UTF-16 unit and the original characters it came from. */
interface FoldedUnit {
	unit: string;
	start: number;
	end: number;
}

/** Lowercases, drops accents and skips whitespace, keeping each unit's place in the original. */
function fold(text: string): FoldedUnit[] {
	const folded: FoldedUnit[] = [];
	let offset = 0;
	for (const original of text) {
		const start = offset;
		offset += original.length;
		if (/\s/u.test(original)) continue;
		// NFD splits "ü" into "u" and a combining mark; lowercasing may give more than one character ("İ").
		const plain = original.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
		// By UTF-16 unit, so an index into the joined string is an index into this list.
		for (let i = 0; i < plain.length; i++) folded.push({ unit: plain.charAt(i), start, end: offset });
	}
	return folded;
}

function joined(folded: readonly FoldedUnit[]): string {
	return folded.map((f) => f.unit).join('');
}

/**
 * Locates each word in `text`, in order: each search starts after the previous word found, so a repeated word
 * maps to its next occurrence. A word that cannot be found (an unknown token, a truncated text) gets null and
 * does not move the search on.
 */
export function locateWords(text: string, words: readonly string[]): (CharSpan | null)[] {
	const folded = fold(text);
	const haystack = joined(folded);
	let from = 0;
	return words.map((word) => {
		// A lone subword keeps WordPiece's "##", which is not in the text.
		const needle = joined(fold(word.replace(/^##/, '')));
		if (needle === '') return null;
		const found = haystack.indexOf(needle, from);
		const first = folded[found];
		const last = folded[found + needle.length - 1];
		if (found < 0 || !first || !last) return null;
		from = found + needle.length;
		return { start: first.start, end: last.end };
	});
}

/** A run of the text, marked with the span that covers it, if any. */
export interface TextSegment<S> {
	text: string;
	span: S | null;
}

/**
 * Cuts a text into plain and marked runs for the page to draw. Spans without a place are left out, and a span
 * that overlaps one already placed is dropped rather than drawn inside it.
 */
export function segmentText<S extends { start: number | null; end: number | null }>(
	text: string,
	spans: readonly S[]
): TextSegment<S>[] {
	const placed = spans
		.filter((s): s is S & CharSpan => s.start !== null && s.end !== null && s.start < s.end)
		.sort((a, b) => a.start - b.start);
	const segments: TextSegment<S>[] = [];
	let at = 0;
	for (const span of placed) {
		if (span.start < at || span.end > text.length) continue;
		if (span.start > at) segments.push({ text: text.slice(at, span.start), span: null });
		segments.push({ text: text.slice(span.start, span.end), span });
		at = span.end;
	}
	if (at < text.length) segments.push({ text: text.slice(at), span: null });
	return segments;
}

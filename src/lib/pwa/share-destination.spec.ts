// Which task a share opens: the last task used for that kind of input, else the default one; the text a
// share carries; and the remembered "last used" record, which never trusts malformed storage.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
	DEFAULT_TASKS,
	kindsOf,
	parseLastUsed,
	readLastUsed,
	rememberTaskUse,
	shareDestination,
	sharedText,
	tasksTaking,
	withTaskUsed
} from './share-destination';

function memoryStorage(): Storage {
	const items = new Map<string, string>();
	return {
		get length() {
			return items.size;
		},
		clear: () => items.clear(),
		getItem: (key) => items.get(key) ?? null,
		key: (index) => [...items.keys()][index] ?? null,
		removeItem: (key) => void items.delete(key),
		setItem: (key, value) => void items.set(key, value)
	};
}

describe('kinds of input', () => {
	it('follow the share-link parameters a task has', () => {
		expect(kindsOf('text-classification')).toEqual(['text']);
		expect(kindsOf('image-classification')).toEqual(['image']);
		expect(kindsOf('audio-classification')).toEqual(['audio']);
		expect(kindsOf('question-answering')).toEqual([]);
	});

	it('every default task takes its kind', () => {
		for (const [kind, task] of Object.entries(DEFAULT_TASKS))
			expect(tasksTaking(kind as 'text')).toContain(task);
	});
});

describe('sharedText', () => {
	it('joins the text and a link it does not already hold', () => {
		expect(sharedText('Title', 'Body', 'https://x.test/a')).toBe('Body\nhttps://x.test/a');
		expect(sharedText('Title', 'See https://x.test/a', 'https://x.test/a')).toBe('See https://x.test/a');
		expect(sharedText('Title', '', '')).toBe('Title');
		expect(sharedText('', '', 'https://x.test/a')).toBe('https://x.test/a');
		expect(sharedText('', '', '')).toBe('');
	});
});

describe('shareDestination', () => {
	it('opens text in text classification by default, in the text field', () => {
		const destination = shareDestination(new URLSearchParams({ text: 'I love this' }), {});
		expect(destination).toMatchObject({ kind: 'text', task: 'text-classification' });
		expect(destination.kind !== null && destination.params.get('text')).toBe('I love this');
	});

	it('opens text in the text task used last', () => {
		const destination = shareDestination(new URLSearchParams({ text: 'Hello' }), { text: 'summarization' });
		expect(destination).toMatchObject({ kind: 'text', task: 'summarization' });
	});

	it('opens an image in image classification by default, or the vision task used last', () => {
		const query = new URLSearchParams({ image: 'http://app.test/share-target/files/1', text: 'caption' });
		const first = shareDestination(query, { text: 'summarization' });
		expect(first).toMatchObject({ kind: 'image', task: 'image-classification' });
		expect(first.kind !== null && Object.fromEntries(first.params)).toEqual({
			image: 'http://app.test/share-target/files/1'
		});
		expect(shareDestination(query, { image: 'depth-estimation' })).toMatchObject({
			task: 'depth-estimation'
		});
	});

	it('opens a sound in audio classification by default', () => {
		const query = new URLSearchParams({ audio: 'http://app.test/share-target/files/2' });
		expect(shareDestination(query, {})).toMatchObject({ kind: 'audio', task: 'audio-classification' });
	});

	it('passes a problem on, and says so when nothing was shared', () => {
		expect(shareDestination(new URLSearchParams({ problem: 'Too big.' }), {})).toEqual({
			kind: null,
			problem: 'Too big.'
		});
		const empty = shareDestination(new URLSearchParams(), {});
		expect(empty.kind === null && empty.problem).toContain('Nothing was shared');
	});
});

describe('the last task used', () => {
	it('is remembered per kind of input the task takes', () => {
		const storage = memoryStorage();
		rememberTaskUse('summarization', storage);
		rememberTaskUse('depth-estimation', storage);
		expect(readLastUsed(storage)).toEqual({ text: 'summarization', image: 'depth-estimation' });
		rememberTaskUse('text-classification', storage);
		expect(readLastUsed(storage).text).toBe('text-classification');
	});

	it('a task that takes no shared kind changes nothing', () => {
		expect(withTaskUsed({ text: 'summarization' }, 'question-answering')).toEqual({ text: 'summarization' });
	});

	it('ignores unknown tasks, tasks of the wrong kind and malformed storage', () => {
		expect(
			parseLastUsed('{"text":"no-such-task","image":"text-classification","audio":"audio-classification"}')
		).toEqual({
			audio: 'audio-classification'
		});
		expect(parseLastUsed('not json')).toEqual({});
		expect(parseLastUsed(null)).toEqual({});
		fc.assert(
			fc.property(fc.string(), (raw) => {
				const last = parseLastUsed(raw);
				for (const [kind, task] of Object.entries(last)) expect(kindsOf(task)).toContain(kind);
			})
		);
	});
});

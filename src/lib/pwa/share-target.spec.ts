// The share target's form handling: which files count as images or sounds, the type they are kept with, and
// the query the share-target page gets (text fields, a kept file's address, or a problem in words).
import { describe, expect, it } from 'vitest';
import { mediaKind, mediaType, MAX_SHARED_BYTES, SHARE_FIELDS, shareQuery } from './share-target';

function form(fields: Record<string, string>, files: File[] = []): FormData {
	const data = new FormData();
	for (const [name, value] of Object.entries(fields)) data.append(name, value);
	for (const file of files) data.append(SHARE_FIELDS.files, file);
	return data;
}

const keepAt = (address: string) => {
	const kept: { name: string; type: string }[] = [];
	const keep = async (file: File, type: string) => {
		kept.push({ name: file.name, type });
		return address;
	};
	return { kept, keep };
};

describe('mediaKind', () => {
	it.each([
		['image/png', 'a.png', 'image'],
		['audio/mpeg', 'a.mp3', 'audio'],
		['', 'Photo.JPG', 'image'],
		['application/octet-stream', 'clip.wav', 'audio'],
		['application/pdf', 'doc.pdf', null],
		['', 'noextension', null],
		['text/plain', 'notes.txt', null]
	])('%s %s → %s', (type, name, kind) => {
		expect(mediaKind(type, name)).toBe(kind);
	});
});

describe('mediaType', () => {
	it('keeps a type that names the kind, else guesses one from the extension', () => {
		expect(mediaType('image', 'image/webp', 'x.webp')).toBe('image/webp');
		expect(mediaType('image', '', 'x.jpg')).toBe('image/jpeg');
		expect(mediaType('image', 'application/octet-stream', 'x.png')).toBe('image/png');
		expect(mediaType('audio', '', 'x.mp3')).toBe('audio/mpeg');
	});
});

describe('shareQuery', () => {
	it('passes the text fields on, trimmed, and leaves empty ones out', async () => {
		const { keep } = keepAt('unused');
		const query = await shareQuery(form({ title: ' A title ', text: 'Some text', url: '' }), keep);
		expect(Object.fromEntries(query)).toEqual({ title: 'A title', text: 'Some text' });
	});

	it('keeps an image and passes its address as image=', async () => {
		const { kept, keep } = keepAt('http://app.test/share-target/files/1');
		const png = new File([new Uint8Array([137, 80, 78, 71])], 'cat.png', { type: 'image/png' });
		const query = await shareQuery(form({ text: 'caption' }, [png]), keep);
		expect(query.get('image')).toBe('http://app.test/share-target/files/1');
		expect(query.get('text')).toBe('caption');
		expect(kept).toEqual([{ name: 'cat.png', type: 'image/png' }]);
	});

	it('keeps a sound whose type the sharing app left out, typed from its extension', async () => {
		const { kept, keep } = keepAt('http://app.test/share-target/files/2');
		const query = await shareQuery(form({}, [new File([new Uint8Array(8)], 'memo.wav')]), keep);
		expect(query.get('audio')).toBe('http://app.test/share-target/files/2');
		expect(kept[0]?.type).toBe('audio/wav');
	});

	it('names a file no task can open instead of keeping it', async () => {
		const { kept, keep } = keepAt('unused');
		const pdf = new File([new Uint8Array(8)], 'report.pdf', { type: 'application/pdf' });
		const query = await shareQuery(form({}, [pdf]), keep);
		expect(query.get('problem')).toContain('“report.pdf” (application/pdf) is neither an image nor a sound');
		expect(kept).toEqual([]);
	});

	it('refuses a file over the size limit with its size in the message', async () => {
		const { kept, keep } = keepAt('unused');
		const huge = new File([new Uint8Array(1)], 'huge.png', { type: 'image/png' });
		Object.defineProperty(huge, 'size', { value: MAX_SHARED_BYTES + 1 });
		const query = await shareQuery(form({}, [huge]), keep);
		expect(query.get('problem')).toContain('at most 200 MB');
		expect(kept).toEqual([]);
	});
});

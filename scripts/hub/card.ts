// Parses the YAML front matter of a model card (README.md) into the metadata the hub reports.
// Only the flat subset real cards use for metadata is understood: `key: value`, `key: [a, b]` and `- item` lists.

export type CardValue = string | string[];
export type CardData = Record<string, CardValue>;

export interface RepoCard {
	pipelineTag: string | undefined;
	libraryName: string | undefined;
	license: string | undefined;
	/** The card's own `tags`, before the hub adds the library, task and license to them. */
	tags: string[];
	data: CardData;
}

const FRONT_MATTER = /^\uFEFF?---[ \t]*\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/;
const KEY_LINE = /^([A-Za-z0-9_][\w.-]*)[ \t]*:(?:[ \t]+(.*))?$/;
const ITEM_LINE = /^[ \t]*-[ \t]+(.*)$/;

export function parseCard(markdown: string): RepoCard {
	const data = parseFrontMatter(markdown);
	return {
		pipelineTag: asString(data['pipeline_tag']),
		libraryName: asString(data['library_name']),
		license: asString(data['license']),
		tags: asList(data['tags']),
		data
	};
}

export function parseFrontMatter(markdown: string): CardData {
	const data: CardData = {};
	const block = FRONT_MATTER.exec(markdown)?.[1];
	if (block === undefined) return data;
	let listKey: string | undefined;
	for (const rawLine of block.split(/\r?\n/)) {
		const line = stripComment(rawLine).trimEnd();
		if (line.trim() === '') continue;
		const item = ITEM_LINE.exec(line);
		if (item && listKey !== undefined) {
			const list = data[listKey];
			const value = unquote(item[1] ?? '');
			if (Array.isArray(list)) list.push(value);
			else data[listKey] = [value];
			continue;
		}
		// Indented lines belong to nested maps (widget:, model-index:) that the hub's metadata never needs.
		if (/^\s/.test(line)) continue;
		const keyLine = KEY_LINE.exec(line);
		if (!keyLine) {
			listKey = undefined;
			continue;
		}
		const key = keyLine[1] ?? '';
		const value = keyLine[2]?.trim() ?? '';
		if (value === '') {
			listKey = key;
		} else {
			listKey = undefined;
			data[key] = value.startsWith('[') && value.endsWith(']') ? parseInlineList(value) : unquote(value);
		}
	}
	return data;
}

function parseInlineList(value: string): string[] {
	const inner = value.slice(1, -1).trim();
	if (inner === '') return [];
	return inner.split(',').map((part) => unquote(part.trim()));
}

function unquote(value: string): string {
	if (value.length >= 2) {
		const first = value[0];
		if ((first === '"' || first === "'") && value.endsWith(first)) return value.slice(1, -1);
	}
	return value;
}

// A `#` starts a comment only at the line start or after whitespace, so `c#` or URLs with fragments survive.
function stripComment(line: string): string {
	const match = /(^|\s)#/.exec(line);
	if (!match) return line;
	const before = line.slice(0, match.index);
	// A quote left open means the `#` sits inside a quoted value.
	const quotes = (before.match(/["']/g) ?? []).length;
	return quotes % 2 === 0 ? before : line;
}

function asString(value: CardValue | undefined): string | undefined {
	return typeof value === 'string' && value !== '' ? value : undefined;
}

function asList(value: CardValue | undefined): string[] {
	if (value === undefined) return [];
	return (typeof value === 'string' ? [value] : value).filter((tag) => tag !== '');
}

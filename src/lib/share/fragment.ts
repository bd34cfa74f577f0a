// Long share links: inputs too long for a URL's query (servers refuse request lines past ~8 KB) travel
// in the fragment instead, deflated and base64url-encoded. A fragment never leaves the browser, so long
// texts are not sent to any server either.

/** Above this many characters a link moves the task's inputs into the fragment. */
export const MAX_QUERY_LENGTH = 2000;
export const FRAGMENT_KEY = 'z';

function toBase64Url(bytes: Uint8Array): string {
	let binary = '';
	for (let i = 0; i < bytes.length; i += 0x8000)
		binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
	return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array {
	if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new TypeError('not base64url');
	const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
	return Uint8Array.from(binary, (char) => char.charCodeAt(0));
}

async function transform(
	bytes: Uint8Array,
	stream: CompressionStream | DecompressionStream
): Promise<Uint8Array> {
	const output = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(stream);
	return new Uint8Array(await new Response(output).arrayBuffer());
}

/** Packs parameters into a fragment value. */
export async function packParams(params: URLSearchParams): Promise<string> {
	const bytes = new TextEncoder().encode(params.toString());
	return toBase64Url(await transform(bytes, new CompressionStream('deflate-raw')));
}

/** Unpacks a fragment value; throws a clear error when it was cut or altered. */
export async function unpackParams(packed: string): Promise<URLSearchParams> {
	try {
		const bytes = await transform(fromBase64Url(packed), new DecompressionStream('deflate-raw'));
		return new URLSearchParams(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
	} catch {
		throw new TypeError(
			'The compressed part of this link (after #) is damaged or cut off; ask for the link again.'
		);
	}
}

/**
 * The URL that reproduces a run: the query alone when it is short enough, else the task's own inputs
 * (`inputParams`) packed into the fragment and the rest kept readable in the query.
 */
export async function shareUrl(
	base: string,
	query: URLSearchParams,
	inputParams: readonly string[]
): Promise<string> {
	const plain = query.toString();
	if (plain.length <= MAX_QUERY_LENGTH) return `${base}?${plain}`;
	const kept = new URLSearchParams();
	const packed = new URLSearchParams();
	for (const [key, value] of query) (inputParams.includes(key) ? packed : kept).append(key, value);
	return `${base}?${kept.toString()}#${FRAGMENT_KEY}=${await packParams(packed)}`;
}

/** The link's parameters: its query plus, when present, what its fragment carries. */
export async function linkParams(url: URL): Promise<URLSearchParams> {
	const params = new URLSearchParams(url.search);
	const fragment = new URLSearchParams(url.hash.slice(1)).get(FRAGMENT_KEY);
	if (fragment) for (const [key, value] of await unpackParams(fragment)) params.append(key, value);
	return params;
}

// The JSON a result shows and downloads. Binary parts (pixels, masks, audio samples) are summarised by their
// kind and size: printed whole they would be megabytes of numbers, and JSON.stringify alone turns an
// ArrayBuffer into an empty {} that hides that anything was there.

function describeBinary(value: unknown): string | null {
	if (value instanceof ArrayBuffer) return `ArrayBuffer (${value.byteLength} bytes)`;
	if (ArrayBuffer.isView(value)) {
		const name = value.constructor.name;
		// DataView has no length; every typed array does.
		const length = 'length' in value && typeof value.length === 'number' ? value.length : value.byteLength;
		return `${name} (${length} ${name === 'DataView' ? 'bytes' : 'values'})`;
	}
	if (typeof Blob !== 'undefined' && value instanceof Blob)
		return `Blob (${value.size} bytes${value.type ? `, ${value.type}` : ''})`;
	return null;
}

/** A result as indented JSON, with binary data summarised. */
export function resultJson(value: unknown): string {
	return JSON.stringify(value, (_key, item: unknown) => describeBinary(item) ?? item, 2) ?? 'null';
}

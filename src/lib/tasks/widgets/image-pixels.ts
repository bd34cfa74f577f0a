// Page-side helpers for widgets that show pixels a task returned as RGBA bytes: drawing them on a canvas, and
// saving what a canvas shows as a PNG file.

/** Puts RGBA bytes on a canvas of their size. The bytes are read, never kept or changed. */
export function drawRgba(canvas: HTMLCanvasElement, rgba: ArrayBuffer, width: number, height: number): void {
	const context = canvas.getContext('2d');
	if (!context) return;
	canvas.width = width;
	canvas.height = height;
	context.putImageData(new ImageData(new Uint8ClampedArray(rgba), width, height), 0, 0);
}

/** Saves what a canvas shows, transparency included, as a PNG download named `filename`. */
export async function downloadPng(canvas: HTMLCanvasElement, filename: string): Promise<void> {
	const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
	if (!blob) throw new Error('This browser could not encode the image as PNG.');
	const url = URL.createObjectURL(blob);
	const link = Object.assign(document.createElement('a'), { href: url, download: filename });
	link.click();
	// The download has its own reference by now; revoking at once can cancel it in some browsers.
	setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

// The web app manifest: the fields Chromium needs to offer installation, icons that exist in the sizes they
// claim (read from the PNG headers), shortcuts to real task pages, and a share target and file handlers
// that match what the service worker and the share-target page handle.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { isTaskId } from '$lib/tasks/registry';
import { SHARE_FIELDS, SHARE_PATH } from './share-target';

const STATIC = new URL('../../../static/', import.meta.url);

interface ManifestIcon {
	src: string;
	sizes: string;
	type: string;
	purpose?: string;
}
interface Manifest {
	name: string;
	short_name: string;
	start_url: string;
	scope: string;
	display: string;
	theme_color: string;
	background_color: string;
	icons: ManifestIcon[];
	shortcuts: { name: string; url: string; icons?: ManifestIcon[] }[];
	share_target: {
		action: string;
		method: string;
		enctype: string;
		params: { title: string; text: string; url: string; files: { name: string; accept: string[] }[] };
	};
	file_handlers: { action: string; accept: Record<string, string[]> }[];
}

const manifest = JSON.parse(await readFile(new URL('manifest.webmanifest', STATIC), 'utf8')) as Manifest;

/** Width and height from a PNG's IHDR chunk (bytes 16–23), after checking the signature. */
async function pngSize(path: string): Promise<{ width: number; height: number }> {
	const bytes = await readFile(new URL(path, STATIC));
	expect([...bytes.subarray(0, 8)]).toEqual([137, 80, 78, 71, 13, 10, 26, 10]);
	return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

describe('manifest.webmanifest', () => {
	it('has what Chromium needs to offer installation', () => {
		expect(manifest.name).toContain('Browserve');
		expect(manifest.short_name).toBe('Browserve');
		expect(manifest.display).toBe('standalone');
		expect(manifest.start_url).toBe('./');
		expect(manifest.scope).toBe('./');
		expect(manifest.theme_color).toMatch(/^#[0-9a-f]{6}$/);
		expect(manifest.background_color).toMatch(/^#[0-9a-f]{6}$/);
	});

	it('lists icons that exist in the sizes they claim, 192 and 512, plain and maskable', async () => {
		const pngs = manifest.icons.filter((icon) => icon.type === 'image/png');
		for (const icon of pngs) {
			const [width, height] = icon.sizes.split('x').map(Number);
			expect(await pngSize(icon.src), icon.src).toEqual({ width, height });
		}
		const sizes = (purpose: string) =>
			pngs.filter((icon) => (icon.purpose ?? 'any') === purpose).map((icon) => icon.sizes);
		expect(sizes('any')).toEqual(expect.arrayContaining(['192x192', '512x512']));
		expect(sizes('maskable')).toEqual(expect.arrayContaining(['192x192', '512x512']));
		expect(await pngSize('icons/apple-touch-icon.png')).toEqual({ width: 180, height: 180 });
	});

	it('has shortcuts to registered task pages', () => {
		expect(manifest.shortcuts.length).toBeGreaterThanOrEqual(3);
		for (const shortcut of manifest.shortcuts) expect(isTaskId(shortcut.url), shortcut.url).toBe(true);
	});

	it('shares to the path and fields the service worker reads', () => {
		const target = manifest.share_target;
		expect(`/${target.action}`).toBe(SHARE_PATH);
		expect(target.method).toBe('POST');
		expect(target.enctype).toBe('multipart/form-data');
		expect(target.params.title).toBe(SHARE_FIELDS.title);
		expect(target.params.text).toBe(SHARE_FIELDS.text);
		expect(target.params.url).toBe(SHARE_FIELDS.url);
		expect(target.params.files.map((file) => file.name)).toEqual([SHARE_FIELDS.files]);
		const accepted = target.params.files[0]?.accept ?? [];
		expect(accepted.some((type) => type.startsWith('image/'))).toBe(true);
		expect(accepted.some((type) => type.startsWith('audio/'))).toBe(true);
	});

	it('opens image and sound files on the share-target page', () => {
		expect(manifest.file_handlers).toHaveLength(1);
		const handler = manifest.file_handlers[0]!;
		expect(`/${handler.action}`).toBe(SHARE_PATH);
		const types = Object.keys(handler.accept);
		expect(types).toContain('image/png');
		expect(types).toContain('audio/wav');
		for (const extensions of Object.values(handler.accept))
			for (const extension of extensions) expect(extension).toMatch(/^\.[a-z0-9]+$/);
	});
});

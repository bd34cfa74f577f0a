// The /bench share link: a result survives the trip through the URL unchanged, and a damaged, edited or
// older-format link is refused with a sentence a user can act on.

import { describe, expect, it } from 'vitest';
import { decodeReport, encodeReport, parseReport, ReportLinkError } from './report';
import { SAMPLE } from './sample-report';

describe('encodeReport / decodeReport', () => {
	it('round-trips a result through the fragment', async () => {
		const fragment = await encodeReport(SAMPLE);
		expect(fragment).toMatch(/^r=[A-Za-z0-9_-]+$/);
		expect(await decodeReport(`#${fragment}`)).toEqual(SAMPLE);
	});

	it('finds nothing in a fragment without a result', async () => {
		expect(await decodeReport('')).toBeNull();
		expect(await decodeReport('#z=abc')).toBeNull();
	});

	it('refuses a cut-off fragment with a clear message', async () => {
		const fragment = await encodeReport(SAMPLE);
		await expect(decodeReport(`#${fragment.slice(0, 20)}`)).rejects.toThrow(ReportLinkError);
		await expect(decodeReport('#r=%%%')).rejects.toThrow('This benchmark link is damaged');
	});
});

describe('parseReport', () => {
	const edited = (change: (copy: Record<string, unknown>) => void): unknown => {
		const copy = structuredClone(SAMPLE) as unknown as Record<string, unknown>;
		change(copy);
		return copy;
	};

	it('says when a link comes from another format version', () => {
		expect(() => parseReport(edited((copy) => (copy.version = 99)))).toThrow('another version of Browserve');
	});

	it.each([
		[
			'an unknown measurement',
			(copy: Record<string, unknown>) => ((copy.measurements as { id: string }[])[0]!.id = 'gpu')
		],
		[
			'a negative figure',
			(copy: Record<string, unknown>) => ((copy.measurements as { median: number }[])[0]!.median = -1)
		],
		['no measurements', (copy: Record<string, unknown>) => (copy.measurements = [])],
		['a date that is not one', (copy: Record<string, unknown>) => (copy.date = 'yesterday')],
		['a device that is not an object', (copy: Record<string, unknown>) => (copy.device = 'fast')]
	])('refuses %s', (_, change) => {
		expect(() => parseReport(edited(change))).toThrow(ReportLinkError);
	});

	it('keeps a device without WebGPU', () => {
		const report = parseReport(edited((copy) => ((copy.device as { webgpu: null }).webgpu = null)));
		expect(report.device.webgpu).toBeNull();
	});
});

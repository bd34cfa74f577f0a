// What a /bench run found on this device, as data: the device, the models it ran, and one measurement per item
// of the standard set. It travels whole in a share link (compact JSON, deflated, in the URL's fragment), so
// it is parsed strictly when a link is opened: a damaged or foreign link gets a clear message, never a blank page.

import { packParams, unpackParams } from '$lib/share/fragment';

/** Bump when the shape changes; older links then say they are from another version instead of misreading. */
export const REPORT_VERSION = 1;
/** The fragment key of a shared result: /bench#r=… */
export const SHARE_KEY = 'r';

export type MeasurementUnit = 'ms' | 'MB/s';

export type MeasurementId =
	| 'text-wasm-1'
	| 'text-wasm-all'
	| 'text-webgpu'
	| 'vad-wasm-1'
	| 'vad-wasm-all'
	| 'store-write'
	| 'store-read';

export interface Measurement {
	id: MeasurementId;
	/** What was measured, in words for the page (and for whoever opens a shared link). */
	label: string;
	unit: MeasurementUnit;
	median: number;
	p90: number;
	runs: number;
	/** Threads ORT ran with; 0 for WebGPU and the store. */
	threads: number;
	/** What the reader must know: a software adapter, a fallback to WASM. */
	note?: string;
}

export interface BenchReport {
	version: number;
	/** ISO date and time the run finished. */
	date: string;
	quick: boolean;
	device: {
		cores: number;
		crossOriginIsolated: boolean;
		/** null where the browser has no WebGPU adapter. */
		webgpu: { vendor: string; architecture: string; software: boolean } | null;
		/** The browser, as its user agent names it (brand and major version). */
		browser: string;
	};
	models: { text: string; vad: string };
	/** Seconds of audio Silero VAD was run on. */
	audioSeconds: number;
	/** Bytes written and read back through the model store. */
	storeBytes: number;
	storeBackend: string;
	measurements: Measurement[];
}

const IDS: readonly MeasurementId[] = [
	'text-wasm-1',
	'text-wasm-all',
	'text-webgpu',
	'vad-wasm-1',
	'vad-wasm-all',
	'store-write',
	'store-read'
];

export class ReportLinkError extends Error {
	override name = 'ReportLinkError';
}

function fail(what: string): never {
	throw new ReportLinkError(`This benchmark link is damaged: ${what}. Ask for the link again.`);
}

type Json = Record<string, unknown>;

function object(value: unknown, what: string): Json {
	if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(`${what} is missing`);
	return value as Json;
}

function text(value: unknown, what: string, max = 200): string {
	if (typeof value !== 'string' || value.length > max) fail(`${what} is not a short text`);
	return value;
}

function number(value: unknown, what: string): number {
	if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) fail(`${what} is not a number`);
	return value;
}

function flag(value: unknown, what: string): boolean {
	if (typeof value !== 'boolean') fail(`${what} is not true or false`);
	return value;
}

function measurement(value: unknown, index: number): Measurement {
	const raw = object(value, `measurement ${index + 1}`);
	const id = raw.id;
	if (typeof id !== 'string' || !(IDS as readonly string[]).includes(id))
		fail(`measurement ${index + 1} is unknown`);
	const unit = raw.unit;
	if (unit !== 'ms' && unit !== 'MB/s') fail(`measurement ${id} has no unit`);
	const parsed: Measurement = {
		id: id as MeasurementId,
		label: text(raw.label, `the label of ${id}`),
		unit,
		median: number(raw.median, `the median of ${id}`),
		p90: number(raw.p90, `the p90 of ${id}`),
		runs: number(raw.runs, `the runs of ${id}`),
		threads: number(raw.threads, `the threads of ${id}`)
	};
	if (raw.note !== undefined) parsed.note = text(raw.note, `the note of ${id}`);
	return parsed;
}

/** A report from untrusted JSON (a link anyone can edit), every field checked. */
export function parseReport(json: unknown): BenchReport {
	const raw = object(json, 'the result');
	if (raw.version !== REPORT_VERSION) {
		throw new ReportLinkError(
			`This benchmark link was made by another version of Browserve (format ${String(raw.version)}); ` +
				'run the benchmark again to get a link this version reads.'
		);
	}
	const device = object(raw.device, 'the device');
	const gpu = device.webgpu === null ? null : object(device.webgpu, 'the WebGPU adapter');
	const models = object(raw.models, 'the models');
	if (
		!Array.isArray(raw.measurements) ||
		raw.measurements.length === 0 ||
		raw.measurements.length > IDS.length
	)
		fail('it holds no measurements');
	const date = text(raw.date, 'the date', 40);
	if (Number.isNaN(Date.parse(date))) fail('the date is not a date');
	return {
		version: REPORT_VERSION,
		date,
		quick: flag(raw.quick, 'quick'),
		device: {
			cores: number(device.cores, 'the core count'),
			crossOriginIsolated: flag(device.crossOriginIsolated, 'crossOriginIsolated'),
			webgpu: gpu && {
				vendor: text(gpu.vendor, 'the GPU vendor'),
				architecture: text(gpu.architecture, 'the GPU architecture'),
				software: flag(gpu.software, 'software')
			},
			browser: text(device.browser, 'the browser')
		},
		models: { text: text(models.text, 'the text model'), vad: text(models.vad, 'the VAD model') },
		audioSeconds: number(raw.audioSeconds, 'the audio length'),
		storeBytes: number(raw.storeBytes, 'the store size'),
		storeBackend: text(raw.storeBackend, 'the store backend', 20),
		measurements: raw.measurements.map(measurement)
	};
}

/** The fragment that carries `report`: `r=` and the deflated JSON, base64url. */
export async function encodeReport(report: BenchReport): Promise<string> {
	const packed = await packParams(new URLSearchParams({ json: JSON.stringify(report) }));
	return `${SHARE_KEY}=${packed}`;
}

/** The report a location's fragment carries; null where it carries none. Throws ReportLinkError if damaged. */
export async function decodeReport(hash: string): Promise<BenchReport | null> {
	const packed = new URLSearchParams(hash.replace(/^#/, '')).get(SHARE_KEY);
	if (packed === null) return null;
	let json: unknown;
	try {
		const params = await unpackParams(packed);
		json = JSON.parse(params.get('json') ?? '');
	} catch {
		fail('its compressed part (after #) is cut off or altered');
	}
	return parseReport(json);
}

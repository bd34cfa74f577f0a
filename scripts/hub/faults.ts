// The fault switch and request log behind the hub's control API: end-to-end tests use them to make file
// downloads drop, corrupt, fail or stall, and to see which requests the hub and CDN origins received.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { meterBody, type BodyFaults } from './http.ts';

interface FaultTarget {
	/** Repo id (`org/name`); absent matches the path in every repo. */
	repo?: string;
	/** Repo-relative file path, as in the resolve URL. */
	path: string;
	/** Matching responses left before the fault stops; -1 never stops. */
	times: number;
}

/** Sends `afterBytes` of the body after truthful headers, stalls `stallMs` (default 0), then closes the socket. */
export interface DropFault extends FaultTarget {
	kind: 'drop';
	afterBytes: number;
	/**
	 * How long the connection hangs before it dies. Chromium discards body bytes still unread when the
	 * error arrives, so a client sees the bytes before a cut only if the cut comes after it read them,
	 * which is how real connections drop: they stall first.
	 */
	stallMs?: number;
}

/** Inverts the byte at file offset `offset` when the response carries it; headers stay truthful. */
export interface CorruptFault extends FaultTarget {
	kind: 'corrupt';
	offset: number;
}

/** Answers `status` with a JSON error body instead of the file. */
export interface StatusFault extends FaultTarget {
	kind: 'status';
	status: number;
}

/** Waits `ms` before handling the request. */
export interface DelayFault extends FaultTarget {
	kind: 'delay';
	ms: number;
}

export type HubFault = DropFault | CorruptFault | StatusFault | DelayFault;

export type HubOrigin = 'hub' | 'cdn';

export interface RequestLogEntry {
	origin: HubOrigin;
	method: string;
	/** URL path and query exactly as the server received them. */
	path: string;
	range: string | null;
	ifRange: string | null;
	/** 0 while no response head has been sent (a delayed request) or when none ever was. */
	status: number;
	/** Body bytes handed to the socket; for a dropped response, exactly those before the cut. */
	bytes: number;
	/** When the request arrived, in ms since the epoch. */
	time: number;
}

/** What tests drive, in process (`RunningHub.control`) or over HTTP (`/__control/`). */
export interface HubControls {
	/** Replaces the active faults. Throws FaultError for a malformed one. */
	setFaults(faults: readonly HubFault[]): void;
	clearFaults(): void;
	/** The active faults, with `times` counting what is left. */
	faults(): HubFault[];
	/** Oldest first; `since` keeps requests that arrived at or after that time. */
	log(since?: number): RequestLogEntry[];
	clearLog(): void;
	reset(): void;
}

export const LOG_LIMIT = 10_000;
const MAX_DELAY_MS = 10 * 60 * 1000;

export class FaultError extends Error {
	override name = 'FaultError';
}

export interface RequestFaults {
	delayMs: number;
	status: number | undefined;
}

interface ActiveFault {
	fault: HubFault;
	remaining: number;
}

interface LogRecord {
	entry: RequestLogEntry;
	/** Held until the response closes, so a reader sees the status as soon as the client can. */
	res: ServerResponse | undefined;
}

/**
 * One switchboard shared by the hub and CDN handlers. Faults count down synchronously when a request
 * takes them, so concurrent requests never share one use.
 */
export class HubFaults implements HubControls {
	#active: ActiveFault[] = [];
	#records: LogRecord[] = [];

	setFaults(faults: readonly HubFault[]): void {
		this.#active = parseFaults(faults).map((fault) => ({ fault, remaining: fault.times }));
	}

	clearFaults(): void {
		this.#active = [];
	}

	faults(): HubFault[] {
		return this.#active.map(({ fault, remaining }) => ({ ...fault, times: remaining }));
	}

	log(since?: number): RequestLogEntry[] {
		return this.#records
			.filter(({ entry }) => since === undefined || entry.time >= since)
			.map(({ entry, res }) => ({ ...entry, status: res?.headersSent ? res.statusCode : entry.status }));
	}

	clearLog(): void {
		this.#records = [];
	}

	reset(): void {
		this.clearFaults();
		this.clearLog();
	}

	/** Logs the request now and keeps its entry current until the response closes. */
	track(origin: HubOrigin, req: IncomingMessage, res: ServerResponse): void {
		const entry: RequestLogEntry = {
			origin,
			method: req.method ?? 'GET',
			path: req.url ?? '/',
			range: headerOf(req, 'range'),
			ifRange: headerOf(req, 'if-range'),
			status: 0,
			bytes: 0,
			time: Date.now()
		};
		const record: LogRecord = { entry, res };
		this.#records.push(record);
		if (this.#records.length > LOG_LIMIT) this.#records.splice(0, this.#records.length - LOG_LIMIT);
		meterBody(res, entry);
		res.once('close', () => {
			entry.status = res.headersSent ? res.statusCode : 0;
			record.res = undefined;
		});
	}

	/** Every matching delay adds up; the first matching status wins and only it is used up. */
	takeRequestFaults(repo: string, path: string): RequestFaults {
		const delays = this.#take(repo, path, 'delay', true);
		const [status] = this.#take(repo, path, 'status', false);
		return {
			delayMs: delays.reduce((total, fault) => total + fault.ms, 0),
			status: status?.status
		};
	}

	/** Every matching corruption applies; the first matching drop wins and only it is used up. */
	takeBodyFaults(repo: string, path: string): BodyFaults | undefined {
		const corrupt = this.#take(repo, path, 'corrupt', true);
		const [drop] = this.#take(repo, path, 'drop', false);
		if (corrupt.length === 0 && !drop) return undefined;
		return {
			flip: corrupt.map((fault) => fault.offset),
			cutAfter: drop?.afterBytes,
			stallMs: drop?.stallMs ?? 0
		};
	}

	#take<K extends HubFault['kind']>(
		repo: string,
		path: string,
		kind: K,
		all: boolean
	): Extract<HubFault, { kind: K }>[] {
		const taken: Extract<HubFault, { kind: K }>[] = [];
		for (const active of this.#active) {
			const { fault } = active;
			if (!isKind(fault, kind) || fault.path !== path) continue;
			if (fault.repo !== undefined && fault.repo !== repo) continue;
			taken.push(fault);
			if (active.remaining > 0) active.remaining -= 1;
			if (!all) break;
		}
		this.#active = this.#active.filter((active) => active.remaining !== 0);
		return taken;
	}
}

function isKind<K extends HubFault['kind']>(
	fault: HubFault,
	kind: K
): fault is Extract<HubFault, { kind: K }> {
	return fault.kind === kind;
}

function headerOf(req: IncomingMessage, name: string): string | null {
	const value = req.headers[name];
	if (value === undefined) return null;
	return Array.isArray(value) ? value.join(', ') : value;
}

/**
 * Checks faults that may come from another process as JSON, and copies them so the caller's objects cannot
 * change an active fault afterwards.
 */
export function parseFaults(value: unknown): HubFault[] {
	if (!Array.isArray(value)) throw new FaultError('Faults must be a JSON array');
	return value.map((item: unknown, index) => parseFault(item, `faults[${index}]`));
}

function parseFault(item: unknown, where: string): HubFault {
	if (typeof item !== 'object' || item === null) throw new FaultError(`${where} must be an object`);
	const field = (key: string): unknown => Reflect.get(item, key);
	const path = field('path');
	if (typeof path !== 'string' || path === '')
		throw new FaultError(`${where}.path must be a non-empty string`);
	const repo = field('repo');
	if (repo !== undefined && typeof repo !== 'string') throw new FaultError(`${where}.repo must be a string`);
	const times = field('times');
	if (!(times === -1 || isInteger(times, 1))) {
		throw new FaultError(`${where}.times must be a positive integer, or -1 for forever`);
	}
	const target = repo === undefined ? { path, times } : { repo, path, times };
	const kind = field('kind');
	const number = (key: string, min: number, max = Number.MAX_SAFE_INTEGER): number => {
		const found = field(key);
		if (!isInteger(found, min, max)) {
			throw new FaultError(`${where}.${key} must be an integer from ${min} to ${max}`);
		}
		return found;
	};
	switch (kind) {
		case 'drop':
			return {
				kind,
				...target,
				afterBytes: number('afterBytes', 0),
				...(field('stallMs') === undefined ? {} : { stallMs: number('stallMs', 0, MAX_DELAY_MS) })
			};
		case 'corrupt':
			return { kind, ...target, offset: number('offset', 0) };
		case 'status':
			return { kind, ...target, status: number('status', 200, 599) };
		case 'delay':
			return { kind, ...target, ms: number('ms', 0, MAX_DELAY_MS) };
		default:
			throw new FaultError(`${where}.kind must be drop, corrupt, status or delay`);
	}
}

function isInteger(value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): value is number {
	return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

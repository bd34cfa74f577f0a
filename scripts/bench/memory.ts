// Peak memory of a Chromium renderer, read from Linux's /proc: which process hosts the bench page (its
// dedicated workers live in the same process), and its resident-set peak over one phase. The peak is the
// kernel's own high-water mark (VmHWM), reset before the phase through clear_refs, so nothing between two
// samples is missed; where the reset is refused, RSS is sampled every 20 ms instead.

import { readFileSync, readdirSync, writeFileSync } from 'node:fs';

export interface ProcessMemory {
	/** VmRSS: resident now. */
	rss: number;
	/** VmHWM: the highest VmRSS since the process started or since the last reset. */
	hwm: number;
}

export type PeakMethod = 'VmHWM' | 'sampled';

export interface PeakReading {
	/** Resident bytes when the phase started. */
	baseline: number;
	/** Highest resident bytes during the phase. */
	peak: number;
	aboveBaseline: number;
	method: PeakMethod;
}

const SAMPLE_MS = 20;

function parentOf(pid: number): number | null {
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		// The command name (field 2) may hold spaces and parentheses: fields are counted after its last ')'.
		const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		return Number(fields[1]);
	} catch {
		return null;
	}
}

function commandLine(pid: number): string {
	try {
		return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
	} catch {
		return '';
	}
}

/** Every live process started, directly or not, by `root` (Chromium's renderers hang off its zygote). */
export function descendantsOf(root: number): number[] {
	const parents = new Map<number, number>();
	for (const name of readdirSync('/proc')) {
		if (!/^\d+$/.test(name)) continue;
		const parent = parentOf(Number(name));
		if (parent !== null) parents.set(Number(name), parent);
	}
	const isDescendant = (pid: number): boolean => {
		for (let at = parents.get(pid); at !== undefined && at > 1; at = parents.get(at))
			if (at === root) return true;
		return false;
	};
	return [...parents.keys()].filter(isDescendant);
}

export function rendererProcesses(root: number = process.pid): number[] {
	return descendantsOf(root).filter((pid) => commandLine(pid).includes('--type=renderer'));
}

export function readMemory(pid: number): ProcessMemory {
	const status = readFileSync(`/proc/${pid}/status`, 'utf8');
	const field = (name: string): number => {
		const match = new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status);
		if (!match?.[1]) throw new Error(`/proc/${pid}/status has no ${name}.`);
		return Number(match[1]) * 1024;
	};
	return { rss: field('VmRSS'), hwm: field('VmHWM') };
}

/** Resets the process's VmHWM to its current RSS ("5" > clear_refs, Linux 4.0+); false where refused. */
export function resetPeak(pid: number): boolean {
	try {
		writeFileSync(`/proc/${pid}/clear_refs`, '5');
		return true;
	} catch {
		return false;
	}
}

/** Measures one phase's peak resident memory of one process. */
export class PeakMeter {
	readonly #pid: number;
	#baseline = 0;
	#sampledPeak = 0;
	#method: PeakMethod = 'VmHWM';
	#timer: NodeJS.Timeout | null = null;

	constructor(pid: number) {
		this.#pid = pid;
	}

	start(): void {
		const reset = resetPeak(this.#pid);
		this.#baseline = readMemory(this.#pid).rss;
		this.#sampledPeak = this.#baseline;
		this.#method = reset ? 'VmHWM' : 'sampled';
		if (!reset) {
			this.#timer = setInterval(() => {
				this.#sampledPeak = Math.max(this.#sampledPeak, readMemory(this.#pid).rss);
			}, SAMPLE_MS);
		}
	}

	stop(): PeakReading {
		if (this.#timer) clearInterval(this.#timer);
		this.#timer = null;
		const now = readMemory(this.#pid);
		const peak = this.#method === 'VmHWM' ? now.hwm : Math.max(this.#sampledPeak, now.rss);
		return {
			baseline: this.#baseline,
			peak,
			aboveBaseline: Math.max(0, peak - this.#baseline),
			method: this.#method
		};
	}
}

/**
 * Waits until the process's RSS stops moving (a terminated worker's memory is returned asynchronously), so a
 * baseline taken next is not one that is still falling.
 */
export async function settle(pid: number, timeoutMs = 2_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	let last = readMemory(pid).rss;
	while (Date.now() < deadline) {
		await new Promise((resolve) => setTimeout(resolve, 50));
		const now = readMemory(pid).rss;
		if (Math.abs(now - last) < 2 * 1024 * 1024) return;
		last = now;
	}
}

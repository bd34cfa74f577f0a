// The machine a benchmark ran on, and waiting for it to go quiet: on two cores, Chromium flushing a few
// hundred MB of IndexedDB or the kernel writing back dirty pages would otherwise land inside one sample.

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, hostname, release, totalmem, type } from 'node:os';
import type { Machine } from './report.ts';

export function describeMachine(chromiumPath: string, chromiumVersion: string): Machine {
	return {
		hostname: hostname(),
		cpu: cpus()[0]?.model ?? 'unknown CPU',
		cores: cpus().length,
		memoryBytes: totalmem(),
		os: `${type()} ${release()}`,
		node: process.versions.node,
		chromium: chromiumVersion,
		chromiumPath
	};
}

/** Busy and total jiffies of all CPUs since boot; iowait counts as busy (the disk is what we wait out). */
function cpuTimes(): { busy: number; total: number } {
	const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
	const fields = line.trim().split(/\s+/).slice(1).map(Number);
	const total = fields.reduce((sum, value) => sum + value, 0);
	const idle = fields[3] ?? 0;
	return { busy: total - idle, total };
}

/**
 * Flushes dirty pages to disk, then waits until the whole machine's CPUs were at most `threshold` busy over
 * one `windowMs` window (or `timeoutMs` passed). Returns how long it waited.
 */
export async function waitForQuiet(threshold = 0.1, windowMs = 250, timeoutMs = 5_000): Promise<number> {
	const started = Date.now();
	try {
		execFileSync('sync');
	} catch {
		// No sync(1): the kernel writes back on its own, the CPU check below still waits for it.
	}
	while (Date.now() - started < timeoutMs) {
		const before = cpuTimes();
		await new Promise((resolve) => setTimeout(resolve, windowMs));
		const after = cpuTimes();
		const total = after.total - before.total;
		if (total > 0 && (after.busy - before.busy) / total <= threshold) break;
	}
	return Date.now() - started;
}

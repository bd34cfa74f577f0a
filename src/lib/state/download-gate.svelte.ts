// The deployment's "largest download without asking": a load whose download is bigger waits here until the
// person confirms it (the page shows the size) or declines it, before a single byte is fetched.

import { CancelledError } from '$lib/runtime/errors';
import type { DownloadPlan } from '$lib/runtime/protocol';
import { formatBytes } from '$lib/format';

export interface PendingDownload {
	model: string;
	bytes: number;
	files: number;
	limit: number;
}

export class DownloadGate {
	readonly limit: number | null;
	/** The download waiting for an answer, for the page to show; null when none is. */
	pending = $state.raw<PendingDownload | null>(null);
	#answer: ((go: boolean) => void) | null = null;

	constructor(limit: number | null) {
		this.limit = limit;
	}

	/** Resolves when the download may start; throws CancelledError when the person declines it. */
	async check(plan: DownloadPlan): Promise<void> {
		if (this.limit === null || plan.missingBytes <= this.limit) return;
		// A new question replaces an old one nobody answered (its load is being replaced too).
		this.#answer?.(false);
		const go = await new Promise<boolean>((resolve) => {
			this.#answer = resolve;
			this.pending = {
				model: plan.model,
				bytes: plan.missingBytes,
				files: plan.files.length,
				limit: this.limit ?? 0
			};
		});
		if (!go) {
			throw new CancelledError(
				`The download of ${plan.model} (${formatBytes(plan.missingBytes)}) was not started.`
			);
		}
	}

	confirm(): void {
		this.#settle(true);
	}

	decline(): void {
		this.#settle(false);
	}

	#settle(go: boolean): void {
		const answer = this.#answer;
		this.#answer = null;
		this.pending = null;
		answer?.(go);
	}
}

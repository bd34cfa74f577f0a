// State of the /bench page ("Is my device fast enough?"): runs the standard set (or the quick one) through a
// BenchRunner with progress and cancel, keeps the result and what it means, and makes the share link that
// carries the result in the URL; a page opened from such a link shows that result read-only.

import { BenchRunner, type BenchDeps, type BenchProgress } from '$lib/bench/runner';
import { meanings } from '$lib/bench/estimate';
import { decodeReport, encodeReport, type BenchReport } from '$lib/bench/report';
import { QUICK_SET, STANDARD_SET } from '$lib/bench/standard-set';
import { CancelledError } from '$lib/runtime/errors';
import { formatBytes } from '$lib/format';

export type BenchStatus = 'idle' | 'running' | 'done' | 'cancelled' | 'error';

export interface BenchPageDeps extends Omit<BenchDeps, 'confirmDownload'> {
	/** Downloads above this many bytes are asked about first (the deployment's rule); null never asks. */
	maxDownloadWithoutAsking: number | null;
	/** Asks the user a yes/no question (window.confirm on the page). */
	ask(question: string): boolean;
}

export class BenchPageState {
	readonly #deps: BenchPageDeps;
	#runner: BenchRunner | null = null;
	status = $state<BenchStatus>('idle');
	progress = $state.raw<BenchProgress | null>(null);
	report = $state.raw<BenchReport | null>(null);
	/** The result came from a share link: it is shown, not rerun, until the user runs the set here. */
	shared = $state(false);
	error = $state<string | null>(null);
	shareUrl = $state<string | null>(null);
	readonly meanings = $derived(this.report ? meanings(this.report) : []);

	constructor(deps: BenchPageDeps) {
		this.#deps = deps;
	}

	/** Shows the result a share link carries (if it carries one); a damaged link is said plainly. */
	async openLink(url: URL): Promise<void> {
		try {
			const report = await decodeReport(url.hash);
			if (!report) return;
			this.report = report;
			this.shared = true;
			this.status = 'done';
			this.shareUrl = url.href;
		} catch (error) {
			this.status = 'error';
			this.error = error instanceof Error ? error.message : String(error);
		}
	}

	async start(quick: boolean, pageUrl: URL): Promise<void> {
		if (this.status === 'running') return;
		const { maxDownloadWithoutAsking, ask } = this.#deps;
		const runner = new BenchRunner({
			...this.#deps,
			confirmDownload: async (bytes) =>
				maxDownloadWithoutAsking === null ||
				bytes <= maxDownloadWithoutAsking ||
				ask(
					`The benchmark needs ${formatBytes(bytes)} of models that are not on this device yet. Download them?`
				)
		});
		this.#runner = runner;
		this.status = 'running';
		this.shared = false;
		this.report = null;
		this.error = null;
		this.shareUrl = null;
		this.progress = null;
		try {
			const report = await runner.run(quick ? QUICK_SET : STANDARD_SET, (progress) => {
				if (this.#runner === runner) this.progress = progress;
			});
			this.report = report;
			this.shareUrl = `${pageUrl.origin}${pageUrl.pathname}#${await encodeReport(report)}`;
			this.status = 'done';
		} catch (error) {
			this.status = error instanceof CancelledError ? 'cancelled' : 'error';
			this.error =
				error instanceof CancelledError ? null : error instanceof Error ? error.message : String(error);
		} finally {
			if (this.#runner === runner) this.#runner = null;
			this.progress = null;
		}
	}

	cancel(): void {
		this.#runner?.cancel();
	}
}

// The ONNX page's first look at a graph: plans it like any load (stored files need no network), loads it in the
// pool (the later Run reuses that very model when the backend is the same) and runs the task's inspecting run,
// whose output is the graph's inputs and outputs as the session reports them. A download bigger than the
// deployment lets through unasked waits for the person to confirm. Also stores an .onnx file opened from disk.

import type { DeploymentConfig } from '$lib/config/deployment';
import { formatBytes } from '$lib/format';
import type { LoadOptions, ModelRef } from '$lib/runtime/protocol';
import { getPool } from '$lib/runtime/runtime';
import type { OnnxInput } from '../onnx';
import type { OnnxIo } from '../onnx-tensors';

export type InspectionStatus = 'idle' | 'planning' | 'confirm' | 'loading' | 'done' | 'error';

type GraphRef = ModelRef & { graph: string };

export class OnnxInspection {
	status = $state<InspectionStatus>('idle');
	/** What is happening, what waits for the person, or what went wrong, in words. */
	message = $state('');
	io = $state.raw<OnnxIo | null>(null);
	/** The graph the io belongs to. */
	inspected = $state('');
	#wanted = '';
	#generation = 0;
	#confirmed: (() => void) | null = null;

	static keyOf(ref: GraphRef): string {
		return `${ref.model}@${ref.revision}/${ref.graph}`;
	}

	/** Inspects the graph unless it is the one already inspected (or under way). */
	request(ref: GraphRef, options: LoadOptions, limit: number | null, onio: (io: OnnxIo) => void): void {
		const key = OnnxInspection.keyOf(ref);
		if (key === this.#wanted) return;
		this.#wanted = key;
		void this.#inspect(ref, key, options, limit, onio);
	}

	/** Forgets the graph (the form names none now). */
	clear(): void {
		this.#generation++;
		this.#wanted = '';
		this.status = 'idle';
		this.message = '';
		this.io = null;
		this.inspected = '';
	}

	/** The person agreed to the download. */
	confirm(): void {
		this.#confirmed?.();
	}

	async #inspect(
		ref: GraphRef,
		key: string,
		options: LoadOptions,
		limit: number | null,
		onio: (io: OnnxIo) => void
	): Promise<void> {
		const generation = ++this.#generation;
		const live = () => generation === this.#generation;
		const pool = getPool();
		this.io = null;
		this.inspected = '';
		this.status = 'planning';
		this.message = `Looking up ${ref.graph} in ${ref.model}…`;
		try {
			const plan = await pool.plan('onnx', ref, options).done;
			if (!live()) return;
			if (limit !== null && plan.missingBytes > limit) {
				this.status = 'confirm';
				this.message = `Reading its inputs and outputs downloads ${formatBytes(plan.missingBytes)} (stored for next time).`;
				await new Promise<void>((resolve) => (this.#confirmed = resolve));
				if (!live()) return;
			}
			this.status = 'loading';
			this.message =
				plan.missingBytes > 0
					? `Downloading ${formatBytes(plan.missingBytes)} and opening ${ref.graph}…`
					: `Opening ${ref.graph}…`;
			const loaded = await pool.load(plan).done;
			if (!live()) return;
			const input: OnnxInput = {
				repo: ref.model,
				file: ref.graph,
				localName: '',
				fills: {},
				dims: {},
				inspect: true,
				io: null
			};
			const result = await pool.run('onnx', loaded.key, input).done;
			if (!live()) return;
			this.io = result.output.io;
			this.inspected = key;
			this.status = 'done';
			this.message = '';
			onio(result.output.io);
		} catch (error) {
			if (!live()) return;
			// The same graph can be asked for again (after a fix on the hub, or once online).
			this.#wanted = '';
			this.status = 'error';
			this.message = error instanceof Error ? error.message : String(error);
		}
	}

	/** Stores an .onnx file from disk on this device and says which model it became. */
	async openLocal(file: File): Promise<GraphRef> {
		const bytes = await file.arrayBuffer();
		return getPool().control.storeLocal(bytes);
	}
}

/** The deployment's settings from the page's data (the root layout loads them for every page). */
export function deploymentOf(data: Record<string, unknown>): DeploymentConfig | null {
	const config = data.config;
	return typeof config === 'object' && config !== null && 'hubs' in config
		? (config as DeploymentConfig)
		: null;
}

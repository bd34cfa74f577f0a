// Which files a mirror holds for a model: exactly what the app would download, by asking the app's own
// planner (filesForLoad in src/lib/runtime/model-source.ts) for every task that fits the model and every
// kind of device the app plans for, optionally pinned to one dtype. Nothing here chooses files by itself.

import type { DeviceCapabilities, Dtype } from '../../src/lib/runtime/backend.ts';
import { filesForLoad } from '../../src/lib/runtime/model-source.ts';
import type { RemoteFile } from '../../src/lib/store/types.ts';
import { getTask, TASKS, type TaskId } from '../../src/lib/tasks/registry.ts';

const GPU = {
	isFallbackAdapter: false,
	vendor: 'mirror',
	architecture: 'mirror',
	maxBufferSize: 2 ** 31,
	maxStorageBufferBindingSize: 2 ** 31
};

/** The devices the app plans differently for: CPU only, a GPU without shader-f16, and one with it. */
export const DEVICE_KINDS: readonly DeviceCapabilities[] = [
	{ webgpu: null, crossOriginIsolated: true, hardwareConcurrency: 4, deviceMemoryGiB: null },
	{
		webgpu: { ...GPU, shaderF16: false },
		crossOriginIsolated: true,
		hardwareConcurrency: 4,
		deviceMemoryGiB: null
	},
	{
		webgpu: { ...GPU, shaderF16: true },
		crossOriginIsolated: true,
		hardwareConcurrency: 4,
		deviceMemoryGiB: null
	}
];

/** The tasks whose pages would load a model with this hub pipeline tag. */
export function tasksForPipelineTag(tag: string | null): TaskId[] {
	if (!tag) return [];
	return (Object.keys(TASKS) as TaskId[]).filter((id) => {
		const spec = getTask(id) as { hubTags?: readonly string[] };
		return (spec.hubTags ?? [id]).includes(tag);
	});
}

export interface Selection {
	files: RemoteFile[];
	dtypes: Dtype[];
	tasks: TaskId[];
}

/**
 * The union of what loads for these tasks need on every kind of device (or in one dtype). Tasks that cannot
 * load the model are left out; when none can, the first one's error (which names what is missing) is thrown.
 */
export function selectMirrorFiles(
	model: string,
	tasks: readonly TaskId[],
	files: readonly RemoteFile[],
	dtype?: Dtype
): Selection {
	const chosen = new Map<string, RemoteFile>();
	const dtypes = new Set<Dtype>();
	const usable: TaskId[] = [];
	let firstError: unknown = null;
	for (const task of tasks) {
		try {
			for (const caps of DEVICE_KINDS) {
				const load = filesForLoad(task, model, files, caps, { device: 'auto', dtype });
				dtypes.add(load.backend.dtype);
				for (const file of load.files) chosen.set(file.path, file);
			}
			usable.push(task);
		} catch (error) {
			firstError ??= error;
		}
	}
	if (usable.length === 0) throw firstError ?? new Error(`No task to mirror ${model} for.`);
	// The model card is tiny and carries what the hub server lists and searches by (pipeline tag, license).
	const card = files.find((file) => file.path === 'README.md');
	if (card) chosen.set(card.path, card);
	return {
		files: [...chosen.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
		dtypes: [...dtypes],
		tasks: usable
	};
}

// A task's page: prerendered for every registered task; any other path is an unknown task, said plainly.
import { error } from '@sveltejs/kit';
import { isTaskId, TASK_IDS } from '$lib/tasks/registry';
import { describeValue } from '$lib/share/link';

export function entries() {
	return TASK_IDS.map((task) => ({ task }));
}

export function load({ params }) {
	if (!isTaskId(params.task)) {
		error(404, {
			message: `There is no task called ${describeValue(params.task)}.`,
			hint: 'Pick one of the tasks on the home page.'
		});
	}
	return { task: params.task };
}

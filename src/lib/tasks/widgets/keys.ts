// Ctrl+Enter (⌘+Enter on a Mac) in any of a task's fields runs the task.

/** Runs `run` and swallows the key when `event` is Ctrl+Enter or ⌘+Enter; says whether it was. */
export function runOnCtrlEnter(event: KeyboardEvent, run: () => void): boolean {
	if (event.key !== 'Enter' || !(event.ctrlKey || event.metaKey)) return false;
	event.preventDefault();
	run();
	return true;
}

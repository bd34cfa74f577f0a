// Property-based checks of every registered task's share-link parameters (fast-check): examples round-trip,
// and no value of any parameter (long, unicode, script addresses) makes parsing throw or run silently.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { getTask, TASK_IDS, type TaskId, type TaskInput } from '$lib/tasks/registry';
import { parseShareLink, serializeShareLink, type RunSettings } from './link';

const settings: RunSettings = { model: null, revision: 'main', device: 'auto', dtype: null, run: false };
const anyValue = fc.oneof(
	fc.string({ unit: 'binary', maxLength: 200 }),
	fc.string({ maxLength: 30 }).map((tail) => `javascript:${tail}`),
	fc.constantFrom(
		'',
		' ',
		'0',
		'-1',
		'1e309',
		'NaN',
		'true',
		'[]',
		'{"a":1}',
		'<script>x</script>',
		'a'.repeat(25_000)
	)
);
const repoPart = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_]{0,20}$/);

describe.each(TASK_IDS)('%s share links', (task: TaskId) => {
	const spec = getTask(task);

	it('round-trips every example', () => {
		for (const example of spec.examples as readonly TaskInput<TaskId>[]) {
			const query = serializeShareLink(task, settings, example as TaskInput<typeof task>);
			const back = parseShareLink(task, new URLSearchParams(query));
			expect(back.issues).toEqual([]);
			expect(back.input).toEqual(example);
		}
	});

	it('never throws on any value of any parameter, and reports problems by name', () => {
		fc.assert(
			fc.property(
				fc.constantFrom(...spec.params, 'model', 'revision', 'device', 'dtype'),
				anyValue,
				(param, value) => {
					const state = parseShareLink(
						task,
						new URLSearchParams([
							[param, value],
							['run', '1']
						])
					);
					for (const issue of state.issues) {
						expect(issue.param).toBe(param);
						expect(issue.message.length).toBeGreaterThan(0);
					}
					if (state.issues.length > 0) expect(state.settings.run).toBe(false);
				}
			),
			{ numRuns: 150 }
		);
	});

	it('refuses script addresses as models and accepts real-looking model ids', () => {
		fc.assert(
			fc.property(fc.string({ maxLength: 40 }), (tail) => {
				const state = parseShareLink(task, new URLSearchParams({ model: `javascript:${tail}` }));
				expect(state.issues.map((issue) => issue.param)).toContain('model');
				expect(state.settings.model).toBeNull();
			})
		);
		fc.assert(
			fc.property(repoPart, repoPart, (org, name) => {
				const state = parseShareLink(task, new URLSearchParams({ model: `${org}/${name}` }));
				expect(state.settings.model).toBe(`${org}/${name}`);
			})
		);
	});
});

import { describe, expect, it } from 'vitest';
import { buildCatalog, taskName, taskSummary, whyNotYet } from './catalog';
import { TASK_IDS } from './registry';

describe('task catalog', () => {
	it('groups Hugging Face tasks by modality and marks the ones that run here', () => {
		const catalog = buildCatalog();
		expect([...catalog.keys()]).toEqual(['nlp', 'cv', 'audio', 'multimodal']);
		const nlp = catalog.get('nlp') ?? [];
		const classification = nlp.find((entry) => entry.id === 'text-classification');
		expect(classification).toMatchObject({ name: 'Text Classification', available: true });
		expect(classification?.summary).toMatch(/^Text Classification is the task of assigning a label/);
		expect(nlp.find((entry) => entry.id === 'summarization')?.available).toBe(true);
		expect(nlp.find((entry) => entry.id === 'table-question-answering')?.available).toBe(false);
		expect(catalog.get('cv')?.some((entry) => entry.id === 'object-detection')).toBe(true);
		expect(catalog.get('audio')?.some((entry) => entry.id === 'automatic-speech-recognition')).toBe(true);
	});

	it('says why each task that does not run here is missing', () => {
		const entries = [...buildCatalog().values()].flat();
		for (const entry of entries) {
			if (entry.available) expect(entry.reason).toBeUndefined();
			else expect(entry.reason).toMatch(/\.$/);
		}
		const reasonOf = (id: string) => entries.find((entry) => entry.id === id)?.reason ?? '';
		for (const id of [
			'text-to-image',
			'text-to-video',
			'unconditional-image-generation',
			'table-question-answering',
			'audio-to-audio',
			'video-classification',
			'graph-ml'
		])
			expect(reasonOf(id)).not.toBe(whyNotYet('some-unknown-task'));
		expect(reasonOf('table-question-answering')).toMatch(/TAPAS/);
	});

	it('names every registered task from @huggingface/tasks', () => {
		for (const id of TASK_IDS) {
			expect(taskName(id), id).not.toBe('');
			expect(taskSummary(id), id).toMatch(/\.$/);
		}
	});
});

import { describe, expect, it } from 'vitest';
import { buildCatalog, taskName, taskSummary } from './catalog';
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

	it('names every registered task from @huggingface/tasks', () => {
		for (const id of TASK_IDS) {
			expect(taskName(id)).not.toBe('');
			expect(taskSummary(id)).toMatch(/\.$/);
		}
	});
});

// The app's one inference client, created on first use so pages that never run a model never start a worker.

import { InferenceClient } from './client';

let client: InferenceClient | null = null;

export function getInferenceClient(): InferenceClient {
	client ??= new InferenceClient(
		() =>
			new Worker(new URL('../../../workers/inference.worker.ts', import.meta.url), {
				type: 'module',
				name: 'browserve-inference'
			})
	);
	return client;
}

// Dedicated worker that runs one store scenario per message and posts back its facts or its error; the
// browser spec starts it because OPFS sync access handles exist only in dedicated workers.

import { serializeError, type SerializedError } from '$lib/runtime/errors';
import { runScenario, type ScenarioFacts, type ScenarioRequest } from './store-scenarios';

export type ScenarioReply = { ok: true; facts: ScenarioFacts } | { ok: false; error: SerializedError };

self.onmessage = async (event: MessageEvent<ScenarioRequest>) => {
	let reply: ScenarioReply;
	try {
		reply = { ok: true, facts: await runScenario(event.data) };
	} catch (error) {
		reply = { ok: false, error: serializeError(error) };
	}
	self.postMessage(reply);
};

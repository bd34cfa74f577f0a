// What the generating tasks (text generation, chat, text2text, summarization, translation) share in the worker.

/**
 * Lets the worker's event loop run before each forward pass, and returns the undo. On WASM, generate() never
 * gives control back to the event loop between tokens (onnxruntime settles its runs in microtasks), so a
 * cancel message would wait in the queue until the text was finished; with this the abort is seen at the next
 * token. A message-channel task, unlike setTimeout, is not clamped to 4 ms when it repeats.
 */
export function yieldBeforeEachStep(model: { forward(inputs: unknown): Promise<unknown> }): () => void {
	const channel = new MessageChannel();
	const waiting: (() => void)[] = [];
	channel.port1.onmessage = () => waiting.shift()?.();
	const forward = model.forward;
	const paced = async (inputs: unknown): Promise<unknown> => {
		await new Promise<void>((resolve) => {
			waiting.push(resolve);
			channel.port2.postMessage(null);
		});
		return forward.call(model, inputs);
	};
	model.forward = paced;
	return () => {
		// Only this run's wrapper is undone; the shared model is left as it was found.
		if (model.forward === paced) model.forward = forward;
		channel.port1.close();
	};
}

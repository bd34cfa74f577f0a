// One writer per stored file across tabs and workers: a Web Lock per file key. Where Web Locks are missing
// (Node, where the unit specs run) an in-process queue gives the same order within one process.

const LOCK_PREFIX = 'browserve-store:';

const queueTails = new Map<string, Promise<void>>();

function abortReason(signal: AbortSignal): unknown {
	return signal.reason ?? new DOMException('The operation was aborted.', 'AbortError');
}

/** Runs `work` while holding the lock of one file; waiting for it can be cancelled through `signal`. */
export function withFileLock<T>(
	key: string,
	signal: AbortSignal | undefined,
	work: () => Promise<T>
): Promise<T> {
	const name = LOCK_PREFIX + key;
	const locks = globalThis.navigator?.locks;
	if (locks) return locks.request(name, signal ? { signal } : {}, () => work());
	return withQueuedLock(name, signal, work);
}

async function withQueuedLock<T>(
	name: string,
	signal: AbortSignal | undefined,
	work: () => Promise<T>
): Promise<T> {
	const previous = queueTails.get(name) ?? Promise.resolve();
	let release = (): void => undefined;
	const held = new Promise<void>((resolve) => (release = resolve));
	const tail = previous.then(() => held);
	queueTails.set(name, tail);
	try {
		await untilAborted(previous, signal);
		return await work();
	} finally {
		// Whoever queued behind us waits for `previous` and then this, so an abandoned wait still keeps order.
		release();
		if (queueTails.get(name) === tail) queueTails.delete(name);
	}
}

function untilAborted(promise: Promise<void>, signal: AbortSignal | undefined): Promise<void> {
	if (!signal) return promise;
	if (signal.aborted) return Promise.reject(abortReason(signal));
	return new Promise((resolve, reject) => {
		const onAbort = (): void => reject(abortReason(signal));
		signal.addEventListener('abort', onAbort, { once: true });
		void promise.then(() => {
			signal.removeEventListener('abort', onAbort);
			resolve();
		});
	});
}

// The HTTP face of HubFaults for end-to-end tests in another process: /__control/faults, /__control/log and
// /__control/reset on the hub origin, mounted only when startHub is asked for them.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { FaultError, parseFaults, type HubFaults } from './faults.ts';
import { sendJson, sendNotFound, sendPreflight, setCors, type HubRequestHandler } from './http.ts';

export const CONTROL_PREFIX = '/__control/';
const CONTROL_METHODS = 'GET, POST, DELETE, OPTIONS';
// A fault list is a few hundred bytes; the cap only stops a runaway client from filling memory.
const MAX_BODY_BYTES = 1024 * 1024;

class ControlError extends Error {
	override name = 'ControlError';
	constructor(
		readonly status: number,
		message: string
	) {
		super(message);
	}
}

type Action = () => Promise<void> | void;

export function createControlHandler(faults: HubFaults): HubRequestHandler {
	return (req, res, path) => {
		setCors(res);
		if (req.method === 'OPTIONS') {
			sendPreflight(req, res, CONTROL_METHODS);
			return;
		}
		routeControl(faults, req, res, path).catch((error: unknown) => {
			if (res.headersSent) {
				res.destroy();
				return;
			}
			const status = error instanceof ControlError ? error.status : error instanceof FaultError ? 400 : 500;
			const message = status === 500 || !(error instanceof Error) ? 'Internal server error' : error.message;
			sendJson(req, res, status, { error: message });
		});
	};
}

async function routeControl(
	faults: HubFaults,
	req: IncomingMessage,
	res: ServerResponse,
	path: string
): Promise<void> {
	const url = new URL(path, 'http://control.invalid');
	const routes: Record<string, Partial<Record<string, Action>>> = {
		faults: {
			GET: () => sendJson(req, res, 200, faults.faults()),
			POST: async () => {
				faults.setFaults(parseFaults(await readJson(req)));
				sendJson(req, res, 200, faults.faults());
			},
			DELETE: () => {
				faults.clearFaults();
				sendNoContent(res);
			}
		},
		log: {
			GET: () => sendJson(req, res, 200, faults.log(sinceOf(url.searchParams))),
			DELETE: () => {
				faults.clearLog();
				sendNoContent(res);
			}
		},
		reset: {
			POST: () => {
				faults.reset();
				sendNoContent(res);
			}
		}
	};
	const name = url.pathname.slice(CONTROL_PREFIX.length);
	const methods = Object.hasOwn(routes, name) ? routes[name] : undefined;
	if (!methods) return sendNotFound(req, res);
	const action = methods[req.method ?? 'GET'];
	if (!action) {
		res.setHeader('Allow', Object.keys(methods).join(', '));
		return sendJson(req, res, 405, { error: 'Method not allowed' });
	}
	await action();
}

function sinceOf(params: URLSearchParams): number | undefined {
	const text = params.get('since');
	if (text === null || text === '') return undefined;
	const since = Number(text);
	if (!Number.isFinite(since)) throw new ControlError(400, `Invalid since: ${text}`);
	return since;
}

async function readJson(req: IncomingMessage): Promise<unknown> {
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of req as AsyncIterable<Buffer>) {
		size += chunk.length;
		if (size > MAX_BODY_BYTES) throw new ControlError(413, 'Request body too large');
		chunks.push(chunk);
	}
	try {
		return JSON.parse(Buffer.concat(chunks).toString('utf8'));
	} catch {
		throw new ControlError(400, 'Request body must be JSON');
	}
}

function sendNoContent(res: ServerResponse): void {
	res.writeHead(204);
	res.end();
}

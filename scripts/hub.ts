// CLI for the local Hugging Face-compatible hub:
// `npm run hub -- --dir DIR [--port N] [--cdn-port N] [--host H] [--control]`.
// Prints one line with the hub URL (what transformers.js takes as env.remoteHost) and runs until signalled.
// --control adds the test-only fault switch and request log under /__control/ on the hub origin.
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startHub } from './hub/server.ts';

const USAGE = 'usage: tsx scripts/hub.ts --dir DIR [--port N] [--cdn-port N] [--host H] [--control]';

class UsageError extends Error {
	override name = 'UsageError';
}

interface HubArgs {
	dir: string;
	port: number;
	cdnPort: number;
	host: string;
	control: boolean;
}

function parsePort(flag: string, value: string | undefined): number {
	if (value === undefined) return 0;
	const port = Number(value);
	if (!/^\d+$/.test(value) || port > 65535)
		throw new UsageError(`${flag} must be a port from 0 to 65535, got "${value}"`);
	return port;
}

async function parseHubArgs(argv: string[]): Promise<HubArgs> {
	let values;
	try {
		({ values } = parseArgs({
			args: argv,
			options: {
				dir: { type: 'string' },
				port: { type: 'string' },
				'cdn-port': { type: 'string' },
				host: { type: 'string' },
				control: { type: 'boolean' }
			},
			strict: true,
			allowPositionals: false
		}));
	} catch (error) {
		throw new UsageError(error instanceof Error ? error.message : String(error));
	}
	if (values.dir === undefined || values.dir === '') throw new UsageError('--dir is required');
	const dir = resolve(values.dir);
	const info = await stat(dir).catch(() => undefined);
	if (!info?.isDirectory()) throw new UsageError(`--dir ${dir} is not a directory`);
	return {
		dir,
		port: parsePort('--port', values.port),
		cdnPort: parsePort('--cdn-port', values['cdn-port']),
		host: values.host ?? '127.0.0.1',
		control: values.control === true
	};
}

async function main(): Promise<void> {
	let args: HubArgs;
	try {
		args = await parseHubArgs(process.argv.slice(2));
	} catch (error) {
		if (!(error instanceof UsageError)) throw error;
		console.error(`hub: ${error.message} (${USAGE})`);
		process.exit(2);
	}
	const hub = await startHub(args);
	const control = args.control ? `, control API at ${hub.url}__control/` : '';
	console.log(`Hub serving ${args.dir} at ${hub.url} (LFS CDN at ${hub.cdnUrl}${control})`);

	let closing = false;
	const shutdown = (): void => {
		// A second signal means the user is done waiting.
		if (closing) process.exit(1);
		closing = true;
		hub.close().then(
			() => process.exit(0),
			() => process.exit(1)
		);
	};
	process.on('SIGINT', shutdown);
	process.on('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
	console.error(`hub: ${error instanceof Error ? error.message : String(error)}`);
	process.exit(1);
});

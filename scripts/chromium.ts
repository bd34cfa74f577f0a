// Finds a Chromium for the end-to-end tests and benchmarks: CHROMIUM_PATH, Debian's /usr/bin/chromium, or
// Playwright's own download. Where there is none it installs one (apt as root on Debian/Ubuntu, else
// `npx playwright install chromium`), or says in one line what to install.

import { execFileSync, spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';

/** Flags that give a usable headless Chromium here: software WebGPU, and no calls to Google's hosts. */
export const CHROMIUM_ARGS = [
	'--no-sandbox',
	'--enable-unsafe-webgpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
	'--disable-default-apps',
	'--metrics-recording-only'
];

function executable(path: string | undefined): path is string {
	if (!path) return false;
	try {
		accessSync(path, constants.X_OK);
		return true;
	} catch {
		return false;
	}
}

function candidates(): string[] {
	let playwrights: string | undefined;
	try {
		playwrights = chromium.executablePath();
	} catch {
		playwrights = undefined;
	}
	return [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', playwrights].filter(
		executable
	);
}

export function findChromium(): string | null {
	return candidates()[0] ?? null;
}

function isDebianLike(): boolean {
	try {
		return /^(ID|ID_LIKE)=.*\b(debian|ubuntu)\b/m.test(readFileSync('/etc/os-release', 'utf8'));
	} catch {
		return false;
	}
}

/** Returns a Chromium path, installing one if needed; exits with one clear line if it cannot. */
export function ensureChromium(log: (line: string) => void = console.log): string {
	const found = findChromium();
	if (found) return found;
	if (process.env.CHROMIUM_PATH) {
		console.error(
			`CHROMIUM_PATH=${process.env.CHROMIUM_PATH} is not an executable; point it at a Chromium or unset it.`
		);
		process.exit(2);
	}
	if (isDebianLike() && process.getuid?.() === 0 && existsSync('/usr/bin/apt-get')) {
		log('No Chromium found; installing Debian’s chromium package (apt-get install -y chromium)…');
		const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
		execFileSync('apt-get', ['update'], { stdio: 'inherit', env });
		execFileSync('apt-get', ['install', '-y', '--no-install-recommends', 'chromium'], {
			stdio: 'inherit',
			env
		});
	} else {
		log('No Chromium found; trying `npx playwright install chromium`…');
		spawnSync('npx', ['playwright', 'install', 'chromium'], { stdio: 'inherit' });
	}
	const installed = findChromium();
	if (installed) return installed;
	console.error(
		'No Chromium found and none could be installed: install Chromium (Debian/Ubuntu: apt-get install chromium) or set CHROMIUM_PATH.'
	);
	process.exit(2);
}

/**
 * The VAD end-to-end spec speaks its test clip with espeak-ng (a real voice, which Silero must hear as speech).
 * Installs Debian's package when missing and this is a root Debian machine; otherwise says how, and the spec
 * then fails with that message rather than being skipped.
 */
export function ensureEspeak(log: (line: string) => void = console.log): void {
	const has = spawnSync('espeak-ng', ['--version'], { stdio: 'ignore' }).status === 0;
	if (has) return;
	if (isDebianLike() && process.getuid?.() === 0 && existsSync('/usr/bin/apt-get')) {
		log('No espeak-ng found; installing Debian’s espeak-ng package…');
		const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
		execFileSync('apt-get', ['update'], { stdio: 'inherit', env });
		execFileSync('apt-get', ['install', '-y', '--no-install-recommends', 'espeak-ng'], {
			stdio: 'inherit',
			env
		});
		return;
	}
	log('espeak-ng is missing (Debian/Ubuntu: apt-get install espeak-ng); the VAD end-to-end spec needs it.');
}

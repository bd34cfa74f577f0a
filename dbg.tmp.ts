import { chromium } from 'playwright-core';
import { startHub } from '/work/main/scripts/hub/server.ts';
import { startAppServer } from '/work/main/scripts/serve/app-server.ts';
import { CHROMIUM_ARGS } from '/work/main/scripts/chromium.ts';
const hub = await startHub({ dir: '/work/main/.hub', control: true });
const app = await startAppServer({
	buildDir: '/work/main/build',
	hubDir: '/work/main/.hub',
	hubUrl: hub.url
});
hub.control.setFaults([{ kind: 'drop', path: 'onnx/model_quantized.onnx', afterBytes: 867, times: 1 }]);
const args =
	process.argv[2] === 'full'
		? [...CHROMIUM_ARGS, '--proxy-server=http://127.0.0.1:9', '--proxy-bypass-list=<local>']
		: process.argv[2] === 'base'
			? CHROMIUM_ARGS
			: ['--no-sandbox'];
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args });
const page = await browser.newPage();
page.on('worker', (w) => w.on('console', (m) => console.log('worker:', m.text().slice(0, 300))));
await page.goto(app.url + 'text-classification?model=browserve/tiny-sentiment&text=hi&run=1&device=wasm');
await page.waitForSelector('[data-testid=result-json], [data-testid=run-error]', {
	state: 'attached',
	timeout: 30000
});
for (const e of hub.control.log())
	if (e.path.includes('onnx'))
		console.log(e.origin, e.method, e.path.slice(0, 60), e.range, e.status, e.bytes);
await browser.close();
await hub.close();
await app.close();

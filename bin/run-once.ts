// `npm run monitor:once`: the whole suite once on the embedded defaults (demo app unless
// BASE_URL is set), recorded like any run. Arguments go to `playwright test` (a --reporter
// there is added to the monitor reporter, which it would otherwise replace).
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { keepMonitorReporter } from './cli/playwright-run.ts';
import { ensureBrowser } from './ensure-browser.ts';

ensureBrowser();
const cli = createRequire(import.meta.url).resolve('@playwright/test/cli');
const child = spawn(process.execPath, [cli, 'test', ...keepMonitorReporter(process.argv.slice(2))], {
  stdio: 'inherit',
});
// Ctrl-C reaches the child through the terminal's process group; SIGTERM from a supervisor
// is passed on as SIGINT because SIGTERM would orphan Playwright's webServer.
process.on('SIGTERM', () => child.kill('SIGINT'));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));

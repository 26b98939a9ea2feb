// Makes sure a Chromium can be found (DESIGN.md's order); where none is, tries
// `playwright install chromium` once, and only then fails with one line on how to get one.
// `--no-install` only checks (CI installs Debian's chromium itself when this fails).
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { installHint, resolveChromium } from '../fixtures/browser.ts';
import { processEnv } from '../config/env.ts';
import { browserVars } from '../config/process-switches.ts';

export function ensureBrowser({ install = true, quiet = false } = {}): string {
  let found = resolveChromium();
  if (!found.found && install && !browserVars(processEnv()).CHROMIUM_PATH) {
    if (!quiet) console.log('No Chromium found; trying `playwright install chromium` once ...');
    const cli = createRequire(import.meta.url).resolve('@playwright/test/cli');
    spawnSync(process.execPath, [cli, 'install', 'chromium'], {
      stdio: quiet ? 'ignore' : 'inherit',
      timeout: 10 * 60_000,
    });
    found = resolveChromium();
  }
  if (!found.found) {
    process.stderr.write(
      `workflow-monitor: ${found.problem.startsWith('no Chromium') ? `no Chromium found and it could not be installed: ${installHint}` : found.problem}\n`,
    );
    process.exit(2);
  }
  if (!quiet) console.log(`Chromium: ${found.path} (${found.source})`);
  return found.path;
}

if (import.meta.main) ensureBrowser({ install: !process.argv.includes('--no-install') });

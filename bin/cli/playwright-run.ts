// Manual runs from the CLI: `playwright test --grep <exact tags>` with MONITOR_TRIGGER=manual,
// output inherited, Ctrl-C and SIGTERM passed on as SIGINT (SIGTERM would orphan the webServer).
import { spawn } from 'node:child_process';
import { playwrightCli, repoRoot } from '../../scheduler/playwright-cli.ts';

/** `stdoutToStderr`: Playwright's progress goes to stderr, so that stdout holds only the command's JSON. */
export async function runPlaywrightTest(args: string[], env: NodeJS.ProcessEnv = {}, options: { stdoutToStderr?: boolean } = {}): Promise<number> {
  const child = spawn(process.execPath, [playwrightCli(), 'test', ...args], {
    cwd: repoRoot, stdio: options.stdoutToStderr ? ['inherit', process.stderr, 'inherit'] : 'inherit', env: { ...process.env, MONITOR_TRIGGER: process.env.MONITOR_TRIGGER || 'manual', ...env },
  });
  const forward = () => child.kill('SIGINT');
  process.on('SIGTERM', forward);
  return new Promise((resolve) => child.on('exit', (code, signal) => {
    process.off('SIGTERM', forward);
    resolve(code ?? (signal ? 1 : 0));
  }));
}

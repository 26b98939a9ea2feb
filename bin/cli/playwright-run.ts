// Manual runs from the CLI: `playwright test --grep <exact tags>` with MONITOR_TRIGGER=manual,
// output inherited, Ctrl-C and SIGTERM passed on as SIGINT (SIGTERM would orphan the webServer).
import { spawn } from 'node:child_process';
import { playwrightCli, repoRoot } from '../../scheduler/playwright-cli.ts';

export async function runPlaywrightTest(args: string[], env: NodeJS.ProcessEnv = {}): Promise<number> {
  const child = spawn(process.execPath, [playwrightCli(), 'test', ...args], {
    cwd: repoRoot, stdio: 'inherit', env: { ...process.env, MONITOR_TRIGGER: process.env.MONITOR_TRIGGER || 'manual', ...env },
  });
  const forward = () => child.kill('SIGINT');
  process.on('SIGTERM', forward);
  return new Promise((resolve) => child.on('exit', (code, signal) => {
    process.off('SIGTERM', forward);
    resolve(code ?? (signal ? 1 : 0));
  }));
}

// Where the `playwright` command lives (the project's own @playwright/test, run by this Node), and one bounded run of it.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';

export const repoRoot = path.resolve(import.meta.dirname, '..');

export function playwrightCli(): string {
  return createRequire(import.meta.url).resolve('@playwright/test/cli');
}

export type PlaywrightOutcome = { code: number | null; stdout: string; stderr: string };

/**
 * Runs `playwright <args>` in the repository with exactly `env`, collecting its output; after
 * `timeoutMs` its whole process group is killed (it is started as a group leader for that).
 */
export async function runPlaywright(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
): Promise<PlaywrightOutcome> {
  const child = spawn(process.execPath, [playwrightCli(), ...args], {
    cwd: repoRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => {
    stdout += d;
  });
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  const timer = setTimeout(() => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      /* gone */
    }
  }, timeoutMs);
  const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
  clearTimeout(timer);
  return { code, stdout, stderr };
}

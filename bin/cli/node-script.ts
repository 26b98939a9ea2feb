// Delegation to an existing entry point: same Node, same environment, output inherited.
import { spawn, type ChildProcess } from 'node:child_process';
import { access } from 'node:fs/promises';
import path from 'node:path';
import { repoRoot } from '../../scheduler/playwright-cli.ts';

export const repoPath = (...parts: string[]) => path.join(repoRoot, ...parts);

export const exists = (file: string) =>
  access(file).then(
    () => true,
    () => false,
  );

export function runNodeScript(script: string, args: string[]): Promise<number> {
  return exitCodeOf(spawn(process.execPath, [script, ...args], { cwd: repoRoot, stdio: 'inherit' }));
}

/** Waits for a child that shares our terminal, passing our SIGTERM on to it as SIGINT. */
export function exitCodeOf(child: ChildProcess): Promise<number> {
  const forward = () => child.kill('SIGINT');
  process.on('SIGTERM', forward);
  return new Promise((resolve) =>
    child.on('exit', (code, signal) => {
      process.off('SIGTERM', forward);
      resolve(code ?? (signal ? 1 : 0));
    }),
  );
}

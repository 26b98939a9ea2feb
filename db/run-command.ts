// Runs a child process with a hard time limit, optionally as another OS user, collecting its
// output for error messages.
import { execFile } from 'node:child_process';
import { childEnv } from '../config/env.ts';

export type RunAs = { uid: number; gid: number; user: string };

export type CommandResult = { code: number; stdout: string; stderr: string };

export function runCommand(
  file: string,
  args: readonly string[],
  options: { timeoutMs: number; runAs?: RunAs | null; env?: NodeJS.ProcessEnv; cwd?: string },
): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    execFile(
      file,
      args,
      {
        timeout: options.timeoutMs,
        killSignal: 'SIGKILL',
        maxBuffer: 4 * 1024 * 1024,
        env: options.env ?? childEnv(),
        ...(options.cwd ? { cwd: options.cwd } : {}),
        ...(options.runAs ? { uid: options.runAs.uid, gid: options.runAs.gid } : {}),
      },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') {
          if (error.killed) {
            reject(new Error(`${file} ${args.join(' ')} did not finish within ${options.timeoutMs} ms`));
            return;
          }
          reject(error);
          return;
        }
        resolve({ code: error ? Number(error.code) : 0, stdout: String(stdout), stderr: String(stderr) });
      },
    );
  });
}

// One `playwright test` invocation under its guard: own process group, own --output folder,
// own MONITOR_RUN_ID, and a hard timeout that stops the whole tree (SIGINT first so Playwright
// records the interruption and stops its webServer, SIGKILL after the grace period).
import { spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { exactFileFilter } from './discover.ts';
import { descendants, signalTree } from './process-tree.ts';
import { playwrightCli, repoRoot } from './playwright-cli.ts';

export type InvokeOptions = {
  runId: string;
  grep: string;
  trigger: 'schedule' | 'manual';
  env: NodeJS.ProcessEnv;
  outputRoot: string;
  timeoutMs: number;
  killGraceMs: number;
  /** Lines of the run's output, prefixed by the caller. */
  onOutput?: (line: string) => void;
  onSpawn?: (pid: number) => void;
  /** Only these spec files (when some do not load: Playwright would otherwise run nothing). */
  files?: readonly string[] | null;
};

export type InvokeResult = {
  code: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  durationMs: number;
  outputDir: string;
  /** The last lines of stderr: what a pipeline-failure alert quotes. */
  stderrTail: string;
};

const guardScript = path.join(import.meta.dirname, '..', 'bin', 'run-guard.ts');

export type RunningInvocation = { pid: number; stop(reason: string): void; done: Promise<InvokeResult> };

export async function startInvocation(o: InvokeOptions): Promise<RunningInvocation> {
  const outputDir = path.join(o.outputRoot, o.runId);
  await mkdir(outputDir, { recursive: true });
  const started = Date.now();
  const child = spawn(
    process.execPath,
    [
      guardScript,
      playwrightCli(),
      'test',
      '--grep',
      o.grep,
      '--output',
      outputDir,
      ...(o.files ?? []).map(exactFileFilter),
    ],
    {
      cwd: repoRoot,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...o.env,
        MONITOR_RUN_ID: o.runId,
        MONITOR_TRIGGER: o.trigger,
        MONITOR_OUTPUT_DIR: outputDir,
        MONITOR_KILL_GRACE_MS: String(o.killGraceMs),
        FORCE_COLOR: '0',
      },
    },
  );
  const pid = child.pid;
  if (pid === undefined) throw new Error('could not start playwright (no pid)');
  o.onSpawn?.(pid);
  let stderrTail = '';
  const lines = (stream: NodeJS.ReadableStream, isErr: boolean) => {
    let buffer = '';
    stream.on('data', (d: Buffer) => {
      buffer += d.toString();
      const parts = buffer.split('\n');
      buffer = parts.pop() ?? '';
      for (const line of parts) {
        if (isErr) stderrTail = `${stderrTail}\n${line}`.slice(-4000);
        o.onOutput?.(line);
      }
    });
  };
  lines(child.stdout, false);
  lines(child.stderr, true);

  let timedOut = false;
  let killTimer: NodeJS.Timeout | undefined;
  const stop = (reason: string) => {
    if (killTimer) return;
    o.onOutput?.(`stopping: ${reason}`);
    const tree = descendants(pid);
    signalTree(pid, 'SIGINT', tree);
    killTimer = setTimeout(() => signalTree(pid, 'SIGKILL', [...tree, ...descendants(pid)]), o.killGraceMs);
  };
  const hardTimer = setTimeout(() => {
    timedOut = true;
    stop(`hard timeout of ${Math.round(o.timeoutMs / 1000)} s`);
  }, o.timeoutMs);
  const done = new Promise<InvokeResult>((resolve) => {
    // 'exit', not 'close': a leftover grandchild holding the pipes must not hold the run open.
    child.on('exit', (code, signal) => {
      clearTimeout(hardTimer);
      if (killTimer) clearTimeout(killTimer);
      const finish = () =>
        resolve({ code, signal, timedOut, durationMs: Date.now() - started, outputDir, stderrTail: stderrTail.trim() });
      const drained = setTimeout(finish, 2000);
      child.on('close', () => {
        clearTimeout(drained);
        finish();
      });
    });
  });
  return { pid, stop, done };
}

// Test support for the daemon's end-to-end tests: temporary suites of trivial specs (no browser:
// they use @playwright/test directly with workflow() details) and a daemon child process whose
// whole tree is killed when the test ends, whatever happened.
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { descendants, signalTree } from '../../scheduler/process-tree.ts';
import { daemonNodeArgs } from '../../scheduler/node-args.ts';
import { repoRoot } from '../../scheduler/playwright-cli.ts';
import { childEnv } from '../../config/env.ts';

export type TrivialSpec = {
  id: string;
  priority?: string;
  schedule?: string;
  sleepMs?: number;
  body?: string;
  title?: string;
};

export function trivialSpec(s: TrivialSpec): string {
  const details = `workflow({ id: '${s.id}', priority: '${s.priority ?? 'high'}', schedule: '${s.schedule ?? '* * * * *'}' })`;
  // `workflow()` validates priorities; an unknown one is exercised with raw details instead.
  const raw = `{ tag: ['@${s.priority}', '@${s.id}'], annotation: [{ type: 'workflow', description: '${s.id}' }, { type: 'priority', description: '${s.priority}' }, { type: 'schedule', description: '${s.schedule ?? '* * * * *'}' }] }`;
  const known = ['critical', 'high', 'medium', 'low'].includes(s.priority ?? 'high');
  return `import { test } from '@playwright/test';
import { workflow } from '../fixtures/workflow.ts';
test('${s.title ?? s.id}', ${known ? details : raw}, async () => {
  ${s.body ?? `await new Promise((r) => setTimeout(r, ${s.sleepMs ?? 100}));`}
});
`;
}

/** A suite folder one level below the repository root (relative imports resolve like workflows/). */
export async function specDir(files: Record<string, string>): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(path.join(repoRoot, '.monitor-test-specs-'));
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(dir, name), text);
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

export async function tempDir(prefix: string): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** What every daemon test runs with: 1-s ticks, no housekeeping, no retries, the monitor reporter on. */
export const quickDaemon = {
  MONITOR_TICK_SECONDS: '1',
  MONITOR_HOUSEKEEPING: 'false',
  MONITOR_RETRIES: '0',
  MONITOR_REPORTER: '',
} as const;

export type DaemonPlaces = { databaseUrl: string; stateDir: string; workflowsDir: string };

/**
 * A daemon on its own database, state folder and suite of trivial specs, with a target that
 * answers nothing, and `quickDaemon`; `secondCron` allows 6-field (second-level) schedules.
 */
export function daemonTestEnv(p: DaemonPlaces, options: { secondCron?: boolean } = {}): Record<string, string> {
  return {
    DATABASE_URL: p.databaseUrl,
    MONITOR_STATE_DIR: p.stateDir,
    MONITOR_WORKFLOWS_DIR: p.workflowsDir,
    BASE_URL: 'http://127.0.0.1:9',
    ...(options.secondCron ? { MONITOR_ALLOW_SECOND_CRON: 'true' } : {}),
    ...quickDaemon,
  };
}

export type DaemonProcess = {
  pid: number;
  port: number | null;
  lines: string[];
  exited: Promise<number | null>;
  waitFor(pattern: RegExp, timeoutMs: number, count?: number): Promise<string[]>;
  signal(sig: NodeJS.Signals): void;
  /** Kills the daemon and everything below it. */
  destroy(): Promise<void>;
};

export async function startDaemonProcess(
  env: NodeJS.ProcessEnv,
  options: {
    waitReady?: boolean;
    /** Node flags; the shipped launchers' (scheduler/node-args.ts) by default. */ nodeArgs?: readonly string[];
    /** A command the daemon runs under, e.g. a network namespace's `ip netns exec <name>` (test/helpers/netns.ts). */
    prefix?: readonly string[];
  } = {},
): Promise<DaemonProcess> {
  const command = [
    ...(options.prefix ?? []),
    process.execPath,
    ...(options.nodeArgs ?? daemonNodeArgs),
    path.join(repoRoot, 'bin', 'workflow-monitor.ts'),
    'daemon',
  ];
  const child = spawn(command[0]!, command.slice(1), {
    cwd: repoRoot,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: childEnv({ FORCE_COLOR: '0', MONITOR_HTTP_PORT: '0', ...env }),
  });
  const lines: string[] = [];
  const waiters = new Set<() => void>();
  const onData = (d: Buffer) => {
    lines.push(...d.toString().split('\n').filter(Boolean));
    for (const w of waiters) w();
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  let done = false;
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      done = true;
      for (const w of waiters) w();
      resolve(code);
    }),
  );
  const proc: DaemonProcess = {
    pid: child.pid!,
    port: null,
    lines,
    exited,
    waitFor(pattern, timeoutMs, count = 1) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = lines.filter((l) => pattern.test(l));
          if (found.length >= count) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve(found);
            return true;
          }
          if (done) {
            waiters.delete(check);
            clearTimeout(timer);
            reject(new Error(`daemon exited before ${pattern} (x${count}):\n${lines.slice(-40).join('\n')}`));
            return true;
          }
          return false;
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`timed out waiting for ${pattern} (x${count}):\n${lines.slice(-40).join('\n')}`));
        }, timeoutMs);
        if (!check()) waiters.add(check);
      });
    },
    signal(sig) {
      try {
        process.kill(child.pid!, sig);
      } catch {
        /* gone */
      }
    },
    async destroy() {
      signalTree(child.pid!, 'SIGKILL', descendants(child.pid!));
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    },
  };
  if (options.waitReady !== false) {
    const [line] = await proc.waitFor(/http on http:\/\/[^:]+:\d+/, 120_000);
    proc.port = Number(/:(\d+) \(/.exec(line!)?.[1]);
  }
  return proc;
}

/** Invocations the daemon logged: run id, pid and workflow ids. */
export function invocations(lines: readonly string[]): { runId: string; workflowIds: string[] }[] {
  return lines.flatMap((l) => {
    const m = /run (\S+) started \(pid [^:]*\): (.+)$/.exec(l);
    return m ? [{ runId: m[1]!, workflowIds: m[2]!.split(', ') }] : [];
  });
}

/** Polls `check` every 500 ms until it holds; past `timeoutMs`, fails with the last 30 daemon lines. */
export async function waitUntil(
  what: string,
  timeoutMs: number,
  check: () => Promise<boolean>,
  lines: () => readonly string[],
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}\n${lines().slice(-30).join('\n')}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

// A scratch copy of the project, in which commands run exactly as a user types them
// (`npm run …`, `npx workflow-monitor …`, `npx playwright …`): the tracked files (and new,
// not ignored ones) copied to a temporary folder, the installed node_modules linked in, a
// fresh state folder (the default `.monitor/` inside the copy), and no variable of ours
// leaking in from the developer's environment unless the test passes it.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const repoRoot = path.resolve(import.meta.dirname, '..', '..', '..');

/** Variables a user's shell has; everything else of ours is left out unless a test sets it. */
const KEEP = [
  'PATH',
  'HOME',
  'USER',
  'LANG',
  'TERM',
  'TMPDIR',
  'CHROMIUM_PATH',
  'npm_config_nodedir',
  'PLAYWRIGHT_BROWSERS_PATH',
];

export type CommandResult = {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  output: string;
};

export type Started = {
  child: ChildProcess;
  /** Everything printed so far (stdout and stderr interleaved). */
  output(): string;
  /** Resolves with the first match of `pattern` in the output, or rejects after `timeoutMs`. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGKILL to the whole process group (cleanup; tests send their own signals first). */
  kill(): void;
};

export type Scratch = {
  dir: string;
  /** The default state folder of the copy (`.monitor/`). */
  stateDir: string;
  env: Record<string, string>;
  /** Runs a command to its end (bounded by timeoutMs, default 240 s). */
  run(
    command: string,
    args: string[],
    options?: { env?: Record<string, string | undefined>; timeoutMs?: number; input?: string },
  ): Promise<CommandResult>;
  /** Starts a long-running command in its own process group, as a terminal would. */
  start(command: string, args: string[], options?: { env?: Record<string, string | undefined> }): Started;
  cleanup(): Promise<void>;
};

function listFiles(): string[] {
  const r = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: repoRoot,
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`git ls-files failed: ${r.stderr}`);
  return r.stdout
    .split('\0')
    .filter((f) => f && !/^(node_modules|\.tools)(\/|$)/.test(f) && existsSync(path.join(repoRoot, f)));
}

function baseEnv(extra: Record<string, string | undefined>): Record<string, string> {
  const env: Record<string, string> = {
    FORCE_COLOR: '0',
    CI: '',
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
  };
  for (const k of KEEP) if (process.env[k] !== undefined) env[k] = process.env[k]!;
  // The Node that runs the tests first on PATH, so that `npm` and `npx` run under it.
  env.PATH = `${path.dirname(process.execPath)}${path.delimiter}${env.PATH ?? ''}`;
  for (const [k, v] of Object.entries(extra))
    if (v === undefined) delete env[k];
    else env[k] = v;
  return env;
}

export async function scratchCopy(options: { env?: Record<string, string | undefined> } = {}): Promise<Scratch> {
  const dir = mkdtempSync(path.join(tmpdir(), 'wm-accept-'));
  // mkdtemp makes 0700 folders; the embedded PostgreSQL runs as the OS user postgres when root.
  chmodSync(dir, 0o755);
  for (const f of listFiles()) {
    const to = path.join(dir, f);
    mkdirSync(path.dirname(to), { recursive: true });
    cpSync(path.join(repoRoot, f), to, { preserveTimestamps: true });
  }
  symlinkSync(path.join(repoRoot, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  const env = baseEnv(options.env ?? {});
  const started: Started[] = [];

  const spawnIn = (command: string, args: string[], extra: Record<string, string | undefined>) =>
    spawn(command, args, {
      cwd: dir,
      env: { ...env, ...baseEnv({ ...options.env, ...extra }) },
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true,
    });

  const start: Scratch['start'] = (command, args, opts = {}) => {
    const child = spawnIn(command, args, opts.env ?? {});
    let out = '';
    const waiters = new Set<() => void>();
    const onData = (d: Buffer) => {
      out += d.toString();
      for (const w of waiters) w();
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) =>
      child.on('exit', (code, signal) => {
        res({ code, signal });
        for (const w of waiters) w();
      }),
    );
    const s: Started = {
      child,
      output: () => out,
      exited,
      waitFor(pattern, timeoutMs = 120_000) {
        return new Promise((resolve, reject) => {
          const check = () => {
            const m = out.match(pattern);
            if (m) {
              done();
              resolve(m);
            }
          };
          const timer = setTimeout(() => {
            done();
            reject(new Error(`timed out after ${timeoutMs} ms waiting for ${pattern}; output:\n${out}`));
          }, timeoutMs);
          const done = () => {
            clearTimeout(timer);
            waiters.delete(check);
          };
          waiters.add(check);
          check();
        });
      },
      kill() {
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          /* gone */
        }
      },
    };
    started.push(s);
    return s;
  };

  const run: Scratch['run'] = async (command, args, opts = {}) => {
    const s = start(command, args, { env: opts.env });
    if (opts.input !== undefined) s.child.stdin!.end(opts.input);
    else s.child.stdin!.end();
    let stdout = '';
    let stderr = '';
    s.child.stdout!.on('data', (d: Buffer) => {
      stdout += d;
    });
    s.child.stderr!.on('data', (d: Buffer) => {
      stderr += d;
    });
    const timer = setTimeout(() => s.kill(), opts.timeoutMs ?? 240_000);
    const { code, signal } = await s.exited;
    // Let the pipes drain after exit.
    await new Promise<void>((r) => {
      if (s.child.stdout!.readableEnded) r();
      else s.child.stdout!.once('end', () => r());
      setTimeout(r, 2000);
    });
    clearTimeout(timer);
    return { code, signal, stdout, stderr, output: s.output() };
  };

  return {
    dir,
    stateDir: path.join(dir, '.monitor'),
    env,
    run,
    start,
    async cleanup() {
      for (const s of started) s.kill();
      // Stop an embedded PostgreSQL the copy may have left (immediate: nothing must survive).
      const pgData = path.join(dir, '.monitor', 'postgres', 'data');
      if (existsSync(path.join(pgData, 'postmaster.pid'))) {
        const pid = Number(
          spawnSync('head', ['-1', path.join(pgData, 'postmaster.pid')], { encoding: 'utf8' }).stdout.trim(),
        );
        if (pid > 0) {
          try {
            process.kill(pid, 'SIGQUIT');
          } catch {
            /* gone */
          }
        }
        await new Promise((r) => setTimeout(r, 500));
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** True when no process has `needle` in its command line (ours are found by the scratch folder's path). */
export function processesMatching(needle: string): string[] {
  const r = spawnSync('ps', ['-eo', 'pid=,ppid=,args='], { encoding: 'utf8' });
  return r.stdout.split('\n').filter((l) => l.includes(needle) && !l.includes('ps -eo'));
}

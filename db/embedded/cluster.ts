// The process-level life of one embedded PostgreSQL cluster: initdb, its settings and port,
// pg_ctl start (with its retries) and stop. Called by server.ts only, and calling only down
// (files.ts, postmaster.ts, run-command.ts): nothing here knows SQL. Callers hold the state
// folder's lock file around everything that changes state.
import { randomBytes } from 'node:crypto';
import { chown, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  postgresEnv,
  readServerInfo,
  writeServerInfo,
  type Binaries,
  type ClusterPaths,
  type ServerInfo,
} from './files.ts';
import { postmasterState } from './postmaster.ts';
import { runCommand, type RunAs } from './run-command.ts';

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

/**
 * The postmaster running: found alive (`wasRunning`: the caller waits until it accepts
 * connections), or started with pg_ctl, a stale pid file removed first, moving to another port
 * when its own is taken.
 */
export async function startPostmaster(
  paths: ClusterPaths,
  start: ServerInfo,
  env: { runAs: RunAs | null; bins: Binaries },
  deadline: number,
  log: (line: string) => void,
): Promise<{ info: ServerInfo; wasRunning: boolean }> {
  const { runAs, bins } = env;
  let info = start;
  const state = await postmasterState(paths);
  if (state.kind === 'alive') return { info, wasRunning: true };
  if (state.kind === 'stale') {
    log(`removing the stale ${path.join(paths.dataDir, 'postmaster.pid')} left by pid ${state.pid}, which is gone`);
    await rm(path.join(paths.dataDir, 'postmaster.pid'), { force: true });
  }
  for (let attempt = 1; ; attempt++) {
    const result = await startCluster(paths, bins, runAs, Math.max(1000, deadline - Date.now()));
    if (result.ok) return { info, wasRunning: false };
    const retryable = Date.now() < deadline && attempt < 5;
    if (result.portInUse && retryable) {
      info = { ...info, port: await pickPort(paths, info.port) };
      log(`port in use; the embedded PostgreSQL moves to 127.0.0.1:${info.port}`);
      await writeSettings(paths, info, runAs);
      continue;
    }
    // After a SIGKILLed postmaster its backends may hold the shared memory for a moment.
    if (/shared memory block|lock file .* already exists/i.test(result.message) && retryable) {
      await sleep(500);
      continue;
    }
    throw new Error(result.message);
  }
}

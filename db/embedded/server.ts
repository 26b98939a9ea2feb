// The embedded PostgreSQL, shared by every process of one state folder: whichever process needs
// it first (reporter, daemon, CLI) initialises and starts it, detached; the others find it
// running. A lock file in the state folder serialises initdb/start between processes.
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { sql } from 'slonik';
import { initCluster, startPostmaster, stopCluster } from './cluster.ts';
import { clusterPaths, readServerInfo, resolveBinaries, type ClusterPaths, type ServerInfo } from './files.ts';
import { postmasterState } from './postmaster.ts';
import { withFileLock } from '../file-lock.ts';
import { pgErrorCode } from '../pg-error.ts';
import { withDatabase } from '../pool.ts';
import { assertReachable, postgresRunAs } from './os-user.ts';
import { processEnv } from '../../config/env.ts';
import { loadDatabaseUrl } from '../../config/database-url.ts';

export const defaultDatabaseName = 'workflow_monitor';

export type EnsureDatabaseOptions = {
  stateDir: string;
  /** Wins over the embedded server. undefined: use the environment's DATABASE_URL; null: always embedded. */
  databaseUrl?: string | null | undefined;
  database?: string;
  /** Bound on the whole call, lock wait included. */
  timeoutMs?: number;
  log?: (line: string) => void;
  /** Tests only: a cluster nobody needs after a crash, so no fsync. Applies at initdb. */
  ephemeral?: boolean;
};

export function embeddedUrl(info: ServerInfo, database: string): string {
  return `postgres://${info.user}:${encodeURIComponent(info.password)}@127.0.0.1:${info.port}/${encodeURIComponent(database)}`;
}

const defaultLog = (line: string) => process.stderr.write(`workflow-monitor: ${line}\n`);

async function canQuery(url: string, timeoutMs: number): Promise<boolean> {
  try {
    return await withDatabase(
      url,
      (pool) => pool.oneFirst(sql.type(z.object({ ok: z.number() }))`SELECT 1 AS ok`).then((ok) => ok === 1),
      { maxPoolSize: 1, connectionTimeoutMs: timeoutMs, statementTimeoutMs: timeoutMs, connectionRetryLimit: 0 },
    );
  } catch {
    return false;
  }
}

async function waitUntilAccepting(paths: ClusterPaths, info: ServerInfo, deadline: number): Promise<void> {
  const url = embeddedUrl(info, 'postgres');
  while (!(await canQuery(url, 2000))) {
    if (Date.now() >= deadline) {
      throw new Error(
        `the embedded PostgreSQL (${paths.dataDir}) is running but does not accept connections ` +
          `on 127.0.0.1:${info.port}; see ${paths.logFile}`,
      );
    }
    await sleep(200);
  }
}

async function ensureDatabase(info: ServerInfo, database: string): Promise<void> {
  await withDatabase(
    embeddedUrl(info, 'postgres'),
    async (pool) => {
      const exists = await pool.oneFirst(sql.type(z.object({ exists: z.boolean() }))`
      SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = ${database}) AS exists`);
      if (exists) return;
      try {
        await pool.query(sql.type(z.object({}))`CREATE DATABASE ${sql.identifier([database])}`);
      } catch (error) {
        // 42P04: created by a process that does not share our lock (another state folder user).
        if (pgErrorCode(error) !== '42P04') throw error;
      }
    },
    { maxPoolSize: 1, connectionTimeoutMs: 5000 },
  );
}

/**
 * Returns a connection URL: DATABASE_URL when set, otherwise the embedded server's (initialised
 * and started on demand under `<stateDir>/postgres`, 127.0.0.1 only) with the database created.
 */
export async function ensureDatabaseUrl(options: EnsureDatabaseOptions): Promise<string> {
  const external = options.databaseUrl === undefined ? loadDatabaseUrl(processEnv()) : options.databaseUrl;
  if (external) return external;
  const database = options.database ?? defaultDatabaseName;
  const timeoutMs = options.timeoutMs ?? 60_000;
  const log = options.log ?? defaultLog;
  const paths = clusterPaths(options.stateDir);
  const deadline = Date.now() + timeoutMs;

  const known = await readServerInfo(paths);
  if (
    known &&
    (await postmasterState(paths)).kind === 'alive' &&
    (await canQuery(embeddedUrl(known, database), 2000))
  ) {
    return embeddedUrl(known, database);
  }
  await mkdir(paths.root, { recursive: true, mode: 0o755 });
  return withFileLock(paths.lockFile, { timeoutMs, purpose: 'starting the embedded PostgreSQL' }, async () => {
    const runAs = await postgresRunAs(log);
    if (runAs) await assertReachable(paths.dataDir, runAs);
    const bins = await resolveBinaries();
    let info = await initCluster(paths, bins, runAs, Math.max(1000, deadline - Date.now()), options.ephemeral);
    const started = await startPostmaster(paths, info, { runAs, bins }, deadline, log);
    info = started.info;
    if (started.wasRunning) await waitUntilAccepting(paths, info, deadline);
    await ensureDatabase(info, database);
    return embeddedUrl(info, database);
  });
}

export type StopOptions = { stateDir: string; timeoutMs?: number; log?: (line: string) => void };

/** pg_ctl stop -m fast. Returns false when no server was running. */
export async function stopEmbedded(options: StopOptions): Promise<boolean> {
  const paths = clusterPaths(options.stateDir);
  const timeoutMs = options.timeoutMs ?? 60_000;
  const log = options.log ?? defaultLog;
  const state = await postmasterState(paths);
  if (state.kind === 'none') return false;
  return withFileLock(paths.lockFile, { timeoutMs, purpose: 'stopping the embedded PostgreSQL' }, async () => {
    const current = await postmasterState(paths);
    if (current.kind === 'stale') {
      log(`removing the stale postmaster.pid left by pid ${current.pid}`);
      await rm(path.join(paths.dataDir, 'postmaster.pid'), { force: true });
      return false;
    }
    if (current.kind === 'none') return false;
    await stopCluster(paths, await resolveBinaries(), await postgresRunAs(log), timeoutMs);
    return true;
  });
}

export { clusterPaths } from './files.ts';
export { postmasterState } from './postmaster.ts';

// A fresh, migrated database per test. The server: TEST_DATABASE_URL's when set (the CI's
// PostgreSQL, or the one embedded server that test/global-setup.ts starts for the whole suite
// and passes on in that variable), otherwise an embedded PostgreSQL in a temporary state folder,
// started once per test process and stopped (and deleted) when the process exits. A migrated
// database is a copy of TEST_DATABASE_TEMPLATE (migrated once by the global setup) when set,
// then migrate() runs on the copy (a no-op there, as on any migrated database).
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql, type QuerySqlToken } from 'slonik';
import { z } from 'zod';
import { clusterPaths, resolveBinaries } from '../../db/embedded/files.ts';
import { ensureDatabaseUrl, stopEmbedded } from '../../db/embedded/server.ts';
import { migrate } from '../../db/migrate.ts';
import { createDbPool, withDatabase, type DatabasePool } from '../../db/pool.ts';
import { postgresRunAs } from '../../db/embedded/os-user.ts';
import type { ExecutionRecord } from '../../core/records.ts';
import type { TestContext } from 'node:test';

export type FreshDatabase = { url: string; pool: DatabasePool; drop(): Promise<void> };

export type EmbeddedServer = { url: string; stop(): void };

/**
 * An embedded PostgreSQL in a temporary state folder; `stop()` (or this process's exit) ends and
 * deletes it. `maxConnections` (for a server that every test file shares) is set with ALTER
 * SYSTEM and a restart.
 */
export async function startEmbeddedServer(options: { maxConnections?: number } = {}): Promise<EmbeddedServer> {
  const stateDir = mkdtempSync(path.join(tmpdir(), 'wm-test-pg-'));
  // mkdtemp makes 0700 folders; the server may run as another OS user (postgres, as root).
  chmodSync(stateDir, 0o755);
  const runAs = await postgresRunAs(() => undefined);
  const bins = await resolveBinaries();
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    // Synchronous, so that it also serves as an exit handler; immediate mode because nothing needs to survive.
    spawnSync(bins.pg_ctl, ['-D', clusterPaths(stateDir).dataDir, '-m', 'immediate', '-w', '-t', '10', 'stop'], {
      timeout: 15_000,
      stdio: 'ignore',
      ...(runAs ? { uid: runAs.uid, gid: runAs.gid } : {}),
    });
    rmSync(stateDir, { recursive: true, force: true });
  };
  process.once('exit', stop);
  const start = () => ensureDatabaseUrl({ stateDir, databaseUrl: null, ephemeral: true, log: () => undefined });
  const url = new URL(await start());
  url.pathname = '/postgres';
  if (options.maxConnections) {
    await onServer(
      url.toString(),
      sql.type(z.object({}))`ALTER SYSTEM SET max_connections = ${sql.literalValue(String(options.maxConnections))}`,
    );
    await stopEmbedded({ stateDir, log: () => undefined });
    await start();
  }
  return { url: url.toString(), stop };
}

let adminUrl: Promise<string> | undefined;

/** The server tests create their databases on: TEST_DATABASE_URL's, or the embedded one. */
export function testServerUrl(): Promise<string> {
  const external = process.env.TEST_DATABASE_URL;
  adminUrl ??= external ? Promise.resolve(external) : startEmbeddedServer().then((s) => s.url);
  return adminUrl;
}

export function withDatabaseName(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** `work`, or a rejection after `ms` (the timer does not hold the process open). */
function within<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer in ${ms / 1000} s`)), ms);
    timer.unref();
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

/** Runs one statement on the server's maintenance database (CREATE / DROP / ALTER DATABASE). */
export function onServer(server: string, statement: QuerySqlToken): Promise<unknown> {
  return withDatabase(server, (admin) => admin.query(statement), { maxPoolSize: 1 });
}

export type FreshDatabaseOptions = { migrated?: boolean };

export async function freshDatabase(options: FreshDatabaseOptions = {}): Promise<FreshDatabase> {
  const server = await testServerUrl();
  const name = `wm_test_${process.pid}_${randomBytes(5).toString('hex')}`;
  const migrated = options.migrated !== false;
  const template = migrated ? process.env.TEST_DATABASE_TEMPLATE : undefined;
  const none = sql.type(z.object({}));
  await onServer(
    server,
    template
      ? none`CREATE DATABASE ${sql.identifier([name])} TEMPLATE ${sql.identifier([template])}`
      : none`CREATE DATABASE ${sql.identifier([name])}`,
  );
  const url = withDatabaseName(server, name);
  if (migrated) await migrate(url);
  const pool = await createDbPool(url);
  let dropped = false;
  return {
    url,
    pool,
    async drop() {
      if (dropped) return;
      dropped = true;
      // Bounded: a drop run while daemons still reconnected was seen to stay pending with no socket
      // and no timer left (the database marked invalid), which kept its test file open for ever.
      await within(pool.end(), 15_000).catch(() => undefined);
      for (let attempt = 1; ; attempt += 1) {
        try {
          await within(onServer(server, none`DROP DATABASE IF EXISTS ${sql.identifier([name])} WITH (FORCE)`), 30_000);
          return;
        } catch (error) {
          if (attempt === 3) throw new Error(`test database ${name} was not dropped`, { cause: error });
        }
      }
    },
  };
}

/** A fresh database and a second pool on it (another process's), both gone when the test ends. */
export async function databaseAndSecondPool(t: TestContext): Promise<{ db: FreshDatabase; other: DatabasePool }> {
  const db = await freshDatabase();
  t.after(() => db.drop());
  const other = await createDbPool(db.url);
  t.after(() => other.end());
  return { db, other };
}

/** A plausible attempt; override what the test is about. */
export function executionRecord(overrides: Partial<ExecutionRecord> = {}): ExecutionRecord {
  const base: ExecutionRecord = {
    runId: 'run-1',
    testId: 'test-login',
    retry: 0,
    workflowId: 'user-login',
    name: 'User Login',
    type: 'journey',
    priority: 'critical',
    status: 'passed',
    outcome: 'expected',
    startedAt: new Date(),
    durationMs: 1000,
    totalSteps: 2,
    passedSteps: 2,
    failedSteps: 0,
    error: null,
    failedStep: null,
    tracePath: null,
    screenshotPath: null,
    tags: ['@critical', '@user-login'],
    steps: [
      { index: 0, title: 'Open login page', durationMs: 400, error: null },
      { index: 1, title: 'Sign in', durationMs: 600, error: null },
    ],
    metrics: {
      totalDurationMs: 1000,
      apiResponseTimeMs: 100,
      pageLoadTimeMs: 500,
      ttfbMs: 50,
      domContentLoadedMs: 300,
      lcpMs: 700,
      cls: 0.01,
      memoryUsageMb: 40,
      cpuUsage: null,
      performanceScore: 90,
      raw: { source: 'test' },
    },
    health: null,
  };
  return { ...base, ...overrides };
}

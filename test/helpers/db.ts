// A fresh, migrated database per test: on TEST_DATABASE_URL's server when set, otherwise on an
// embedded PostgreSQL in a temporary state folder, started once per test process and stopped
// (and deleted) when the process exits.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'slonik';
import { z } from 'zod';
import { clusterPaths, resolveBinaries } from '../../db/embedded/files.ts';
import { ensureDatabaseUrl } from '../../db/embedded/server.ts';
import { migrate } from '../../db/migrate.ts';
import { createDbPool, withDatabase, type DatabasePool } from '../../db/pool.ts';
import { postgresRunAs } from '../../db/embedded/os-user.ts';
import type { ExecutionRecord } from '../../core/records.ts';

export type FreshDatabase = { url: string; pool: DatabasePool; drop(): Promise<void> };

let adminUrl: Promise<string> | undefined;

async function startEmbedded(): Promise<string> {
  const stateDir = mkdtempSync(path.join(tmpdir(), 'wm-test-pg-'));
  // mkdtemp makes 0700 folders; the server may run as another OS user (postgres, as root).
  chmodSync(stateDir, 0o755);
  const runAs = await postgresRunAs(() => undefined);
  const bins = await resolveBinaries();
  process.once('exit', () => {
    // Exit handlers must be synchronous; immediate mode because nothing needs to survive.
    spawnSync(bins.pg_ctl, ['-D', clusterPaths(stateDir).dataDir, '-m', 'immediate', '-w', '-t', '10', 'stop'], {
      timeout: 15_000,
      stdio: 'ignore',
      ...(runAs ? { uid: runAs.uid, gid: runAs.gid } : {}),
    });
    rmSync(stateDir, { recursive: true, force: true });
  });
  const url = new URL(await ensureDatabaseUrl({ stateDir, databaseUrl: null, ephemeral: true, log: () => undefined }));
  url.pathname = '/postgres';
  return url.toString();
}

/** The server tests create their databases on: TEST_DATABASE_URL's, or the embedded one. */
export function testServerUrl(): Promise<string> {
  const external = process.env.TEST_DATABASE_URL;
  adminUrl ??= external ? Promise.resolve(external) : startEmbedded();
  return adminUrl;
}

function withDatabaseName(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

export type FreshDatabaseOptions = { migrated?: boolean };

export async function freshDatabase(options: FreshDatabaseOptions = {}): Promise<FreshDatabase> {
  const server = await testServerUrl();
  const name = `wm_test_${process.pid}_${randomBytes(5).toString('hex')}`;
  await withDatabase(
    server,
    (admin) => admin.query(sql.type(z.object({}))`CREATE DATABASE ${sql.identifier([name])}`),
    { maxPoolSize: 1 },
  );
  const url = withDatabaseName(server, name);
  if (options.migrated !== false) await migrate(url);
  const pool = await createDbPool(url);
  let dropped = false;
  return {
    url,
    pool,
    async drop() {
      if (dropped) return;
      dropped = true;
      await pool.end();
      await withDatabase(
        server,
        (admin) =>
          admin.query(sql.type(z.object({}))`
        DROP DATABASE IF EXISTS ${sql.identifier([name])} WITH (FORCE)`),
        { maxPoolSize: 1 },
      );
    },
  };
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

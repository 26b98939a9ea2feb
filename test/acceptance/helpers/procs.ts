// Helpers for acceptance tests that look at processes, ports and the scratch copy's database.
import { spawnSync } from 'node:child_process';
import { chmodSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'slonik';
import { z } from 'zod';
import { runRecord } from '../../../core/records.ts';
import { ensureDatabaseUrl, stopEmbedded } from '../../../db/embedded/server.ts';
import { migrate } from '../../../db/migrate.ts';
import { withDatabase, type DatabasePool } from '../../../db/pool.ts';
import { freePort } from '../../helpers/net.ts';
import { scratchCopy, type Scratch } from './scratch.ts';

export { freePort, portOpen } from '../../helpers/net.ts';

/** A scratch copy whose commands host the demo app on a port free right now. */
export async function scratchWithDemoPort(): Promise<Scratch> {
  const s = await scratchCopy({ env: { DEMO_PORT: String(await freePort()) } });
  chmodSync(s.dir, 0o755); // the embedded PostgreSQL may run as the OS user postgres
  return s;
}

export type Proc = { pid: number; ppid: number; args: string };

export function processTable(): Proc[] {
  const r = spawnSync('ps', ['-eo', 'pid=,ppid=,args='], { encoding: 'utf8' });
  return r.stdout
    .split('\n')
    .map((l) => l.trim().match(/^(\d+)\s+(\d+)\s+(.*)$/))
    .filter((m) => m !== null)
    .map((m) => ({ pid: Number(m[1]), ppid: Number(m[2]), args: m[3]! }));
}

/** `root` and every process below it. */
export function processTree(root: number): Proc[] {
  const all = processTable();
  const out = all.filter((p) => p.pid === root);
  for (let i = 0; i < out.length; i++) out.push(...all.filter((p) => p.ppid === out[i]!.pid));
  return out;
}

export function alive(pids: number[]): Proc[] {
  const set = new Set(pids);
  return processTable().filter((p) => set.has(p.pid));
}

/** Resolves true once `check()` is true, false after `timeoutMs` (polls every 250 ms). */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > deadline) return false;
    await sleep(250);
  }
}

/** The scratch copy's embedded PostgreSQL (started again when it is not running), migrated. */
export async function scratchDatabaseUrl(s: Scratch): Promise<string> {
  const url = await ensureDatabaseUrl({ stateDir: s.stateDir, databaseUrl: null, log: () => undefined });
  await migrate(url);
  return url;
}

/** Stops the scratch copy's embedded PostgreSQL (after a test looked at it), so the next command starts its own. */
export async function stopScratchDb(s: Scratch): Promise<void> {
  await stopEmbedded({ stateDir: s.stateDir, log: () => undefined });
}

export function withScratchDb<T>(s: Scratch, fn: (pool: DatabasePool) => Promise<T>): Promise<T> {
  return scratchDatabaseUrl(s).then((url) => withDatabase(url, fn, { maxPoolSize: 2 }));
}

export const runRow = runRecord.pick({ status: true, endedAt: true }).extend({ id: z.string() });

export async function runs(pool: DatabasePool): Promise<readonly z.infer<typeof runRow>[]> {
  return pool.any(
    sql.type(runRow)`SELECT run_id AS id, status, ended_at AS "endedAt" FROM monitor_runs ORDER BY started_at`,
  );
}

export const shardRunRow = runRecord
  .pick({ status: true, runGroup: true, shardIndex: true, shardTotal: true })
  .extend({ id: z.string(), executions: z.number() });

/** Every run with its shard columns and how many executions it stored, oldest first. */
export async function runsWithExecutions(pool: DatabasePool): Promise<readonly z.infer<typeof shardRunRow>[]> {
  return pool.any(sql.type(shardRunRow)`
    SELECT r.run_id AS id, r.status, r.run_group AS "runGroup", r.shard_index AS "shardIndex", r.shard_total AS "shardTotal",
      (SELECT count(*)::int FROM workflow_executions e WHERE e.run_id = r.run_id) AS executions
    FROM monitor_runs r ORDER BY r.started_at, r.run_id`);
}

/** Executions stored per test id (a test stored twice shows as 2). */
export async function executionsPerTest(pool: DatabasePool): Promise<Map<string, number>> {
  const rows = await pool.any(sql.type(z.object({ testId: z.string(), n: z.number() }))`
    SELECT test_id AS "testId", count(*)::int AS n FROM workflow_executions GROUP BY test_id`);
  return new Map(rows.map((r) => [r.testId, r.n]));
}

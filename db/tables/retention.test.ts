import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'slonik';
import { z } from 'zod';
import { executionRecord, freshDatabase } from '../../test/helpers/db.ts';
import { notificationLogRecord } from '../../test/helpers/records.ts';
import { getDailyTrend, rollupAggregates } from './aggregates.ts';
import { insertNotificationLog } from './notification-logs.ts';
import { createStorage } from '../../test/helpers/storage.ts';

const DAY = 86_400_000;
const n = z.object({ n: z.number() });

function file(p: string, ageMs: number): string {
  mkdirSync(path.dirname(p), { recursive: true });
  writeFileSync(p, 'x');
  const t = new Date(Date.now() - ageMs);
  utimesSync(p, t, t);
  utimesSync(path.dirname(p), t, t);
  return p;
}

test('retention drops old raw days, keeps their aggregates, and sweeps only unreferenced artifacts', async (t) => {
  const db = await freshDatabase();
  const root = mkdtempSync(path.join(tmpdir(), 'wm-retention-'));
  t.after(async () => {
    await db.drop();
    rmSync(root, { recursive: true, force: true });
  });
  const artifacts = path.join(root, 'artifacts');
  const outside = file(path.join(root, 'outside', 'trace.zip'), 60 * DAY);
  const oldTrace = file(path.join(artifacts, 'old', 'trace.zip'), 40 * DAY);
  const failedShot = file(path.join(artifacts, 'recent', 'failed.png'), 2 * DAY);
  const passedShot = file(path.join(artifacts, 'recent', 'passed.png'), 2 * DAY);
  const orphan = file(path.join(artifacts, 'orphan.png'), 2 * DAY);
  const young = file(path.join(artifacts, 'just-copied.png'), 1000);
  const midFailure = file(path.join(artifacts, 'mid', 'trace.zip'), 20 * DAY);

  const now = Date.now();
  // Three attempts in one hour 40 days back (a minute past the hour), whatever the clock says
  // now: started at :58 they would straddle two hourly aggregates.
  const HOUR = 3_600_000;
  const old = new Date(Math.floor((now - 40 * DAY) / HOUR) * HOUR + 60_000);
  const storage = createStorage(db.pool, { artifactsDir: artifacts, aggregateDays: 400, artifactDays: 14 });
  await storage.saveWorkflowExecutions([
    executionRecord({
      runId: 'o1',
      startedAt: old,
      durationMs: 100,
      status: 'failed',
      outcome: 'unexpected',
      tracePath: oldTrace,
    }),
    executionRecord({ runId: 'o2', startedAt: new Date(old.getTime() + 60_000), durationMs: 300 }),
    // An absolute path outside the folder: it must never lead to a delete out there.
    executionRecord({
      runId: 'o3',
      startedAt: new Date(old.getTime() + 120_000),
      status: 'failed',
      outcome: 'unexpected',
      tracePath: outside,
    }),
    executionRecord({
      runId: 'm1',
      startedAt: new Date(now - 20 * DAY),
      status: 'failed',
      outcome: 'unexpected',
      tracePath: 'mid/trace.zip',
    }),
    executionRecord({
      runId: 'n1',
      startedAt: new Date(now - 2 * DAY),
      status: 'failed',
      outcome: 'unexpected',
      screenshotPath: 'recent/failed.png',
    }),
    executionRecord({ runId: 'n2', startedAt: new Date(now - 2 * DAY), screenshotPath: 'recent/passed.png' }),
  ]);
  await insertNotificationLog(
    db.pool,
    notificationLogRecord({ priority: null, workflowId: null, runId: null, latencyMs: 1 }),
  );
  await db.pool.query(sql.type(z.object({}))`UPDATE notification_logs SET created_at = now() - interval '45 days'`);
  await db.pool.query(sql.type(
    z.object({}),
  )`INSERT INTO execution_budget_overruns (run_id, test_id, retry, started_at, workflow_id, duration_ms, overruns)
    VALUES ('o2', 't', 0, ${old.toISOString()}::timestamptz, 'w', 300, '[]'), ('n2', 't', 0, now() - interval '2 days', 'w', 300, '[]')`);

  const result = await storage.cleanupOldRecords(30);
  assert.equal(result.executions, 3);
  assert.equal(result.steps, 6);
  assert.equal(result.metrics, 3);
  assert.equal(result.notificationLogs, 1);
  assert.equal(result.budgetOverruns, 1, 'the old budget overrun goes with its raw tier, the recent one stays');
  assert.ok(result.aggregatedRows >= 1);
  assert.equal(await db.pool.oneFirst(sql.type(n)`SELECT count(*)::integer AS n FROM workflow_executions`), 3);

  // The dropped day lives on in the hourly aggregates.
  const hours = await db.pool.any(sql.type(z.object({ runs: z.number(), failed: z.number(), max: z.number() }))`
    SELECT runs, failed, duration_max_ms AS max FROM workflow_hourly_aggregates WHERE hour < now() - interval '30 days'`);
  assert.deepEqual(
    hours.map((h) => [h.runs, h.failed, h.max]),
    [[3, 2, 1000]],
  );

  // Mid-aged failure: reference cleared (older than 14 days), file gone. Passed attempt: reference
  // cleared at any age. Recent failure: kept. Young unreferenced file: kept (grace period).
  assert.equal(result.artifactReferencesCleared, 2);
  assert.equal(existsSync(midFailure), false);
  assert.equal(existsSync(oldTrace), false);
  assert.equal(existsSync(passedShot), false);
  assert.equal(existsSync(orphan), false);
  assert.equal(existsSync(failedShot), true);
  assert.equal(existsSync(young), true);
  assert.equal(existsSync(outside), true);
  assert.equal(existsSync(path.join(artifacts, 'old')), false, 'emptied folders go too');
  assert.equal(result.artifactFiles, 4);

  const again = await storage.cleanupOldRecords(30);
  assert.equal(
    again.executions + again.artifactFiles + again.artifactReferencesCleared,
    0,
    'a second pass finds nothing',
  );
});

test('aggregates roll up idempotently into a daily trend', async (t) => {
  const db = await freshDatabase();
  t.after(() => db.drop());
  const today = new Date(Math.floor(Date.now() / DAY) * DAY);
  const records = [];
  for (let d = 1; d <= 3; d++) {
    for (let h = 0; h < 4; h++) {
      records.push(
        executionRecord({
          runId: `d${d}h${h}`,
          startedAt: new Date(today.getTime() - d * DAY + h * 3_600_000 + 60_000),
          durationMs: 1000 * d + 100 * h,
          status: h === 0 ? 'failed' : 'passed',
          outcome: h === 0 ? 'unexpected' : 'expected',
        }),
      );
    }
  }
  await createStorage(db.pool).saveWorkflowExecutions(records);
  const range = { from: new Date(today.getTime() - 3 * DAY), to: today };
  assert.equal(await rollupAggregates(db.pool, range), 12);
  assert.equal(await rollupAggregates(db.pool, range), 0, 'unchanged hours are not rewritten');
  const trend = await getDailyTrend(db.pool, 'user-login', { days: 30 });
  assert.equal(trend.length, 3);
  const first = trend[0]!;
  assert.equal(first.day, new Date(today.getTime() - 3 * DAY).toISOString().slice(0, 10));
  assert.equal(first.runs, 4);
  assert.equal(first.failed, 1);
  assert.equal(first.successRate, 0.75);
  assert.equal(first.avgDurationMs, 3150);
  assert.equal(first.maxDurationMs, 3300);
});

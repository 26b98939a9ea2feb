import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SchemaValidationError, sql } from 'slonik';
import { z } from 'zod';
import { executionRecord, freshDatabase } from '../../test/helpers/db.ts';
import { insertExecutions } from './executions.ts';
import { countExecutionsForRun, getExecutions, getExecutionSteps, getLatestExecutions } from './execution-queries.ts';

const count = (table: 'workflow_executions' | 'workflow_steps' | 'workflow_metrics' | 'system_health_checks') =>
  sql.type(z.object({ n: z.number() }))`SELECT count(*)::integer AS n FROM ${sql.identifier([table])}`;

test('replaying the same batch adds nothing, children included', async (t) => {
  const db = await freshDatabase();
  t.after(() => db.drop());
  const startedAt = new Date(Date.now() - 60_000);
  const batch = [
    executionRecord({
      testId: 'a',
      startedAt,
      health: {
        healthy: true,
        status: 'ok',
        responseTimeMs: 12,
        databaseHealthy: true,
        apiHealthy: true,
        cacheHealthy: null,
        payload: { x: 1 },
      },
    }),
    executionRecord({
      testId: 'b',
      startedAt,
      status: 'failed',
      outcome: 'unexpected',
      error: 'boom',
      failedStep: 'Sign in',
    }),
    executionRecord({ testId: 'b', retry: 1, startedAt: new Date(startedAt.getTime() + 5000), outcome: 'flaky' }),
  ];
  assert.equal(await insertExecutions(db.pool, batch), 3);
  assert.equal(await insertExecutions(db.pool, batch), 0);
  // A batch overlapping the stored one adds only its new attempt.
  assert.equal(await insertExecutions(db.pool, [...batch, executionRecord({ testId: 'c', startedAt })]), 1);
  // Duplicates inside one batch count once.
  assert.equal(
    await insertExecutions(db.pool, [executionRecord({ testId: 'd' }), executionRecord({ testId: 'd' })]),
    1,
  );
  assert.equal(await db.pool.oneFirst(count('workflow_executions')), 5);
  assert.equal(await db.pool.oneFirst(count('workflow_steps')), 10);
  assert.equal(await db.pool.oneFirst(count('workflow_metrics')), 5);
  assert.equal(await db.pool.oneFirst(count('system_health_checks')), 1);
  assert.equal(await countExecutionsForRun(db.pool, 'run-1'), 5);
  assert.equal(await insertExecutions(db.pool, []), 0);
});

test('reads back attempts, steps and the latest attempt per workflow', async (t) => {
  const db = await freshDatabase();
  t.after(() => db.drop());
  const t0 = Date.now() - 3_600_000;
  await insertExecutions(db.pool, [
    executionRecord({ runId: 'r1', workflowId: 'w1', startedAt: new Date(t0) }),
    executionRecord({
      runId: 'r2',
      workflowId: 'w1',
      startedAt: new Date(t0 + 60_000),
      status: 'failed',
      outcome: 'unexpected',
      error: 'x',
    }),
    executionRecord({ runId: 'r2', workflowId: 'w2', testId: 't2', startedAt: new Date(t0 + 1000), tags: ['@high'] }),
    executionRecord({
      runId: 'r3',
      workflowId: 'w2',
      testId: 't2',
      startedAt: new Date(t0 + 120_000),
      status: 'skipped',
      outcome: 'skipped',
    }),
  ]);
  // Older attempts arriving later (an outbox replay) must not replace the latest.
  await insertExecutions(db.pool, [
    executionRecord({ runId: 'r0', workflowId: 'w1', startedAt: new Date(t0 - 60_000) }),
  ]);
  const latest = await getLatestExecutions(db.pool);
  assert.deepEqual(
    latest.map((l) => [l.workflowId, l.runId, l.status]),
    [
      ['w1', 'r2', 'failed'],
      ['w2', 'r2', 'passed'],
    ],
  );

  const failed = await getExecutions(db.pool, { workflowId: 'w1', status: 'failed' });
  assert.equal(failed.length, 1);
  assert.equal(failed[0]?.error, 'x');
  assert.ok(failed[0]?.startedAt instanceof Date);
  const w1 = await getExecutions(db.pool, { workflowId: 'w1', since: new Date(t0 - 1), limit: 10 });
  assert.deepEqual(
    w1.map((e) => e.runId),
    ['r2', 'r1'],
  );
  assert.deepEqual(
    (await getExecutions(db.pool, { limit: 2 })).map((e) => e.runId),
    ['r3', 'r2'],
  );
  const first = w1[1];
  assert.ok(first);
  assert.deepEqual(first.tags, ['@critical', '@user-login']);
  const steps = await getExecutionSteps(db.pool, first);
  assert.deepEqual(
    steps.map((s) => s.title),
    ['Open login page', 'Sign in'],
  );
});

test('inserts into a day whose partition does not exist yet, and rows are schema-checked', async (t) => {
  const db = await freshDatabase();
  t.after(() => db.drop());
  const old = new Date(Date.now() - 20 * 86_400_000);
  assert.equal(await insertExecutions(db.pool, [executionRecord({ startedAt: old })]), 1);
  await assert.rejects(
    db.pool.one(sql.type(z.object({ n: z.string() }))`SELECT 1 AS n`),
    (error) => error instanceof SchemaValidationError,
  );
});

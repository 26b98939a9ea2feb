import { test } from 'node:test';
import assert from 'node:assert/strict';
import { freshDatabase } from '../../test/helpers/db.ts';
import { countSent, getNotificationLogs, insertNotificationLog } from './notification-logs.ts';
import { finishRun, getRun, upsertRun } from './runs.ts';
import { getWorkflowState, getWorkflowStates, lockWorkflowState, upsertWorkflowState } from './workflow-states.ts';
import { notificationLogRecord } from '../../test/helpers/records.ts';

const log = notificationLogRecord;

test('notification logs count what was sent per channel', async (t) => {
  const db = await freshDatabase();
  t.after(() => db.drop());
  const before = new Date(Date.now() - 1000);
  await insertNotificationLog(db.pool, log({}));
  await insertNotificationLog(db.pool, log({}));
  await insertNotificationLog(db.pool, log({ sent: false, throttled: true, statusCode: null }));
  await insertNotificationLog(db.pool, log({ channel: 'discord' }));
  assert.equal(await countSent(db.pool, 'slack', before), 2);
  assert.equal(await countSent(db.pool, 'discord', before), 1);
  assert.equal(await countSent(db.pool, 'slack', new Date(Date.now() + 60_000)), 0);
  const rows = await getNotificationLogs(db.pool, { channel: 'slack' });
  assert.equal(rows.length, 3);
  assert.equal(rows[0]?.latencyMs, 13);
});

test('runs are inserted at begin and completed at end', async (t) => {
  const db = await freshDatabase();
  t.after(() => db.drop());
  const startedAt = new Date('2025-11-15T10:00:00Z');
  const run = {
    runId: 'run-7',
    trigger: 'schedule',
    grep: '@critical',
    host: 'h',
    startedAt,
    endedAt: null,
    status: 'running',
    ciUrl: null,
  } as const;
  await upsertRun(db.pool, run);
  await upsertRun(db.pool, run);
  assert.equal((await getRun(db.pool, 'run-7'))?.status, 'running');
  assert.equal(
    await finishRun(db.pool, 'run-7', { endedAt: new Date('2025-11-15T10:01:00Z'), status: 'failed' }),
    true,
  );
  const done = await getRun(db.pool, 'run-7');
  assert.equal(done?.status, 'failed');
  assert.equal(done?.endedAt?.toISOString(), '2025-11-15T10:01:00.000Z');
  // A late "running" upsert (outbox replay of the begin) must not undo the end.
  await upsertRun(db.pool, run);
  assert.equal((await getRun(db.pool, 'run-7'))?.status, 'failed');
  assert.equal(await finishRun(db.pool, 'nope', { endedAt: new Date(), status: 'passed' }), false);
});

test('workflow state is created, locked and updated inside one transaction', async (t) => {
  const db = await freshDatabase();
  t.after(() => db.drop());
  const updated = await db.pool.transaction(async (tx) => {
    const state = await lockWorkflowState(tx, 'checkout');
    assert.equal(state.state, 'up');
    assert.equal(state.consecutiveFailures, 0);
    return upsertWorkflowState(tx, {
      ...state,
      state: 'down',
      consecutiveFailures: 3,
      lastAlertAt: new Date(),
      details: { reason: 'x' },
    });
  });
  assert.equal(updated.state, 'down');
  const read = await getWorkflowState(db.pool, 'checkout');
  assert.equal(read?.consecutiveFailures, 3);
  assert.deepEqual(read?.details, { reason: 'x' });
  assert.equal((await getWorkflowStates(db.pool)).length, 1);
  assert.equal(await getWorkflowState(db.pool, 'unknown'), null);
});

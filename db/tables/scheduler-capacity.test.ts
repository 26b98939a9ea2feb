import { test } from 'node:test';
import assert from 'node:assert/strict';
import { insertExecutions } from './executions.ts';
import { upsertRun } from './runs.ts';
import { beatDaemon, forgetDaemon, liveDaemons, recentDurations, updateCapacityState } from './scheduler-capacity.ts';
import { executionRecord, freshDatabase } from '../../test/helpers/db.ts';
import { runRecord } from '../../test/helpers/records.ts';

test('capacity rows: daemons sharing the database add up, durations are recent medians, an episode flips once', async (t) => {
  const db = await freshDatabase();
  t.after(() => db.drop());
  const a = { host: 'a', pid: 1, startedAt: new Date('2026-12-01T10:00:00Z'), workers: 2, concurrency: 2 };
  const b = { host: 'b', pid: 7, startedAt: new Date('2026-12-01T10:00:00Z'), workers: 4, concurrency: 1 };
  assert.deepEqual(await beatDaemon(db.pool, a, 60_000), { daemons: 1, slots: 4 });
  assert.deepEqual(await beatDaemon(db.pool, b, 60_000), { daemons: 2, slots: 8 });
  assert.deepEqual(await beatDaemon(db.pool, a, 60_000), { daemons: 2, slots: 8 }, 'a beat again is still one daemon');
  await forgetDaemon(db.pool, b);
  assert.deepEqual(await liveDaemons(db.pool, 60_000), { daemons: 1, slots: 4 });

  await upsertRun(db.pool, runRecord({ runId: 'r' }));
  const at = (i: number) => new Date(Date.now() - 3_600_000 + i * 60_000);
  await insertExecutions(db.pool, [
    // Twelve attempts: the two oldest (100 s) fall outside the last ten.
    ...Array.from({ length: 12 }, (_, i) =>
      executionRecord({
        runId: 'r',
        testId: `w${i}`,
        workflowId: 'w',
        startedAt: at(i),
        durationMs: i < 2 ? 100_000 : 1_000 + i,
      }),
    ),
    executionRecord({
      runId: 'r',
      testId: 's',
      workflowId: 'skip',
      status: 'skipped',
      startedAt: at(0),
      durationMs: 5,
    }),
  ]);
  const d = await recentDurations(db.pool, ['w', 'skip', 'none']);
  assert.deepEqual([...d.entries()], [['w', 1_006.5]]);

  assert.equal((await updateCapacityState(db.pool, 0.5, 1, 0.9)).changed, false);
  const over = await updateCapacityState(db.pool, 1.2, 1, 0.9);
  assert.equal(over.over && over.changed, true);
  assert.equal((await updateCapacityState(db.pool, 1.5, 1, 0.9)).changed, false, 'still the same episode');
  assert.equal((await updateCapacityState(db.pool, 0.95, 1, 0.9)).over, true, 'no clearing above 0.9');
  const back = await updateCapacityState(db.pool, 0.9, 1, 0.9);
  assert.equal(!back.over && back.changed, true);
});

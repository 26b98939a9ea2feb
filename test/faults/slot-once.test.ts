// Issue 14 item 5: a slot runs at most once, in order. A daemon SIGKILLed after the slot's
// execution was stored (the run still draining a hung alert) used to have the slot run again
// when pg-boss handed the job back; a slot that comes back after its successor started used
// to run out of order.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'slonik';
import { z } from 'zod';
import { gateSlot } from '../../db/slot-runs.ts';
import { trivialSpec } from '../helpers/daemon-harness.ts';
import { ownPostgresDaemon } from './helpers/own-postgres-daemon.ts';
import { reply } from '../sinks/http-sink.ts';
import { countExecutions } from './ledger.ts';
import { startOwnPostgres } from './own-postgres.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test(
  "daemon SIGKILL after the slot's execution is stored: the restarted daemon does not run the slot again",
  { timeout: 400_000 },
  async (t) => {
    const {
      db: pg,
      sink,
      state,
      start,
    } = await ownPostgresDaemon(t, 'wm-fault-slot-', {
      sink: { fallback: reply.hang() },
      specs: {
        'slot-once.spec.ts': trivialSpec({
          id: 'slot-once',
          priority: 'critical',
          schedule: '0 0 1 1 *',
          body: "throw new Error('slot-once: failing on purpose');",
        }),
      },
    });
    const env = {
      MONITOR_PIPELINE_RETRY_DELAY_SECONDS: '1',
      // The failure alert hangs: the run keeps draining for ~30 s after its row is stored, the window for the kill.
      ALERT_WEBHOOK_URL: sink.urlFor('/hook'),
      ALERT_ROUTES: 'critical=webhook',
      ALERT_POLICY: '{"storm":{"holdSeconds":0}}',
      NOTIFY_REQUEST_TIMEOUT_MS: '60000',
      NOTIFY_DELIVERY_TIMEOUT_MS: '60000',
      MONITOR_DRAIN_TIMEOUT_MS: '40000',
    };
    const first = await start({ ...env, MONITOR_RUN_ON_START: 'true' });

    for (const deadline = Date.now() + 180_000; (await countExecutions(pg.pool, state.dir, 'slot-once')).stored < 1;) {
      assert.ok(Date.now() < deadline, `no execution stored:\n${first.lines.slice(-30).join('\n')}`);
      await sleep(500);
    }
    await sink.waitForRequests(1, 60_000);
    first.signal('SIGKILL');
    await first.exited;

    const second = await start({ ...env, MONITOR_RUN_ON_START: 'false' });
    // Either the restarted daemon sees the slot is done, or (before the fix) pg-boss hands the job back and it runs again.
    const again = async () => (await countExecutions(pg.pool, state.dir, 'slot-once')).stored > 1;
    for (
      const deadline = Date.now() + 120_000;
      Date.now() < deadline && !(await again()) && !second.lines.some((l) => /already ran/.test(l));
    )
      await sleep(500);
    // pg-boss's own hand-back (heartbeat supervision, then the retry) comes later still: give it its time.
    for (const deadline = Date.now() + 45_000; Date.now() < deadline && !(await again());) await sleep(1_000);

    const executions = await countExecutions(pg.pool, state.dir, 'slot-once');
    const runs = second.lines.filter((l) => /run \S+ started/.test(l));
    t.diagnostic(
      `executions expected 1, stored ${executions.stored}, spooled ${executions.spooled}; alerts expected 1, webhook requests ${sink.requests.length}; ` +
        `runs started after the restart ${runs.length}; ${second.lines.filter((l) => /already ran|resuming|MISSED/.test(l)).join(' | ')}`,
    );
    assert.equal(
      executions.stored,
      1,
      `one execution for the slot (0 duplicated):\n${second.lines.slice(-30).join('\n')}`,
    );
    assert.equal(executions.spooled, 0, '0 lost');
    assert.equal(runs.length, 0, 'the slot was not run again');
    assert.ok(sink.requests.length >= 1, 'the failure was alerted (0 silent)');
  },
);

test('a slot that comes back after its successor started is recorded as missed; a done slot is not run again', async (t) => {
  const pg = await startOwnPostgres();
  t.after(() => pg.destroy());
  const claim = (runId: string) => ({ runId, jobId: null, host: 'h', pid: 1 });
  const t0 = new Date('2026-12-01T10:00:00Z');
  const t1 = new Date('2026-12-01T10:00:10Z');
  const stored = new Set<string>();
  const has = async (runId: string) => stored.has(runId);
  assert.deepEqual(await gateSlot(pg.pool, { workflowId: 'w', slot: t0 }, claim('r0'), has), { verdict: 'run' });
  // r0 died without an execution: the slot may run again (a pipeline retry), under the new run.
  assert.deepEqual(await gateSlot(pg.pool, { workflowId: 'w', slot: t0 }, claim('r0b'), has), { verdict: 'run' });
  stored.add('r0b');
  assert.deepEqual(await gateSlot(pg.pool, { workflowId: 'w', slot: t0 }, claim('r0c'), has), {
    verdict: 'done',
    runId: 'r0b',
  });
  // A slot that was never run, coming back after a later one started: missed, recorded, and stays missed.
  const early = new Date('2026-12-01T09:59:50Z');
  assert.deepEqual(await gateSlot(pg.pool, { workflowId: 'w', slot: t1 }, claim('r1'), has), { verdict: 'run' });
  assert.deepEqual(await gateSlot(pg.pool, { workflowId: 'w', slot: early }, claim('r2'), has), { verdict: 'missed' });
  assert.deepEqual(await gateSlot(pg.pool, { workflowId: 'w', slot: early }, claim('r3'), has), { verdict: 'missed' });
  const rows = await pg.pool.any(sql.type(
    z.object({ slot: z.date(), status: z.string(), runId: z.string().nullable() }),
  )`
    SELECT slot_at AS slot, status, run_id AS "runId" FROM scheduler_slot_runs ORDER BY slot_at`);
  assert.deepEqual(
    rows.map((r) => [r.slot.toISOString(), r.status, r.runId]),
    [
      [early.toISOString(), 'missed', null],
      [t0.toISOString(), 'done', 'r0b'],
      [t1.toISOString(), 'started', 'r1'],
    ],
  );
});

test(
  "daemon SIGKILL before the slot's execution exists: the restarted daemon judges the slot at once, and it runs exactly once",
  { timeout: 400_000 },
  async (t) => {
    const { pg, state, start } = await ownPostgresDaemon(t, 'wm-fault-slot-', {
      specs: {
        'slot-slow.spec.ts': trivialSpec({ id: 'slot-slow', priority: 'high', schedule: '0 0 1 1 *', sleepMs: 15_000 }),
      },
    });
    const env = {
      // pg-boss's own hand-back would come only after its supervision and this delay.
      MONITOR_PIPELINE_RETRY_DELAY_SECONDS: '600',
    };
    const first = await start({ ...env, MONITOR_RUN_ON_START: 'true' });
    await first.waitFor(/run \S+ started \(pid \d+/, 120_000);
    first.signal('SIGKILL');
    await first.exited;

    const second = await start({ ...env, MONITOR_RUN_ON_START: 'false' });
    await second.waitFor(/resuming 1 slot\(s\) left running by a dead daemon/, 90_000);
    // The killed daemon's run may still finish on its own (then the slot is done), or be stopped by
    // its run guard (then the restarted daemon runs the slot now, not after pg-boss's 600 s delay).
    const [resumed] = await second.waitFor(/slot-slow: already ran|run \S+ started \(pid \d+/, 120_000);
    if (/started/.test(resumed!)) await second.waitFor(/run \S+ ended/, 120_000);
    const outcomes = await pg.pool.oneFirst(sql.type(
      z.object({ n: z.number() }),
    )`SELECT count(*)::integer AS n FROM workflow_executions
    WHERE workflow_id = 'slot-slow' AND status <> 'interrupted'`);
    const executions = await countExecutions(pg.pool, state.dir, 'slot-slow');
    t.diagnostic(
      `slots 1; outcomes stored ${outcomes} (all rows ${executions.stored}), spooled ${executions.spooled}; resumed: ${resumed}`,
    );
    assert.equal(outcomes, 1, 'the slot ran once to an outcome (0 lost, 0 duplicated)');
    assert.equal(executions.spooled, 0);
  },
);

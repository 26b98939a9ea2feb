// Issue 14 item 5: a slot claimed by a daemon on another host that died used to stay 'started'
// forever (the restart recovery looked at its own host only; the gate saw a claim and called it
// busy). A claim is a lease now: a claim whose lease ran out is taken over by any daemon and its
// slot judged (run once); a claim whose lease is live is left to its holder.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'slonik';
import { z } from 'zod';
import { gateSlot, missedSlots, staleCandidates, takeOverClaim } from '../../db/slot-runs.ts';
import { trivialSpec } from '../helpers/daemon-harness.ts';
import { ownPostgresDaemon } from './helpers/own-postgres-daemon.ts';
import { startOwnPostgres } from './own-postgres.ts';

test(
  "a dead remote daemon's claim is taken over after its lease; a live remote claim is left alone",
  {
    timeout: 300_000,
  },
  async (t) => {
    const { pg, start } = await ownPostgresDaemon(t, 'wm-fault-lease-', {
      specs: { 'lease.spec.ts': trivialSpec({ id: 'lease-wf', priority: 'high', schedule: '0 0 1 1 *' }) },
    });
    // Written as a daemon on another host would have: one claim whose lease ran out (its daemon
    // died), one renewed a moment ago (its daemon is alive and running the slot).
    const stale = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 5 * 60_000);
    const live = new Date(stale.getTime() - 10 * 60_000);
    await pg.pool.query(sql.type(z.object({}))`INSERT INTO scheduler_slot_runs
    (workflow_id, slot_at, run_id, status, host, pid, lease_until, updated_at) VALUES
    ('lease-wf', ${stale.toISOString()}::timestamptz, 'sched-dead-remote', 'started', 'another-host', 4242, now() - interval '2 minutes', now() - interval '3 minutes'),
    ('lease-wf', ${live.toISOString()}::timestamptz, 'sched-live-remote', 'started', 'another-host', 4343, now() + interval '1 hour', now())`);
    // A slot an outage swallowed, as the gate records it: /healthz shows it with its reason.
    await pg.pool.query(sql.type(z.object({}))`INSERT INTO scheduler_slot_runs (workflow_id, slot_at, status, reason)
    VALUES ('lease-wf', ${new Date(live.getTime() - 60_000).toISOString()}::timestamptz, 'missed', 'the daemon could not queue it: test')`);
    const daemon = await start();

    // The takeover waits until this daemon has reached the database for a whole lease (60 s).
    const [resumed] = await daemon.waitFor(/resuming 1 slot\(s\) left running by a dead daemon/, 150_000);
    await daemon.waitFor(/run \S+ ended/, 120_000);
    const health = (await (await fetch(`http://127.0.0.1:${daemon.port}/healthz`)).json()) as Record<string, unknown>;
    assert.equal(health.missedSlotsLastDay, 1, JSON.stringify(health));
    assert.deepEqual(health.lastMissedSlot, {
      workflowId: 'lease-wf',
      slot: new Date(live.getTime() - 60_000).toISOString(),
      reason: 'the daemon could not queue it: test',
    });
    daemon.signal('SIGTERM');
    await daemon.exited;

    const rows = await pg.pool.any(
      sql.type(
        z.object({ slot: z.date(), status: z.string(), runId: z.string().nullable(), host: z.string().nullable() }),
      )`SELECT slot_at AS slot, status, run_id AS "runId", host FROM scheduler_slot_runs WHERE workflow_id = 'lease-wf' ORDER BY slot_at`,
    );
    const executions = await pg.pool.any(sql.type(z.object({ runId: z.string() }))`
    SELECT run_id AS "runId" FROM workflow_executions WHERE workflow_id = 'lease-wf' AND status <> 'interrupted'`);
    const staleRow = rows.find((r) => r.slot.getTime() === stale.getTime());
    const liveRow = rows.find((r) => r.slot.getTime() === live.getTime());
    t.diagnostic(`${resumed}; rows ${JSON.stringify(rows)}; executions ${JSON.stringify(executions)}`);
    assert.match(resumed!, /another-host pid 4242/);
    assert.equal(staleRow?.status, 'done', 'the stale claim was taken over and its slot ran');
    assert.notEqual(staleRow?.runId, 'sched-dead-remote');
    assert.deepEqual(
      executions.map((e) => e.runId),
      [staleRow?.runId],
      'one execution, by the daemon that took the slot over',
    );
    assert.deepEqual(
      [liveRow?.status, liveRow?.runId, liveRow?.host],
      ['started', 'sched-live-remote', 'another-host'],
      'a live claim stays with its holder',
    );
  },
);

test('the gate records the slots no run claimed as missed, with their reason; a stale claim moves to one taker', async (t) => {
  const pg = await startOwnPostgres();
  t.after(() => pg.destroy());
  const at = (s: number) => new Date(Date.UTC(2026, 11, 1, 10, 0, s));
  const every10 = (from: Date, to: Date) => {
    const out: Date[] = [];
    for (let x = Math.floor(from.getTime() / 10_000) * 10_000 + 10_000; x <= to.getTime(); x += 10_000)
      out.push(new Date(x));
    return out;
  };
  const claim = (runId: string, host = 'h1', pid = 1) => ({ runId, jobId: `job-${runId}`, host, pid });
  const none = async () => false;
  const options = {
    expected: every10,
    gapReason: (slot: Date) => (slot.getTime() === at(20).getTime() ? 'the daemon could not queue it: down' : null),
  };
  assert.deepEqual(await gateSlot(pg.pool, { workflowId: 'w', slot: at(0) }, claim('r0'), none, options), {
    verdict: 'run',
  });
  // 10, 20 and 30 were never claimed (the outage; pg-boss held one already): missed when 40 is claimed.
  assert.deepEqual(await gateSlot(pg.pool, { workflowId: 'w', slot: at(40) }, claim('r4'), none, options), {
    verdict: 'run',
    gaps: [at(10), at(20), at(30)],
  });
  // One of them coming back later stays missed: never run, never run twice.
  assert.deepEqual(await gateSlot(pg.pool, { workflowId: 'w', slot: at(20) }, claim('r2'), none, options), {
    verdict: 'missed',
  });
  const rows = await pg.pool.any(sql.type(z.object({ s: z.date(), status: z.string(), reason: z.string().nullable() }))`
    SELECT slot_at AS s, status, reason FROM scheduler_slot_runs ORDER BY slot_at`);
  assert.deepEqual(
    rows.map((r) => [r.s.getUTCSeconds(), r.status, r.reason?.slice(0, 30) ?? null]),
    [
      [0, 'started', null],
      [10, 'missed', 'no run was queued or started f'],
      [20, 'missed', 'the daemon could not queue it:'],
      [30, 'missed', 'no run was queued or started f'],
      [40, 'started', null],
    ],
  );
  assert.equal((await missedSlots(pg.pool, new Date(0))).count, 3);

  // A claim whose lease is live is no candidate elsewhere; once it runs out, one taker gets it.
  assert.deepEqual(await staleCandidates(pg.pool, 'h2'), []);
  await pg.pool.query(sql.type(z.object({}))`UPDATE scheduler_slot_runs SET lease_until = now() - interval '1 second'`);
  const stale = await staleCandidates(pg.pool, 'h2');
  assert.deepEqual(
    stale.map((s) => [s.slot.getUTCSeconds(), s.host, s.leaseLive]),
    [
      [0, 'h1', false],
      [40, 'h1', false],
    ],
  );
  const results = await Promise.all([
    takeOverClaim(pg.pool, stale[1]!, { host: 'h2', pid: 2 }, 60_000),
    takeOverClaim(pg.pool, stale[1]!, { host: 'h3', pid: 3 }, 60_000),
  ]);
  assert.deepEqual(results.toSorted(), [false, true], 'exactly one daemon takes the claim over');
  // The taker holds it now (its lease is live): another daemon's gate sees it busy.
  const taker = results[0] ? claim('r9', 'h2', 2) : claim('r9', 'h3', 3);
  const other = results[0] ? claim('r9', 'h3', 3) : claim('r9', 'h2', 2);
  assert.deepEqual(await gateSlot(pg.pool, { workflowId: 'w', slot: at(40) }, other, none), {
    verdict: 'busy',
    runId: 'r4',
  });
  assert.deepEqual(await gateSlot(pg.pool, { workflowId: 'w', slot: at(40) }, taker, none), { verdict: 'run' });
});

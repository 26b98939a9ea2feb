// End to end, on trivial specs and second-level schedules (test-only MONITOR_ALLOW_SECOND_CRON):
// slots run on time, simultaneous ones share one invocation, a slow workflow never overlaps
// itself, and SIGTERM stops cleanly with exit code 0.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'slonik';
import { z } from 'zod';
import { invocations, trivialSpec } from '../test/helpers/daemon-harness.ts';
import { daemonRig } from '../test/helpers/rig.ts';

test(
  'due workflows are coalesced into one invocation per slot, recorded, and never overlap themselves',
  { timeout: 150_000 },
  async (t) => {
    const { db, start } = await daemonRig(t, {
      specs: {
        'alpha.spec.ts': trivialSpec({ id: 'alpha', schedule: '*/15 * * * *' }),
        'beta.spec.ts': trivialSpec({ id: 'beta', priority: 'critical' }),
        // Outlasts its 3-second interval: its slots must queue behind it, never run beside it.
        'slow.spec.ts': trivialSpec({ id: 'slow', sleepMs: 5_000 }),
      },
      secondCron: true,
    });
    const daemon = await start({
      MONITOR_WORKERS: '2',
      MONITOR_SCHEDULE_ALPHA: '*/6 * * * * *',
      MONITOR_SCHEDULE_BETA: '*/6 * * * * *',
      MONITOR_SCHEDULE_SLOW: '*/3 * * * * *',
      MONITOR_CONCURRENCY: '3',
    });

    await daemon.waitFor(/run \S+ ended/, 90_000, 3);
    daemon.signal('SIGTERM');
    assert.equal(await daemon.exited, 0, daemon.lines.slice(-30).join('\n'));
    assert.ok(daemon.lines.some((l) => /stopped$/.test(l)));

    const runs = invocations(daemon.lines);
    const lineOf = (runId: string, what: 'started' | 'ended') =>
      daemon.lines.findIndex((l) => l.includes(`run ${runId} ${what}`));
    const withAlpha = runs.filter((r) => r.workflowIds.includes('alpha'));
    assert.ok(
      withAlpha.some((r) => r.workflowIds.includes('beta')),
      `alpha and beta, due at the same seconds, share an invocation:\n${daemon.lines.join('\n')}`,
    );
    // They share every one, unless beta's previous run was still going (pg-boss's stately queue
    // starts a workflow's next slot only after it) or the daemon split that minute's slots because
    // together they could not finish within the slot (capacity.ts: on a loaded machine these
    // trivial runs take longer than the 6-s interval); both are said in the daemon's lines.
    for (const r of withAlpha.filter((x) => !x.workflowIds.includes('beta'))) {
      const at = lineOf(r.runId, 'started');
      const betaBusy = runs.some((o) => {
        if (!o.workflowIds.includes('beta')) return false;
        const [from, to] = [lineOf(o.runId, 'started'), lineOf(o.runId, 'ended')];
        return from < at && (to === -1 || to > at);
      });
      const minute = /^sched-(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)Z/.exec(r.runId)!.slice(1);
      const iso = `${minute[0]}-${minute[1]}-${minute[2]}T${minute[3]}:${minute[4]}:00.000Z`;
      const split = daemon.lines.slice(0, at).some((l) => l.includes(`slot ${iso}: `) && /invocation\(s\)/.test(l));
      assert.ok(
        betaBusy || split,
        `alpha ran without beta (${JSON.stringify(r)}) though beta was idle and the minute was not split:\n${daemon.lines.join('\n')}`,
      );
    }

    // Every started run recorded its executions under its own run id, with trigger=schedule.
    const rows = await db.pool.any(sql.type(
      z.object({
        runId: z.string(),
        workflowId: z.string(),
        startedAt: z.date(),
        durationMs: z.number(),
        trigger: z.string(),
      }),
    )`
    SELECT e.run_id AS "runId", e.workflow_id AS "workflowId", e.started_at AS "startedAt", e.duration_ms AS "durationMs", r.trigger
    FROM workflow_executions e JOIN monitor_runs r USING (run_id) ORDER BY e.started_at`);
    assert.ok(rows.every((r) => r.trigger === 'schedule'));
    for (const r of runs.filter((x) => daemon.lines.some((l) => l.includes(`run ${x.runId} ended`)))) {
      assert.deepEqual(
        rows
          .filter((x) => x.runId === r.runId)
          .map((x) => x.workflowId)
          .sort(),
        [...r.workflowIds].sort(),
        `rows of ${r.runId}`,
      );
    }
    const slow = rows.filter((r) => r.workflowId === 'slow');
    assert.ok(slow.length >= 2, `slow ran at least twice: ${slow.length}`);
    for (let i = 1; i < slow.length; i++) {
      const prevEnd = slow[i - 1]!.startedAt.getTime() + slow[i - 1]!.durationMs;
      assert.ok(slow[i]!.startedAt.getTime() >= prevEnd, `slow overlapped itself: ${JSON.stringify(slow)}`);
    }
  },
);

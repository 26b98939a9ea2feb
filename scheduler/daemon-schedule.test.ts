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
    const together = runs.filter((r) => r.workflowIds.includes('alpha'));
    assert.ok(together.length >= 1, daemon.lines.join('\n'));
    for (const r of together)
      assert.ok(r.workflowIds.includes('beta'), `alpha and beta are due together: ${JSON.stringify(r)}`);

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

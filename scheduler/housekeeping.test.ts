// The daemon's housekeeping jobs against a real database: a missed run alerts once per episode
// (throttled like any alert) and recovers once when the workflow runs again, the hourly report lands in monitoring_reports and in the channels,
// retention and the roll-up run. The jobs are called directly; pg-boss's schedule() decides when.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { sql } from 'slonik';
import { z } from 'zod';
import { insertExecutions } from '../db/tables/executions.ts';
import { upsertRun } from '../db/tables/runs.ts';
import { executionRecord } from '../test/helpers/db.ts';
import { runRecord } from '../test/helpers/records.ts';
import { runHousekeeping, type HousekeepingDeps } from './housekeeping.ts';
import { createMetrics } from './metrics.ts';
import type { ResolvedSchedule } from './schedules.ts';
import { alertSenderRig } from '../test/helpers/alert-sender.ts';

test(
  'housekeeping: missed runs alert once per episode and recover once, the hourly report is stored and sent, retention and roll-up run',
  { timeout: 120_000 },
  async (t) => {
    const { db, sink, state, lines, sender } = await alertSenderRig(t, {
      hookPath: '/services/T0/B0/hk',
      state: 'wm-hk-',
    });
    const alerts = sender();

    // Three minutes after a */15 slot (its grace of two has passed, the next is twelve away), so
    // which slot is due does not depend on the time of day.
    const slot = 15 * 60_000;
    const aligned = Math.floor(Date.now() / slot) * slot + 3 * 60_000;
    const now = new Date(aligned > Date.now() ? aligned - slot : aligned);
    const minutesAgo = (m: number) => new Date(now.getTime() - m * 60_000);
    await upsertRun(
      db.pool,
      runRecord({
        runId: 'r-old',
        trigger: 'schedule',
        startedAt: minutesAgo(50),
        endedAt: minutesAgo(49),
        status: 'passed',
      }),
    );
    await insertExecutions(db.pool, [
      executionRecord({ runId: 'r-old', testId: 't-login', workflowId: 'user-login', startedAt: minutesAgo(50) }),
      executionRecord({
        runId: 'r-old',
        testId: 't-health',
        workflowId: 'health-check',
        name: 'Health Check',
        // On its last slot: not missed, whereas user-login missed the three since it ran.
        startedAt: minutesAgo(3),
        status: 'failed',
        outcome: 'unexpected',
        error: 'database check failed',
      }),
    ]);
    const schedules: ResolvedSchedule[] = [
      // Every 15 minutes, last ran 50 minutes ago: over twice its interval.
      {
        workflowId: 'user-login',
        title: 'User Login',
        priority: 'critical',
        tags: ['@user-login'],
        cron: '*/15 * * * *',
        source: 'spec',
      },
      {
        workflowId: 'health-check',
        title: 'Health Check',
        priority: 'critical',
        tags: ['@health-check'],
        cron: '*/15 * * * *',
        source: 'spec',
      },
    ];
    const deps: HousekeepingDeps = {
      pool: () => db.pool,
      schedules: () => schedules,
      watchingSince: minutesAgo(120),
      alerts,
      metrics: createMetrics(),
      log: (l) => lines.push(l),
      retention: {
        databaseUrl: db.url,
        stateDir: state.dir,
        artifactsDir: path.join(state.dir, 'artifacts'),
        days: 30,
        aggregateDays: 365,
        artifactDays: 14,
      },
    };

    await runHousekeeping('wm-missed-runs', deps, now);
    await runHousekeeping('wm-missed-runs', deps, new Date(now.getTime() + 5 * 60_000));
    await sink.waitForRequests(1, 10_000);
    const missed = sink.requests.filter((r) => r.body.includes('Missed runs'));
    assert.equal(missed.length, 1, 'one alert for the episode, not one per check');
    assert.match(missed[0]!.body, /User Login/);
    assert.doesNotMatch(missed[0]!.body, /Health Check/);
    const logged = await db.pool.oneFirst(
      sql.type(
        z.object({ n: z.number() }),
      )`SELECT count(*)::int AS n FROM notification_logs WHERE kind = 'critical' AND sent`,
    );
    assert.equal(logged, 1, 'logged in notification_logs');

    // User Login runs again: one recovery, whichever check sees it first, and no new alert.
    const resumed = new Date(now.getTime() + 6 * 60_000);
    await insertExecutions(db.pool, [
      executionRecord({ runId: 'r-old', testId: 't-login-2', workflowId: 'user-login', startedAt: resumed }),
    ]);
    const afterAlert = sink.requests.length;
    await runHousekeeping('wm-missed-runs', deps, new Date(resumed.getTime() + 60_000));
    await runHousekeeping('wm-missed-runs', deps, new Date(resumed.getTime() + 2 * 60_000));
    await sink.waitForRequests(afterAlert + 1, 10_000);
    const back = sink.requests.slice(afterAlert);
    assert.equal(back.length, 1, `one recovery: ${back.map((r) => r.body.slice(0, 120)).join(' | ')}`);
    assert.match(back[0]!.body, /Runs resumed: User Login/);
    assert.match(back[0]!.body, new RegExp(`ran again at ${resumed.toISOString()}`));
    assert.ok(
      lines.some((l) => /^missed runs: 1 recover/.test(l)),
      lines.join('\n'),
    );

    const before = sink.requests.length;
    await runHousekeeping('wm-report-hourly', deps, now);
    const reports = await db.pool.any(sql.type(z.object({ kind: z.string(), total: z.number(), inPeriod: z.number() }))`
    SELECT kind, total_executions AS total, (SELECT count(*)::int FROM workflow_executions e
      WHERE e.started_at >= r.period_start AND e.started_at < r.period_end) AS "inPeriod" FROM monitoring_reports r`);
    assert.deepEqual(
      reports.map((r) => r.kind),
      ['hourly'],
    );
    assert.equal(reports[0]!.total, reports[0]!.inPeriod, "the last full hour's executions");
    await sink.waitForRequests(before + 1, 10_000);
    assert.ok(
      sink.requests.slice(before).some((r) => /Monitoring Summary|Success rate/i.test(r.body)),
      'the summary went to Slack',
    );

    await runHousekeeping('wm-rollup', deps, now);
    await runHousekeeping('wm-retention', deps, now);
    assert.ok(
      lines.some((l) => /^rollup: \d+ hourly row/.test(l)),
      lines.join('\n'),
    );
    assert.ok(
      lines.some((l) => /^retention: /.test(l)),
      lines.join('\n'),
    );
    const kept = await db.pool.oneFirst(
      sql.type(z.object({ n: z.number() }))`SELECT count(*)::int AS n FROM workflow_executions`,
    );
    assert.equal(kept, 3, 'nothing younger than RETENTION_DAYS is dropped');
  },
);

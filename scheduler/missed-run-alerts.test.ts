// The missed-run episode's end against a real database and a Slack sink: only the newest episode
// of a workflow is announced, and only while its end is fresh; an older or stale one is closed
// without a message, and nothing is sent twice.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { insertExecutions } from '../db/tables/executions.ts';
import { claimAlertMark, openAlertMarks } from '../db/tables/scheduler-alert-marks.ts';
import { upsertRun } from '../db/tables/runs.ts';
import { executionRecord } from '../test/helpers/db.ts';
import { runRecord } from '../test/helpers/records.ts';
import { alertSenderRig } from '../test/helpers/alert-sender.ts';
import { checkMissedRuns, staleAfterMs } from './missed-run-alerts.ts';
import type { ResolvedSchedule } from './schedules.ts';

const schedule = (workflowId: string, title: string): ResolvedSchedule => ({
  workflowId,
  title,
  priority: 'critical',
  tags: [`@${workflowId}`],
  cron: '*/15 * * * *',
  source: 'spec',
});

test('missed runs: the newest episode recovers once while fresh; an older or stale one closes without a message', async (t) => {
  const { db, sink, lines, sender } = await alertSenderRig(t, { hookPath: '/services/T0/B0/mr' });
  const now = new Date();
  const ago = (minutes: number) => new Date(now.getTime() - minutes * 60_000);
  await upsertRun(
    db.pool,
    runRecord({ runId: 'r', trigger: 'schedule', startedAt: ago(300), endedAt: ago(1), status: 'passed' }),
  );
  // user-login: two episodes (last runs 300 and 120 min ago), back 10 min ago. product-listing:
  // one episode, back 120 min ago (before this version, say, or with every daemon down); both
  // have run on their last slot, so neither is missed now.
  const run = (workflowId: string, minutes: number) =>
    executionRecord({ runId: 'r', testId: `${workflowId}-${minutes}`, workflowId, startedAt: ago(minutes) });
  await insertExecutions(db.pool, [
    run('user-login', 300),
    run('user-login', 120),
    run('user-login', 10),
    run('user-login', 5),
    run('product-listing', 240),
    run('product-listing', 120),
    run('product-listing', 3),
  ]);
  const older = `missed-run:user-login:${ago(300).toISOString()}`;
  const newer = `missed-run:user-login:${ago(120).toISOString()}`;
  const stale = `missed-run:product-listing:${ago(240).toISOString()}`;
  for (const key of [older, newer, stale]) assert.ok(await claimAlertMark(db.pool, key));

  const deps = {
    schedules: () => [schedule('user-login', 'User Login'), schedule('product-listing', 'Product Listing')],
    watchingSince: ago(600),
    alerts: sender(),
    log: (l: string) => lines.push(l),
  };
  assert.deepEqual(await checkMissedRuns(deps, db.pool, now), { alerts: 0, recoveries: 1 });
  assert.deepEqual(await checkMissedRuns(deps, db.pool, new Date(now.getTime() + 5 * 60_000)), {
    alerts: 0,
    recoveries: 0,
  });
  await sink.waitForRequests(1, 10_000);
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(sink.requests.length, 1, sink.requests.map((r) => r.body.slice(0, 100)).join(' | '));
  assert.match(sink.requests[0]!.body, /Runs resumed: User Login/);
  // The first attempt after the episode, not the latest one.
  assert.match(sink.requests[0]!.body, new RegExp(`ran again at ${ago(10).toISOString()}`));
  assert.deepEqual(await openAlertMarks(db.pool, 'missed-run:', 'resumed:'), [], 'every episode is closed');
  assert.ok(
    lines.some((l) => l.includes('missed runs of user-login') && l.includes('a later episode followed it')),
    lines.join('\n'),
  );
  assert.ok(
    lines.some(
      (l) => l.includes('missed runs of product-listing') && l.includes(`over ${staleAfterMs / 60_000} min ago`),
    ),
    lines.join('\n'),
  );
});

// The policy's transaction over time, against a real PostgreSQL: storms held and folded,
// reminders and maintenance windows decided by tickTimers on a fake clock.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'slonik';
import { z } from 'zod';
import { freshDatabase } from '../../test/helpers/db.ts';
import { MIN, at, attempt, defaultPolicy, kinds, noHold } from '../../test/helpers/alert-policy.ts';
import { createPolicyEngine } from './engine.ts';
import type { Policy } from './rules.ts';
import { maintenanceWindowsSchema } from './maintenance.ts';
import { getAlertState } from '../../db/alert-rows.ts';
import { applyExecutionToState, releaseHeldAlerts, tickTimers } from './transaction.ts';

test('storms: three workflows down in one run give one digest per channel; unreachable target gives one alert', async (t) => {
  const db = await freshDatabase();
  t.after(() => db.drop());
  const engine = createPolicyEngine(defaultPolicy);
  const fail = (runId: string, workflowId: string, error: string) =>
    applyExecutionToState(
      db.pool,
      attempt(0, 'failed', { runId, workflowId, testId: workflowId, error }),
      engine,
      at(0),
      { willRetry: false },
    );
  for (const w of ['a', 'b', 'c'])
    assert.deepEqual((await fail('storm-run', w, 'Error: expect(locator).toBeVisible() failed')).alerts, []);
  const digest = await releaseHeldAlerts(db.pool, engine, at(0), { runId: 'storm-run' });
  assert.deepEqual(
    digest.map((d) => [d.alert.kind, d.alert.items?.length, d.channels]),
    [['digest', 3, ['slack', 'pagerduty']]],
  );

  for (const w of ['d', 'e', 'f'])
    await fail('dead-run', w, 'Error: page.goto: net::ERR_CONNECTION_REFUSED at http://localhost:3000/');
  const unreachable = await releaseHeldAlerts(db.pool, engine, at(1));
  assert.deepEqual(
    unreachable.map((d) => [d.alert.kind, d.alert.title, d.channels]),
    [['critical', 'Target unreachable', ['slack', 'pagerduty']]],
  );
  const statuses = await db.pool.anyFirst(
    sql.type(z.object({ s: z.string() }))`SELECT status || ':' || kind AS s FROM alert_events ORDER BY id`,
  );
  assert.deepEqual(statuses, [
    'folded:failure',
    'folded:failure',
    'folded:failure',
    'released:digest',
    'folded:failure',
    'folded:failure',
    'folded:failure',
    'released:critical',
  ]);
});

test('reminders come from tickTimers on a fake clock, to the channels of the first alert', async (t) => {
  const db = await freshDatabase();
  t.after(() => db.drop());
  const engine = createPolicyEngine(noHold);
  await applyExecutionToState(db.pool, attempt(0, 'failed'), engine, at(0), { willRetry: false });
  const ticks: string[] = [];
  for (const m of [1, 30, 59, 60, 61, 119, 120]) {
    const out = await tickTimers(db.pool, engine, at(m));
    ticks.push(`${m}:${kinds(out).join('+')}`);
    for (const r of out) assert.deepEqual(r.channels, ['slack', 'pagerduty']);
  }
  assert.deepEqual(ticks, ['1:', '30:', '59:', '60:reminder', '61:', '119:', '120:reminder']);
  // Two daemons ticking the same minute: one reminder.
  const both = await Promise.all([tickTimers(db.pool, engine, at(180)), tickTimers(db.pool, engine, at(180))]);
  assert.deepEqual(kinds(both.flat()), ['reminder']);
  const up = await applyExecutionToState(db.pool, attempt(200, 'passed'), engine, at(200), { willRetry: false });
  assert.deepEqual(kinds(up.alerts), ['recovery']);
  assert.equal(up.alerts[0]?.alert.downtimeMs, 200 * MIN + 500);
  assert.deepEqual(await tickTimers(db.pool, engine, at(400)), []);
});

test('maintenance: muted while open, alerted by tickTimers once the window has ended', async (t) => {
  const db = await freshDatabase();
  t.after(() => db.drop());
  const maintenance = maintenanceWindowsSchema.parse([
    { start: at(-5).toISOString(), end: at(20).toISOString(), tags: ['@critical'] },
  ]);
  const engine = createPolicyEngine({ ...noHold, maintenance } satisfies Policy);
  const muted = await applyExecutionToState(db.pool, attempt(0, 'failed'), engine, at(0), { willRetry: false });
  assert.deepEqual(muted.alerts, []);
  assert.equal((await getAlertState(db.pool, 'user-login'))?.mutedAlert, 'failure');
  assert.deepEqual(await tickTimers(db.pool, engine, at(19)), []);
  assert.deepEqual(kinds(await tickTimers(db.pool, engine, at(20))), ['failure']);
  assert.deepEqual(await tickTimers(db.pool, engine, at(21)), []);
});

// The alert state against a real PostgreSQL: concurrency (two runs failing together, two
// processes throttling one channel), held alerts and storms, reminders and maintenance with a
// fake clock.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { sql } from 'slonik';
import { z } from 'zod';
import { executionRecord, freshDatabase } from '../test/helpers/db.ts';
import { createPolicyEngine } from '../notifiers/policy/engine.ts';
import { defaultPolicy as everyChannel, exampleRoutes, mergePolicy, type Policy } from '../notifiers/policy/rules.ts';
import { maintenanceWindowsSchema } from '../notifiers/policy/maintenance.ts';
import { throttleRule } from '../notifiers/policy/throttle.ts';
import { createDbPool } from './pool.ts';
import { insertExecutions } from './tables/executions.ts';
import { getNotificationLogs } from './tables/notification-logs.ts';
import { getWorkflowStates } from './tables/workflow-states.ts';
import {
  applyExecutionToState,
  claimThrottleSlot,
  getAlertState,
  releaseHeldAlerts,
  tickTimers,
} from './alert-state.ts';
import type { ExecutionRecord } from './types.ts';

const MIN = 60_000;
const t0 = new Date(Math.floor(Date.now() / MIN) * MIN - 10 * MIN);
const at = (minutes: number) => new Date(t0.getTime() + minutes * MIN);
// The runbook's routes (critical to Slack and PagerDuty ...), which these assertions name; by
// default every configured channel gets every alert.
const defaultPolicy: Policy = { ...everyChannel, routes: exampleRoutes };
const noHold = mergePolicy(defaultPolicy, { storm: { holdSeconds: 0 } });

function attempt(minutes: number, status: 'passed' | 'failed', o: Partial<ExecutionRecord> = {}): ExecutionRecord {
  const failed = status === 'failed';
  return executionRecord({
    runId: `run-${minutes}`,
    startedAt: new Date(at(minutes).getTime() - 2000),
    durationMs: 1500,
    status,
    outcome: failed ? 'unexpected' : 'expected',
    error: failed ? 'Error: Login button not found' : null,
    failedStep: failed ? 'Sign in' : null,
    ...o,
  });
}

const kinds = (alerts: Array<{ alert: { kind: string } }>) => alerts.map((a) => a.alert.kind);

test('two runs failing the same workflow at the same moment produce one alert, also through a storm hold', async (t) => {
  const db = await freshDatabase();
  t.after(() => db.drop());
  const other = await createDbPool(db.url);
  t.after(() => other.end());
  for (const policy of [noHold, defaultPolicy]) {
    const engine = createPolicyEngine(policy);
    const workflowId = policy === noHold ? 'user-login' : 'checkout';
    const a = attempt(0, 'failed', { runId: `a-${workflowId}`, workflowId });
    const b = attempt(0, 'failed', { runId: `b-${workflowId}`, workflowId });
    await insertExecutions(db.pool, [a, b]);
    const results = await Promise.all([
      applyExecutionToState(db.pool, a, engine, at(0), { willRetry: false }),
      applyExecutionToState(other, b, engine, at(0), { willRetry: false }),
    ]);
    assert.deepEqual(
      results.map((r) => r.applied),
      [true, true],
    );
    const later = await Promise.all([
      releaseHeldAlerts(db.pool, engine, at(1)),
      releaseHeldAlerts(other, engine, at(1)),
    ]);
    const all = [...results.flatMap((r) => r.alerts), ...later.flat()];
    assert.deepEqual(kinds(all), ['failure'], `one alert with ${policy.storm.holdSeconds} s hold`);
    assert.deepEqual(all[0]?.channels, ['slack', 'pagerduty']);
    const state = await getAlertState(db.pool, workflowId);
    assert.equal(state?.state, 'down');
    assert.equal(state?.consecutiveFailures, 2);
  }
  // The existing reader of workflow_states still works with the policy's columns.
  assert.deepEqual(
    (await getWorkflowStates(db.pool)).map((s) => [s.workflowId, s.state]),
    [
      ['checkout', 'down'],
      ['user-login', 'down'],
    ],
  );
});

test('the same attempt applied twice at once (a replay, a second process) decides once', async (t) => {
  const db = await freshDatabase();
  t.after(() => db.drop());
  const other = await createDbPool(db.url);
  t.after(() => other.end());
  const engine = createPolicyEngine(noHold);
  const a = attempt(0, 'failed');
  const results = await Promise.all([
    applyExecutionToState(db.pool, a, engine, at(0), { willRetry: false }),
    applyExecutionToState(other, a, engine, at(0), { willRetry: false }),
  ]);
  assert.deepEqual(results.map((r) => r.applied).sort(), [false, true]);
  assert.deepEqual(kinds(results.flatMap((r) => r.alerts)), ['failure']);
});

test('a failed attempt that will be retried is no event; its passing retry is a flaky pass, no alert', async (t) => {
  const db = await freshDatabase();
  t.after(() => db.drop());
  const engine = createPolicyEngine(noHold);
  const first = await applyExecutionToState(db.pool, attempt(0, 'failed'), engine, at(0), { willRetry: true });
  assert.deepEqual(first, { applied: false, alerts: [], heldUntil: null });
  const retry = await applyExecutionToState(
    db.pool,
    attempt(0, 'passed', { retry: 1, outcome: 'flaky' }),
    engine,
    at(0),
    { willRetry: false },
  );
  assert.equal(retry.applied, true);
  assert.deepEqual(retry.alerts, []);
  assert.equal((await getAlertState(db.pool, 'user-login'))?.state, 'up');
});

test('a held failure leaves before the recovery that follows it', async (t) => {
  const db = await freshDatabase();
  t.after(() => db.drop());
  const engine = createPolicyEngine(defaultPolicy);
  const down = await applyExecutionToState(db.pool, attempt(0, 'failed'), engine, at(0), { willRetry: false });
  assert.deepEqual(down.alerts, []);
  assert.equal(down.heldUntil?.getTime(), at(0).getTime() + 30_000);
  const up = await applyExecutionToState(db.pool, attempt(0.1, 'passed', { runId: 'run-up' }), engine, at(0.1), {
    willRetry: false,
  });
  assert.deepEqual(kinds(up.alerts), ['failure', 'recovery']);
  assert.deepEqual(await releaseHeldAlerts(db.pool, engine, at(5)), []);
});

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

const summary = {
  kind: 'failure' as const,
  priority: 'high' as const,
  workflowId: 'checkout',
  runId: 'r',
  title: 'Workflow Failed: Checkout',
  message: 'x',
};

test('the 11th alert within an hour on one channel is throttled and logged, across two pools', async (t) => {
  const db = await freshDatabase();
  t.after(() => db.drop());
  const other = await createDbPool(db.url);
  t.after(() => other.end());
  const rule = throttleRule(defaultPolicy.throttle);
  const verdicts = await Promise.all(
    Array.from({ length: 11 }, (_, i) =>
      claimThrottleSlot(i % 2 === 0 ? db.pool : other, 'slack', at(0), rule, summary),
    ),
  );
  assert.equal(verdicts.filter((v) => v.throttled).length, 1);
  assert.equal(
    (await claimThrottleSlot(db.pool, 'discord', at(0), rule, summary)).throttled,
    false,
    'another channel has its own budget',
  );
  assert.equal((await claimThrottleSlot(other, 'slack', at(59), rule, summary)).throttled, true);
  assert.equal(
    (await claimThrottleSlot(other, 'slack', at(61), rule, summary)).throttled,
    false,
    'an hour later there is room again',
  );
  const logs = await getNotificationLogs(db.pool, { channel: 'slack' });
  assert.equal(logs.length, 2);
  assert.ok(logs.every((l) => l.throttled && !l.sent && /throttled: 10 alerts in the last hour/.test(l.error ?? '')));
});

/** Runs `body` in a fresh Node process with `pool` (on URL), the db module and the policy at hand, all starting at START_AT. */
function inChildProcess(body: string, env: Record<string, string>): Promise<string> {
  const mod = (path: string) => JSON.stringify(new URL(path, import.meta.url).href);
  const code = `
    const { createDbPool } = await import(${mod('./pool.ts')});
    const db = await import(${mod('./alert-state.ts')});
    const { throttleRule } = await import(${mod('../notifiers/policy/throttle.ts')});
    const { createPolicyEngine } = await import(${mod('../notifiers/policy/engine.ts')});
    const { defaultPolicy } = await import(${mod('../notifiers/policy/rules.ts')});
    const pool = await createDbPool(process.env.URL);
    await new Promise((r) => setTimeout(r, Math.max(0, Number(process.env.START_AT) - Date.now())));
    const out = await (async () => { ${body} })();
    await pool.end();
    process.stdout.write(JSON.stringify(out));`;
  return promisify(execFile)(process.execPath, ['--input-type=module', '-e', code], {
    env: { ...process.env, ...env },
    timeout: 60_000,
  }).then((r) => r.stdout);
}

test('two processes failing the same workflow at the same moment produce one alert', async (t) => {
  const db = await freshDatabase();
  t.after(() => db.drop());
  const body = `
    const engine = createPolicyEngine({ ...defaultPolicy, storm: { ...defaultPolicy.storm, holdSeconds: 0 } });
    const execution = JSON.parse(process.env.EXECUTION);
    execution.startedAt = new Date(execution.startedAt);
    const r = await db.applyExecutionToState(pool, execution, engine, new Date(process.env.NOW), { willRetry: false });
    return r.alerts.map((a) => a.alert.kind);`;
  const startAt = String(Date.now() + 2000);
  const run = (runId: string) => {
    const execution = attempt(0, 'failed', { runId });
    return insertExecutions(db.pool, [execution]).then(() =>
      inChildProcess(body, {
        URL: db.url,
        START_AT: startAt,
        NOW: at(0).toISOString(),
        EXECUTION: JSON.stringify(execution),
      }),
    );
  };
  const outputs = await Promise.all([run('process-a'), run('process-b')]);
  assert.deepEqual(
    outputs.flatMap((o) => JSON.parse(o) as string[]),
    ['failure'],
  );
  assert.equal((await getAlertState(db.pool, 'user-login'))?.consecutiveFailures, 2);
});

test('the 11th alert within an hour is throttled across two separate processes', async (t) => {
  const db = await freshDatabase();
  t.after(() => db.drop());
  const body = `
    const summary = { kind: 'failure', priority: 'high', workflowId: 'w', runId: null, title: 't', message: 'm' };
    const rule = throttleRule({ maxPerHour: 10, maxPerDay: 100 });
    const out = await Promise.all(Array.from({ length: 6 }, () => db.claimThrottleSlot(pool, 'pagerduty', new Date(process.env.NOW), rule, summary)));
    return out.map((v) => v.throttled);`;
  const env = { URL: db.url, START_AT: String(Date.now() + 2000), NOW: at(0).toISOString() };
  const outputs = await Promise.all([inChildProcess(body, env), inChildProcess(body, env)]);
  const throttled = outputs.flatMap((o) => JSON.parse(o) as boolean[]);
  assert.equal(throttled.length, 12);
  assert.equal(throttled.filter(Boolean).length, 2);
  const logs = await getNotificationLogs(db.pool, { channel: 'pagerduty' });
  assert.deepEqual(
    logs.map((l) => [l.throttled, l.sent]),
    [
      [true, false],
      [true, false],
    ],
  );
});

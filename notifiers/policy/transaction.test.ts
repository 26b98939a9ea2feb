// The policy's transaction against a real PostgreSQL: one decision per moment, whatever runs
// together (two runs, two pools, two processes, a replay), and held alerts leave in order.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { databaseAndSecondPool, freshDatabase } from '../../test/helpers/db.ts';
import { at, attempt, defaultPolicy, inChildProcess, kinds, noHold } from '../../test/helpers/alert-policy.ts';
import { createPolicyEngine } from './engine.ts';
import { insertExecutions } from '../../db/tables/executions.ts';
import { getWorkflowStates } from '../../db/tables/workflow-states.ts';
import { getAlertState } from '../../db/alert-rows.ts';
import { applyExecutionToState, releaseHeldAlerts } from './transaction.ts';

test('two runs failing the same workflow at the same moment produce one alert, also through a storm hold', async (t) => {
  const { db, other } = await databaseAndSecondPool(t);
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
  const { db, other } = await databaseAndSecondPool(t);
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

// Quorum across locations against a real PostgreSQL: observations carry their location, the
// state row records who fails and who passes, and results of two locations applied at the same
// moment (two pools, two processes) decide one alert.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'slonik';
import { z } from 'zod';
import { databaseAndSecondPool, freshDatabase } from '../../test/helpers/db.ts';
import { at, attempt, inChildProcess, kinds, noHold } from '../../test/helpers/alert-policy.ts';
import { createPolicyEngine } from './engine.ts';
import { insertExecutions } from '../../db/tables/executions.ts';
import { getAlertState } from '../../db/alert-rows.ts';
import { applyExecutionToState } from './transaction.ts';

const from = (location: string, minutes: number, status: 'passed' | 'failed') =>
  attempt(minutes, status, { runId: `${location}-${minutes}`, location });

test('two locations failing at the same moment through two pools: one "failing from" notice, then one DOWN naming both', async (t) => {
  const { db, other } = await databaseAndSecondPool(t);
  const engine = createPolicyEngine(noHold);
  const apply = (pool: typeof other, e: ReturnType<typeof from>, m: number) =>
    applyExecutionToState(pool, e, engine, at(m), { willRetry: false });
  const runs = [from('eu', 0, 'passed'), from('us', 0, 'passed'), from('eu', 5, 'failed'), from('us', 5, 'failed')];
  await insertExecutions(db.pool, runs);
  for (const e of runs.slice(0, 2)) assert.deepEqual((await apply(db.pool, e, 0)).alerts, []);
  const both = await Promise.all([apply(db.pool, runs[2]!, 5), apply(other, runs[3]!, 5)]);
  const alerts = both.flatMap((r) => r.alerts);
  assert.deepEqual(
    kinds(alerts).sort(),
    ['failure', 'partial'],
    'whichever came first is "failing from", the other DOWN',
  );
  const down = alerts.find((a) => a.alert.kind === 'failure');
  assert.deepEqual(down?.alert.locations, { failing: ['eu', 'us'], passing: [] });
  assert.deepEqual(down?.channels, ['slack', 'pagerduty']);
  assert.deepEqual(alerts.find((a) => a.alert.kind === 'partial')?.channels, ['email'], 'low priority: no page');
  const state = await getAlertState(db.pool, 'user-login');
  assert.equal(state?.state, 'down');
  assert.deepEqual(state?.failingLocations, ['eu', 'us']);
  assert.equal(state?.partialSince, null);
  const stored = await db.pool.anyFirst(
    sql.type(z.object({ location: z.string() }))`SELECT location FROM alert_observations ORDER BY seq`,
  );
  assert.deepEqual([...stored].sort(), ['eu', 'eu', 'us', 'us'], 'each observation with its location');
});

test('two processes applying results of two locations at the same moment produce one DOWN alert, then one recovery', async (t) => {
  const db = await freshDatabase();
  t.after(() => db.drop());
  const engine = createPolicyEngine(noHold);
  // us already fails alone: "failing from us", noticed once, recorded on the state row.
  const before = [from('eu', 0, 'passed'), from('us', 0, 'failed')];
  await insertExecutions(db.pool, before);
  const first = [];
  for (const e of before)
    first.push(...(await applyExecutionToState(db.pool, e, engine, at(0), { willRetry: false })).alerts);
  assert.deepEqual(kinds(first), ['partial']);
  assert.equal(first[0]?.alert.title, 'Failing from us: User Login');
  const partial = await getAlertState(db.pool, 'user-login');
  assert.equal(partial?.state, 'up');
  assert.deepEqual([partial?.failingLocations, partial?.passingLocations], [['us'], ['eu']]);
  assert.ok(partial?.partialSince, 'failing from us is recorded');

  const body = `
    const engine = createPolicyEngine({ ...defaultPolicy, storm: { ...defaultPolicy.storm, holdSeconds: 0 } });
    const execution = JSON.parse(process.env.EXECUTION);
    execution.startedAt = new Date(execution.startedAt);
    const r = await db.applyExecutionToState(pool, execution, engine, new Date(process.env.NOW), { willRetry: false });
    return r.alerts.map((a) => ({ kind: a.alert.kind, locations: a.alert.locations }));`;
  const inTwoProcesses = async (executions: ReturnType<typeof from>[], minutes: number) => {
    await insertExecutions(db.pool, executions);
    const startAt = String(Date.now() + 2000);
    const outputs = await Promise.all(
      executions.map((e) =>
        inChildProcess(body, {
          URL: db.url,
          START_AT: startAt,
          NOW: at(minutes).toISOString(),
          EXECUTION: JSON.stringify(e),
        }),
      ),
    );
    return outputs.flatMap((o) => JSON.parse(o) as Array<{ kind: string; locations: unknown }>);
  };
  assert.deepEqual(await inTwoProcesses([from('eu', 5, 'failed'), from('us', 5, 'failed')], 5), [
    { kind: 'failure', locations: { failing: ['eu', 'us'], passing: [] } },
  ]);
  assert.equal((await getAlertState(db.pool, 'user-login'))?.state, 'down');
  const recovered = await inTwoProcesses([from('eu', 10, 'passed'), from('us', 10, 'passed')], 10);
  assert.deepEqual(
    recovered.map((r) => r.kind),
    ['recovery'],
  );
  const after = await getAlertState(db.pool, 'user-login');
  assert.equal(after?.state, 'up');
  assert.deepEqual([after?.failingLocations, after?.passingLocations, after?.partialSince], [[], ['eu', 'us'], null]);
});

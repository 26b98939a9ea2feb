// /metrics (issue 12.17 and 14.10): names carry the prefix once, per-workflow gauges come from
// the database (up by the alert policy, last duration in seconds), runs are counted once by
// their final outcome, and a token guards the endpoint when set (the daemon sets METRICS_TOKEN,
// else DASHBOARD_TOKEN, which is required off loopback).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getExecutions } from '../db/tables/execution-queries.ts';
import { insertExecutions } from '../db/tables/executions.ts';
import { upsertWorkflowState } from '../db/tables/workflow-states.ts';
import { executionRecord, freshDatabase } from '../test/helpers/db.ts';
import { productListing } from '../test/helpers/records.ts';
import { loadSchedulerConfig } from './config.ts';
import { createHttpServer } from './http-server.ts';
import { createMetrics, finalOutcomes } from './metrics.ts';
import { addDaemonRoutes } from './routes.ts';

test('/metrics: single prefix, per-workflow gauges from the database, runs by final outcome, token', async (t) => {
  const db = await freshDatabase();
  t.after(() => db.drop());
  const now = Date.now();
  await insertExecutions(db.pool, [
    executionRecord({ runId: 'r1', startedAt: new Date(now - 120_000), durationMs: 2500 }),
    executionRecord({
      runId: 'r1',
      ...productListing,
      startedAt: new Date(now - 110_000),
      status: 'failed',
      outcome: 'unexpected',
    }),
    executionRecord({
      runId: 'r1',
      ...productListing,
      retry: 1,
      startedAt: new Date(now - 100_000),
      status: 'passed',
      outcome: 'flaky',
      durationMs: 4000,
    }),
    executionRecord({
      runId: 'r1',
      testId: 'hc',
      workflowId: 'health-check',
      name: 'Health Check',
      priority: 'critical',
      startedAt: new Date(now - 90_000),
      status: 'failed',
      outcome: 'unexpected',
      durationMs: 300,
    }),
  ]);
  await upsertWorkflowState(db.pool, {
    workflowId: 'health-check',
    state: 'down',
    since: new Date(now - 90_000),
    consecutiveFailures: 1,
    consecutivePasses: 0,
    lastAlertAt: null,
    lastExecutionAt: new Date(now - 90_000),
    details: {},
  });
  const metrics = createMetrics({ pool: () => db.pool });
  for (const run of finalOutcomes(await getExecutions(db.pool, { runId: 'r1', limit: 100 }))) metrics.runs.inc(run);

  const token = loadSchedulerConfig({ MONITOR_HTTP_HOST: '0.0.0.0', DASHBOARD_TOKEN: 'dash-secret' }).metricsToken;
  assert.equal(token, 'dash-secret', 'off loopback /metrics falls back to the dashboard token');
  assert.equal(loadSchedulerConfig({ DASHBOARD_TOKEN: 'd', METRICS_TOKEN: 'm' }).metricsToken, 'm');
  assert.equal(loadSchedulerConfig({}).metricsToken, null, 'open on loopback without tokens');
  assert.throws(
    () => loadSchedulerConfig({ MONITOR_HTTP_HOST: '0.0.0.0', METRICS_TOKEN: 'm' }),
    /DASHBOARD_TOKEN: required/,
  );

  const server = createHttpServer();
  addDaemonRoutes(server, {
    health: {
      startedAt: new Date(),
      lastTickAt: new Date(),
      lastTickError: null,
      databaseReachable: true,
      enabled: true,
      workflows: 3,
      running: 0,
      stopping: false,
    },
    staleMs: 60_000,
    metrics,
    metricsToken: token,
  });
  const { port } = await server.listen(0, '127.0.0.1');
  t.after(() => server.close());
  const url = `http://127.0.0.1:${port}/metrics`;
  assert.equal((await fetch(url)).status, 401, 'no token, no metrics');
  assert.equal((await fetch(url, { headers: { authorization: 'Bearer wrong' } })).status, 401);
  assert.equal((await fetch(`http://127.0.0.1:${port}/healthz`)).status, 200, '/healthz stays open for probes');
  const res = await fetch(url, { headers: { authorization: 'Bearer dash-secret' } });
  assert.equal(res.status, 200);
  const text = await res.text();

  assert.doesNotMatch(text, /workflow_monitor_process_process_/);
  assert.match(text, /^workflow_monitor_process_cpu_user_seconds_total \d/m);
  assert.match(text, /^workflow_monitor_nodejs_heap_size_used_bytes \d/m);
  const names = [...text.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map((m) => ({ name: m[1]!, type: m[2]! }));
  for (const { name, type } of names) {
    assert.match(name, /^workflow_monitor_[a-z0-9_]+$/, name);
    assert.doesNotMatch(name.replace(/^workflow_monitor_/, ''), /workflow_monitor/, `${name}: prefix once`);
    if (type === 'counter') assert.match(name, /_total$/, `${name}: a counter ends in _total`);
    // prom-client's own nodejs_active_*_total gauges are its naming, not ours.
    else if (!/^workflow_monitor_(nodejs|process)_/.test(name))
      assert.doesNotMatch(name, /_total$/, `${name}: only counters end in _total`);
  }
  assert.match(text, /^workflow_monitor_workflow_up\{workflow="user-login",priority="critical"\} 1$/m);
  assert.match(text, /^workflow_monitor_workflow_up\{workflow="product-listing",priority="high"\} 1$/m);
  assert.match(
    text,
    /^workflow_monitor_workflow_up\{workflow="health-check",priority="critical"\} 0$/m,
    'DOWN by the policy',
  );
  assert.match(text, /^workflow_monitor_workflow_last_duration_seconds\{workflow="user-login"\} 2\.5$/m);
  assert.match(text, /^workflow_monitor_workflow_last_duration_seconds\{workflow="product-listing"\} 4$/m);
  assert.match(
    text,
    /^workflow_monitor_workflow_runs_total\{workflow="product-listing",outcome="flaky"\} 1$/m,
    'one run, flaky, not a failure and a pass',
  );
  assert.doesNotMatch(text, /workflow_runs_total\{workflow="product-listing",outcome="failed"\}/);
  assert.match(text, /^workflow_monitor_workflow_runs_total\{workflow="health-check",outcome="failed"\} 1$/m);
  assert.match(text, /^workflow_monitor_workflow_runs_total\{workflow="user-login",outcome="passed"\} 1$/m);
});

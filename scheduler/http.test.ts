import { test } from 'node:test';
import assert from 'node:assert/strict';
import { healthReport, type HealthState } from './health.ts';
import { createHttpServer } from './http-server.ts';
import { createMetrics } from './metrics.ts';
import { addDaemonRoutes } from './routes.ts';

const state = (over: Partial<HealthState> = {}): HealthState => ({
  startedAt: new Date(Date.now() - 600_000),
  lastTickAt: new Date(),
  lastTickError: null,
  databaseReachable: true,
  enabled: true,
  workflows: 6,
  running: 0,
  stopping: false,
  ...over,
});

test('health: 200 while ticks are fresh, 503 once the loop stalls or the daemon stops', () => {
  const now = new Date();
  assert.equal(healthReport(state(), now, 60_000).status, 200);
  const stale = healthReport(
    state({
      lastTickAt: new Date(now.getTime() - 61_000),
      lastTickError: 'database unreachable',
      databaseReachable: false,
    }),
    now,
    60_000,
  );
  assert.equal(stale.status, 503);
  assert.equal(stale.body.status, 'stale');
  assert.equal(stale.body.databaseReachable, false);
  assert.equal(healthReport(state({ stopping: true }), now, 60_000).status, 503);
});

test('health: a spec file that does not load is degraded (still 200) with the reason', () => {
  const now = new Date();
  assert.deepEqual(healthReport(state(), now, 60_000).body.problems, []);
  const r = healthReport(
    state({ brokenSpecs: ['workflows/x.spec.ts does not load and its workflows do not run: bad'] }),
    now,
    60_000,
  );
  assert.equal(r.status, 200);
  assert.equal(r.body.status, 'degraded');
  assert.deepEqual(r.body.problems, ['workflows/x.spec.ts does not load and its workflows do not run: bad']);
});

test('/healthz and /metrics over HTTP; routes can be added; /metrics is Prometheus text', async (t) => {
  const server = createHttpServer();
  const health = state();
  const metrics = createMetrics();
  addDaemonRoutes(server, { health, staleMs: 60_000, metrics });
  server.addRoute('GET', '/extra', () => ({ body: 'added later' }));
  const { port } = await server.listen(0, '127.0.0.1');
  t.after(() => server.close());
  const base = `http://127.0.0.1:${port}`;
  assert.equal((await fetch(`${base}/healthz`)).status, 200);
  health.lastTickAt = new Date(Date.now() - 120_000);
  const res = await fetch(`${base}/healthz`);
  assert.equal(res.status, 503);
  assert.equal(((await res.json()) as { status: string }).status, 'stale');
  assert.equal(await (await fetch(`${base}/extra`)).text(), 'added later');
  assert.equal((await fetch(`${base}/nope`)).status, 404);
  metrics.executions.inc({ workflow: 'user-login', status: 'passed' });
  metrics.pipelineFailures.inc({ reason: 'crash' });
  metrics.executionDuration.observe({ workflow: 'user-login' }, 3.2);
  const text = await (await fetch(`${base}/metrics`)).text();
  // Prometheus text exposition: HELP/TYPE lines and `name{labels} value` samples, nothing else.
  for (const line of text.split('\n').filter(Boolean)) {
    assert.match(
      line,
      /^(# (HELP|TYPE) \w+ .+|[a-zA-Z_:][\w:]*(\{[^}]*\})? -?[\d.e+-]+|[a-zA-Z_:][\w:]*(\{[^}]*\})? (NaN|\+Inf|-Inf))$/,
      line,
    );
  }
  assert.match(text, /workflow_monitor_executions_total\{workflow="user-login",status="passed"\} 1/);
  assert.match(text, /workflow_monitor_pipeline_failures_total\{reason="crash"\} 1/);
  assert.match(text, /workflow_monitor_execution_duration_seconds_bucket\{le="5",workflow="user-login"\} 1/);
});

// Issue 16: a real `playwright test` run recorded by the monitor reporter with MONITOR_LOCATION
// stores that location on every row it writes (run, execution, step, metrics, health, and the
// notification of its failure), and a bad name is a configuration error naming the variable.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'slonik';
import { z } from 'zod';
import { freshDatabase } from './helpers/db.ts';
import { specDir, tempDir } from './helpers/daemon-harness.ts';
import { removeRun, runPlaywright } from './helpers/playwright-run.ts';
import { startHttpSink } from './sinks/http-sink.ts';

const spec = (id: string, fail: boolean) => `import { test } from '@playwright/test';
import { workflow } from '../fixtures/workflow.ts';
test('${id}', workflow({ id: '${id}', priority: 'critical', schedule: '*/5 * * * *' }), async ({}, testInfo) => {
  await test.step('Open the page', async () => {
    await testInfo.attach('workflow-metrics', { body: JSON.stringify({ ttfbMs: 12 }), contentType: 'application/json' });
    await testInfo.attach('health-payload', {
      body: JSON.stringify({ httpStatus: 200, responseTimeMs: 5, payload: { status: 'healthy' } }),
      contentType: 'application/json',
    });
  });
  ${fail ? "await test.step('Check the total', async () => { throw new Error('total is wrong'); });" : ''}
});
`;

const byLocation = z.object({ t: z.string(), location: z.string(), n: z.number() });

test('a run with MONITOR_LOCATION=eu-west stores eu-west on its run, execution, step, metrics, health and notification rows', async () => {
  const db = await freshDatabase();
  const suite = await specDir({
    'loc-pass.spec.ts': spec('loc-pass', false),
    'loc-fail.spec.ts': spec('loc-fail', true),
  });
  const state = await tempDir('wm-loc-state-');
  const sink = await startHttpSink();
  try {
    const run = await runPlaywright(
      ['test', '--retries=0', '--workers=1'],
      {
        DATABASE_URL: db.url,
        MONITOR_STATE_DIR: state.dir,
        MONITOR_WORKFLOWS_DIR: suite.dir,
        MONITOR_LOCATION: 'eu-west',
        MONITOR_RUN_ID: 'run_loc_1',
        ALERT_POLICY: JSON.stringify({ storm: { holdSeconds: 0 } }),
        ALERT_WEBHOOK_URL: sink.url,
        BASE_URL: 'http://127.0.0.1:9',
        CI: '',
      },
      { monitor: true, timeoutMs: 120_000 },
    );
    try {
      assert.equal(run.code, 1, `one workflow fails:\n${run.stderr}`);
      const rows = await db.pool.any(sql.type(byLocation)`
        SELECT t, location, count(*)::int AS n FROM (
          SELECT 'runs' AS t, location FROM monitor_runs
          UNION ALL SELECT 'executions', location FROM workflow_executions
          UNION ALL SELECT 'steps', location FROM workflow_steps
          UNION ALL SELECT 'metrics', location FROM workflow_metrics
          UNION ALL SELECT 'health', location FROM system_health_checks
          UNION ALL SELECT 'notifications', location FROM notification_logs
        ) x GROUP BY t, location ORDER BY t, location`);
      assert.deepEqual(
        rows.map((r) => [r.t, r.location, r.n]),
        [
          ['executions', 'eu-west', 2],
          ['health', 'eu-west', 2],
          ['metrics', 'eu-west', 2],
          ['notifications', 'eu-west', 1],
          ['runs', 'eu-west', 1],
          ['steps', 'eu-west', 3],
        ],
      );
      assert.equal(sink.requests.length, 1, 'the failure went to the webhook');
    } finally {
      await removeRun(run);
    }
  } finally {
    await sink.close();
    await Promise.all([suite.remove(), state.remove(), db.drop()]);
  }
});

test('a MONITOR_LOCATION that is not a location name stops the run with one line naming the variable, exit 2', async () => {
  const suite = await specDir({ 'loc-x.spec.ts': spec('loc-x', false) });
  try {
    const run = await runPlaywright(
      ['test'],
      { MONITOR_WORKFLOWS_DIR: suite.dir, MONITOR_LOCATION: 'EU West' },
      { monitor: true, timeoutMs: 60_000 },
    );
    try {
      assert.equal(run.code, 2, run.stdout + run.stderr);
      assert.match(run.stdout + run.stderr, /MONITOR_LOCATION: must be a location name/);
    } finally {
      await removeRun(run);
    }
  } finally {
    await suite.remove();
  }
});

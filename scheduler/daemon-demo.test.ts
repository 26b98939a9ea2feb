// The daemon as `npm start` runs it, on the real workflows: no BASE_URL (Playwright's webServer
// starts the demo app for each run), MONITOR_RUN_ON_START queues every workflow at once, the
// six are coalesced into one invocation and recorded, a broken journey is alerted, and SIGTERM
// stops it with exit code 0 and leaves no demo server behind.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, connect } from 'node:net';
import { sql } from 'slonik';
import { z } from 'zod';
import { freshDatabase } from '../test/helpers/db.ts';
import { startHttpSink } from '../test/sinks/http-sink.ts';
import { invocations, startDaemonProcess, tempDir } from './testing/harness.ts';

const freePort = () => new Promise<number>((resolve, reject) => {
  const s = createServer();
  s.once('error', reject);
  s.listen(0, '127.0.0.1', () => {
    const { port } = s.address() as { port: number };
    s.close(() => resolve(port));
  });
});
const listening = (port: number) => new Promise<boolean>((resolve) => {
  const c = connect(port, '127.0.0.1');
  c.once('connect', () => { c.destroy(); resolve(true); });
  c.once('error', () => resolve(false));
});

test('run on start: the six real workflows in one invocation against the demo app, recorded and alerted; SIGTERM leaves nothing behind', { timeout: 240_000 }, async (t) => {
  const db = await freshDatabase();
  const sink = await startHttpSink();
  const state = await tempDir('wm-daemon-demo-');
  const demoPort = await freePort();
  const daemon = await startDaemonProcess({
    DATABASE_URL: db.url, MONITOR_STATE_DIR: state.dir, BASE_URL: '', DEMO_PORT: String(demoPort), DEMO_FAULTS: 'login-broken',
    MONITOR_RUN_ON_START: 'true', MONITOR_TICK_SECONDS: '1', MONITOR_HOUSEKEEPING: 'false', MONITOR_RETRIES: '0', MONITOR_REPORTER: '',
    ALERT_WEBHOOK_URL: sink.urlFor('/hook'), ALERT_ROUTES: 'critical=webhook', ALERT_POLICY: JSON.stringify({ storm: { holdSeconds: 0 } }),
  });
  t.after(async () => { await daemon.destroy(); await sink.close(); await state.remove(); await db.drop(); });

  const [ended] = await daemon.waitFor(/run \S+ ended/, 180_000);
  const first = invocations(daemon.lines)[0]!;
  assert.deepEqual([...first.workflowIds].sort(),
    ['farm-creation', 'health-check', 'order-placement', 'product-listing', 'user-login', 'user-registration'], daemon.lines.join('\n'));
  assert.ok(ended!.includes(first.runId), ended);
  const rows = await db.pool.any(sql.type(z.object({ workflowId: z.string(), status: z.string() }))`
    SELECT workflow_id AS "workflowId", status FROM workflow_executions WHERE run_id = ${first.runId} ORDER BY workflow_id`);
  // login-broken breaks every journey that signs in; the health check and the listing pass.
  assert.deepEqual(rows.map((r) => `${r.workflowId}:${r.status}`), [
    'farm-creation:failed', 'health-check:passed', 'order-placement:failed', 'product-listing:passed', 'user-login:failed', 'user-registration:failed',
  ]);
  const trigger = await db.pool.oneFirst(sql.type(z.object({ trigger: z.string() }))`SELECT trigger FROM monitor_runs WHERE run_id = ${first.runId}`);
  assert.equal(trigger, 'schedule');
  await sink.waitForRequests(1, 20_000);
  assert.ok(sink.requests.some((r) => r.body.includes('User Login')), sink.requests.map((r) => r.body.slice(0, 200)).join('\n'));

  daemon.signal('SIGTERM');
  assert.equal(await daemon.exited, 0, daemon.lines.slice(-30).join('\n'));
  assert.equal(await listening(demoPort), false, 'the demo server went with its run');
});

// The daemon as `npm start` runs it, on the real workflows: no BASE_URL (Playwright's webServer
// starts the demo app for each run), MONITOR_RUN_ON_START queues every workflow at once, the
// six are coalesced into one invocation and recorded, a broken journey is alerted, and SIGTERM
// stops it with exit code 0 and leaves no demo server behind. Then, on 10-second schedules: each
// workflow on time for several cycles, a slow listing never overlapping itself, and SIGKILL
// mid-run taking the run's browsers with it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'slonik';
import { z } from 'zod';
import { freshDatabase } from '../test/helpers/db.ts';
import { freePort, portOpen } from '../test/helpers/net.ts';
import { startHttpSink } from '../test/sinks/http-sink.ts';
import { readFileSync } from 'node:fs';
import { descendants, isAlive } from './process-tree.ts';
import { invocations, quickDaemon, startDaemonProcess, tempDir } from '../test/helpers/daemon-harness.ts';

const commandOf = (pid: number) => {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return '';
  }
};

test(
  'run on start: the six real workflows in one invocation against the demo app, recorded and alerted; SIGTERM leaves nothing behind',
  { timeout: 240_000 },
  async (t) => {
    const db = await freshDatabase();
    const sink = await startHttpSink();
    const state = await tempDir('wm-daemon-demo-');
    const demoPort = await freePort();
    const daemon = await startDaemonProcess({
      DATABASE_URL: db.url,
      MONITOR_STATE_DIR: state.dir,
      BASE_URL: '',
      DEMO_PORT: String(demoPort),
      DEMO_FAULTS: 'login-broken',
      MONITOR_RUN_ON_START: 'true',
      ...quickDaemon,
      ALERT_WEBHOOK_URL: sink.urlFor('/hook'),
      ALERT_ROUTES: 'critical=webhook',
      ALERT_POLICY: JSON.stringify({ storm: { holdSeconds: 0 } }),
      HEARTBEAT_URL: sink.urlFor('/heartbeat'),
    });
    t.after(async () => {
      await daemon.destroy();
      await sink.close();
      await state.remove();
      await db.drop();
    });

    const [ended] = await daemon.waitFor(/run \S+ ended/, 180_000);
    const first = invocations(daemon.lines)[0]!;
    assert.deepEqual(
      [...first.workflowIds].sort(),
      ['farm-creation', 'health-check', 'order-placement', 'product-listing', 'user-login', 'user-registration'],
      daemon.lines.join('\n'),
    );
    assert.ok(ended!.includes(first.runId), ended);
    const rows = await db.pool.any(sql.type(z.object({ workflowId: z.string(), status: z.string() }))`
    SELECT workflow_id AS "workflowId", status FROM workflow_executions WHERE run_id = ${first.runId} ORDER BY workflow_id`);
    // login-broken breaks every journey that signs in; the health check and the listing pass.
    assert.deepEqual(
      rows.map((r) => `${r.workflowId}:${r.status}`),
      [
        'farm-creation:failed',
        'health-check:passed',
        'order-placement:failed',
        'product-listing:passed',
        'user-login:failed',
        'user-registration:failed',
      ],
    );
    const trigger = await db.pool.oneFirst(
      sql.type(z.object({ trigger: z.string() }))`SELECT trigger FROM monitor_runs WHERE run_id = ${first.runId}`,
    );
    assert.equal(trigger, 'schedule');
    await sink.waitForRequests(1, 60_000);
    const hooks = sink.requests.filter((r) => r.path === '/hook');
    assert.ok(
      hooks.some((r) => r.body.includes('User Login')),
      hooks.map((r) => r.body.slice(0, 200)).join('\n'),
    );
    assert.ok(
      sink.requests.some((r) => r.method === 'GET' && r.path === '/heartbeat'),
      'HEARTBEAT_URL pinged after healthy ticks',
    );

    daemon.signal('SIGTERM');
    assert.equal(await daemon.exited, 0, daemon.lines.slice(-30).join('\n'));
    assert.equal(await portOpen(demoPort), false, 'the demo server the daemon hosted went with it');
  },
);

test(
  "10-second schedules on the real workflows: on time for several cycles, a slow listing never overlaps itself, SIGKILL takes the run's browsers",
  { timeout: 300_000 },
  async (t) => {
    const db = await freshDatabase();
    const state = await tempDir('wm-daemon-demo-');
    const never = '0 0 1 1 *';
    const daemon = await startDaemonProcess({
      DATABASE_URL: db.url,
      MONITOR_STATE_DIR: state.dir,
      BASE_URL: '',
      DEMO_PORT: String(await freePort()),
      DEMO_FAULTS: 'slow-products:8000',
      MONITOR_ALLOW_SECOND_CRON: 'true',
      MONITOR_SCHEDULE_HEALTH_CHECK: '*/10 * * * * *',
      MONITOR_SCHEDULE_PRODUCT_LISTING: '5-59/10 * * * * *',
      MONITOR_SCHEDULE_USER_LOGIN: never,
      MONITOR_SCHEDULE_USER_REGISTRATION: never,
      MONITOR_SCHEDULE_FARM_CREATION: never,
      MONITOR_SCHEDULE_ORDER_PLACEMENT: never,
      MONITOR_CONCURRENCY: '2',
      ...quickDaemon,
      MONITOR_CATCH_UP_SECONDS: '0',
    });
    t.after(async () => {
      await daemon.destroy();
      await state.remove();
      await db.drop();
    });

    // The listing answers after 8 s, so a run (browser start included) outlasts its 10-second
    // interval; the health check, 5 s apart from it, runs beside it (concurrency 2).
    const executions = sql.type(z.object({ workflowId: z.string(), startedAt: z.date(), durationMs: z.number() }))`
    SELECT workflow_id AS "workflowId", started_at AS "startedAt", duration_ms AS "durationMs" FROM workflow_executions ORDER BY started_at`;
    let rows = await db.pool.any(executions);
    const of = (id: string) => rows.filter((r) => r.workflowId === id);
    for (
      const deadline = Date.now() + 180_000;
      (of('product-listing').length < 2 || of('health-check').length < 3) && Date.now() < deadline;
    ) {
      await new Promise((r) => setTimeout(r, 1_000));
      rows = await db.pool.any(executions);
    }
    const listing = of('product-listing');
    const health = of('health-check');
    assert.ok(listing.length >= 2 && health.length >= 3, JSON.stringify(rows));
    const listingRuns = new Set(
      invocations(daemon.lines)
        .filter((r) => r.workflowIds.includes('product-listing'))
        .map((r) => r.runId),
    );
    const listingSeconds = daemon.lines.flatMap((l) => {
      const m = /run (\S+) ended: .*, (\d+) s/.exec(l);
      return m && listingRuns.has(m[1]!) ? [Number(m[2])] : [];
    });
    assert.ok(
      listingSeconds.some((sec) => sec >= 10),
      `a listing run outlasts its 10-second interval: ${listingSeconds.join(', ')} s`,
    );
    for (let i = 1; i < listing.length; i++) {
      const prevEnd = listing[i - 1]!.startedAt.getTime() + listing[i - 1]!.durationMs;
      assert.ok(listing[i]!.startedAt.getTime() >= prevEnd, `listing runs overlap: ${JSON.stringify(listing)}`);
    }
    // Never blocked by the slow listing (concurrency 2): a health check starts while a listing run is
    // in flight. Read from the order of the daemon's lines, not from a clock (the machine may be loaded).
    let listingInFlight = 0;
    let healthBesideListing = 0;
    for (const l of daemon.lines) {
      const started = /run (\S+) started \(pid [^:]*\): (.+)$/.exec(l);
      if (started && listingRuns.has(started[1]!)) listingInFlight++;
      else if (started && started[2] === 'health-check' && listingInFlight > 0) healthBesideListing++;
      const ended = /run (\S+) ended: /.exec(l);
      if (ended && listingRuns.has(ended[1]!)) listingInFlight--;
    }
    assert.ok(
      healthBesideListing >= 1,
      `no health check started while a listing run was in flight:\n${daemon.lines.join('\n')}`,
    );
    // And on time within a bound that only a blocked or stalled scheduler exceeds (3 intervals).
    const lags = daemon.lines.flatMap((l) =>
      /started .*lag (\d+) ms\): health-check$/.exec(l) ? [Number(/lag (\d+) ms/.exec(l)![1])] : [],
    );
    assert.ok(lags.length >= 1 && lags.every((ms) => ms < 30_000), `health-check lags: ${lags.join(', ')}`);

    // SIGKILL while the listing runs: the run guard stops the run, browsers included.
    const count = invocations(daemon.lines).length;
    const started = (
      await daemon.waitFor(
        /run \S+ started \(pid \d+.*product-listing/,
        60_000,
        daemon.lines.filter((l) => /started \(pid \d+.*product-listing/.test(l)).length + 1,
      )
    ).at(-1);
    assert.ok(invocations(daemon.lines).length > count);
    const guardPid = Number(/pid (\d+)/.exec(started!)![1]);
    let tree: number[] = [];
    // Up to 60 s: on a loaded machine Playwright takes a while to load and launch its browser.
    for (let i = 0; i < 240 && !tree.some((p) => /chrom/i.test(commandOf(p))); i++) {
      await new Promise((r) => setTimeout(r, 250));
      tree = descendants(guardPid).map((p) => p.pid);
    }
    assert.ok(
      tree.some((p) => /chrom/i.test(commandOf(p))),
      `a browser is running under the run: ${started}`,
    );
    daemon.signal('SIGKILL');
    await daemon.exited;
    const deadline = Date.now() + 30_000;
    while ([guardPid, ...tree].some(isAlive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
    assert.deepEqual([guardPid, ...tree].filter(isAlive), [], "nothing of the killed daemon's run is left");
  },
);

// Capacity you can see (issue 18 part 4), end to end: two workflows whose recorded durations (10
// minutes) are far longer than their 20-second schedule, on a daemon with one worker. The daemon
// says so in /healthz and /metrics, splits their due slot into one invocation each, and sends one
// warning alert for the episode, not one per check.
import { test } from 'node:test';
import { chromium } from '@playwright/test';
import { chromiumArgs, resolveChromium } from '../fixtures/browser.ts';
import assert from 'node:assert/strict';
import { insertExecutions } from '../db/tables/executions.ts';
import { upsertRun } from '../db/tables/runs.ts';
import { executionRecord } from '../test/helpers/db.ts';
import { runRecord } from '../test/helpers/records.ts';
import { trivialSpec } from '../test/helpers/daemon-harness.ts';
import { daemonRig } from '../test/helpers/rig.ts';

test(
  'an over-full schedule: /healthz and /metrics show the capacity ratio, due work is split, one warning alert',
  { timeout: 150_000 },
  async (t) => {
    const ids = ['hog-a', 'hog-b'];
    const { db, sink, start } = await daemonRig(t, {
      sink: {},
      specs: Object.fromEntries(ids.map((id) => [`${id}.spec.ts`, trivialSpec({ id })])),
      secondCron: true,
    });
    await upsertRun(db.pool, runRecord({ runId: 'seed-run', startedAt: new Date(Date.now() - 3_600_000) }));
    await insertExecutions(
      db.pool,
      ids.flatMap((id) =>
        Array.from({ length: 10 }, (_, i) =>
          executionRecord({
            runId: 'seed-run',
            testId: `${id}-${i}`,
            workflowId: id,
            tags: [`@${id}`],
            startedAt: new Date(Date.now() - 3_600_000 + i * 60_000),
            durationMs: 600_000,
          }),
        ),
      ),
    );
    const daemon = await start({
      MONITOR_SCHEDULE_HOG_A: '*/20 * * * * *',
      MONITOR_SCHEDULE_HOG_B: '*/20 * * * * *',
      MONITOR_WORKERS: '1',
      MONITOR_CONCURRENCY: '1',
      MONITOR_CATCH_UP_SECONDS: '0',
      ALERT_WEBHOOK_URL: sink.urlFor('/hook'),
    });

    type Capacity = {
      ratio: number;
      over: boolean;
      warning: string | null;
      workersInParallel: number;
      tooLong: string[];
    };
    const healthz = async () =>
      (await (await fetch(`http://127.0.0.1:${daemon.port}/healthz`)).json()) as { capacity: Capacity | null };
    // The HTTP server answers before the database is connected and the first check made.
    let health = await healthz();
    for (let i = 0; !health.capacity && i < 120; i++) {
      await new Promise((r) => setTimeout(r, 500));
      health = await healthz();
    }
    assert.ok(health.capacity, JSON.stringify(health));
    // 2 x 600 s every 20 s on one worker: 60x what it can run.
    assert.equal(health.capacity.over, true, JSON.stringify(health));
    assert.equal(health.capacity.ratio, 60);
    assert.equal(health.capacity.workersInParallel, 1);
    assert.deepEqual([...health.capacity.tooLong].sort(), ids);
    assert.match(health.capacity.warning ?? '', /schedules cannot be met: due work is 60\.00x/);
    const metrics = await (await fetch(`http://127.0.0.1:${daemon.port}/metrics`)).text();
    assert.match(metrics, /^workflow_monitor_capacity_ratio 60$/m);

    // The dashboard's overview shows it as a warning above the tiles.
    const resolved = resolveChromium();
    assert.ok(resolved.found, resolved.found ? '' : resolved.problem);
    const browser = await chromium.launch({ executablePath: resolved.path, args: chromiumArgs() });
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 700 } });
      await page.goto(`http://127.0.0.1:${daemon.port}/`);
      const banner = page.locator('#problems');
      await banner.getByText(/Capacity: schedules cannot be met/).waitFor({ timeout: 30_000 });
      assert.ok(await banner.isVisible());
      if (process.env.CAPACITY_SCREENSHOT) await page.screenshot({ path: process.env.CAPACITY_SCREENSHOT });
    } finally {
      await browser.close();
    }

    // Their due slot: one invocation each (neither fits in its slot with the other).
    await daemon.waitFor(
      /slot \S+: 2 workflow\(s\), about 1200 s of work, 2 invocation\(s\); some cannot finish/,
      60_000,
    );
    // Three more checks (every 10 s with 1-s ticks): still one warning for the episode.
    await daemon.waitFor(/run \S+ ended/, 60_000, 2);
    await new Promise((r) => setTimeout(r, 25_000));
    const warnings = sink.requests.filter((r) => r.body.includes('Schedules cannot be met'));
    assert.equal(warnings.length, 1, sink.requests.map((r) => r.body.slice(0, 300)).join('\n'));
    assert.match(warnings[0]!.body, /due work is 60\.00x what 1 daemon\(s\) can run/);
    assert.ok(!sink.requests.some((r) => r.body.includes('can be met again')), 'no clearing while still over');
    daemon.signal('SIGTERM');
    assert.equal(await daemon.exited, 0);
  },
);

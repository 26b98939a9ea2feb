// A hung workflow is stopped at the hard timeout (whole process tree) and recorded; Playwright
// crashing on start (a syntax error in the suite's only spec) is a pipeline failure: retried, then
// alerted once, also when each slot's retry is overtaken by the next slot.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'slonik';
import { z } from 'zod';
import { descendants } from './process-tree.ts';
import { trivialSpec } from '../test/helpers/daemon-harness.ts';
import { daemonRig } from '../test/helpers/rig.ts';
import { eventually } from '../test/acceptance/helpers/procs.ts';
import type { TestContext } from 'node:test';

/** A process's MONITOR_RUN_ID and command line ('' once it has exited; a zombie has no environment). */
function runOf(pid: number): { runId: string; cmd: string } {
  const read = (f: string) => {
    try {
      return readFileSync(`/proc/${pid}/${f}`, 'latin1').split('\0');
    } catch {
      return [];
    }
  };
  const id = read('environ').find((v) => v.startsWith('MONITOR_RUN_ID='));
  return { runId: id?.slice('MONITOR_RUN_ID='.length) ?? '', cmd: read('cmdline').join(' ').slice(0, 160) };
}

/** The hung test marks that it began (Playwright had started it) with its run's id, then sleeps. */
const hangSpec = trivialSpec({
  id: 'hang',
  body:
    "const fs = await import('node:fs'); fs.writeFileSync(`${test.info().file}.began-${process.env.MONITOR_RUN_ID}`, ''); " +
    'await new Promise((r) => setTimeout(r, 600_000));',
});

test('hard timeout stops a hung run, its whole process tree, and records it', { timeout: 480_000 }, async (t) => {
  const { db, specs, start } = await daemonRig(t, { specs: { 'hang.spec.ts': hangSpec }, secondCron: true });
  const daemon = await start({
    MONITOR_SCHEDULE_HANG: '*/20 * * * * *',
    // Long enough for Playwright to start the test on a loaded machine most of the time (it took
    // 16 s at load 20, more than 30 s at load 46: 21 s to "Running 1 test", the worker still
    // starting 9 s later); a run stopped before is checked below.
    MONITOR_RUN_TIMEOUT_SECONDS: '60',
    MONITOR_KILL_GRACE_SECONDS: '10',
    MONITOR_PIPELINE_RETRIES: '1',
    MONITOR_PIPELINE_RETRY_DELAY_SECONDS: '1',
    MONITOR_CATCH_UP_SECONDS: '0',
  });

  // While the hung run lasts, its processes are found by its MONITOR_RUN_ID (so the check below can fail).
  const [started] = await daemon.waitFor(/run \S+ started/, 60_000);
  const startedId = /run (\S+) started/.exec(started!)![1]!;
  let seen = 0;
  for (let i = 0; i < 50 && seen === 0; i++) {
    seen = descendants(daemon.pid).filter((p) => runOf(p.pid).runId === startedId).length;
    if (!seen) await new Promise((r) => setTimeout(r, 200));
  }
  assert.ok(seen > 0, `the processes of run ${startedId} carry its MONITOR_RUN_ID`);
  // The run checked is the first whose test had begun. One stopped before (Playwright still
  // starting at the hard timeout on a loaded machine: a CI at load 35) has nothing to record,
  // and says so as a pipeline failure.
  let runId = '';
  let ended = '';
  for (let k = 1; !runId; k++) {
    const line = (await daemon.waitFor(/run \S+ ended: .*stopped at the hard timeout/, 120_000, k))[k - 1]!;
    const id = /run (\S+) ended/.exec(line)![1]!;
    if (existsSync(path.join(specs.dir, `hang.spec.ts.began-${id}`))) [runId, ended] = [id, line];
    else {
      assert.match(
        line,
        /executions: 0 recorded, 0 spooled.*PIPELINE FAILURE \(timeout\)/,
        'a run stopped before its test began',
      );
      assert.ok(k < 3, `three runs in a row stopped before their test began:\n${daemon.lines.slice(-20).join('\n')}`);
    }
  }
  // Every process of a run carries its MONITOR_RUN_ID (the daemon sets it, Playwright passes it
  // on to its workers and browsers): none of this run's may be left. The daemon's other children
  // (the next slot's run on a loaded machine, a suite listing) are not this run's.
  const below = descendants(daemon.pid).map((p) => ({ pid: p.pid, ...runOf(p.pid) }));
  assert.deepEqual(
    below.filter((p) => p.runId === runId),
    [],
    `nothing of the run is left; below the daemon: ${JSON.stringify(below)}`,
  );
  // Recorded: directly, or (when the reporter's drain lost the race with the kill) through its
  // outbox, replayed by the next run. Status timedout when the daemon could mark it, else interrupted.
  const runRow = sql.type(z.object({ status: z.string() }))`SELECT status FROM monitor_runs WHERE run_id = ${runId}`;
  let run = await db.pool.maybeOne(runRow);
  for (let i = 0; !run && i < 60; i++) {
    await new Promise((r) => setTimeout(r, 1_000));
    run = await db.pool.maybeOne(runRow);
  }
  assert.ok(run && ['timedout', 'interrupted'].includes(run.status), `run ${runId}: ${JSON.stringify(run)}`);
  const rows = await db.pool.any(sql.type(z.object({ workflowId: z.string(), status: z.string() }))`
    SELECT workflow_id AS "workflowId", status FROM workflow_executions WHERE run_id = ${runId}`);
  assert.deepEqual(
    rows.map((r) => r.workflowId),
    ['hang'],
    ended,
  );
  daemon.signal('SIGTERM');
  assert.equal(await daemon.exited, 0);
});

/**
 * A daemon on a good one-spec suite that breaks after its first recorded run: the next slots load
 * a suite whose only file has a syntax error, so Playwright fails before any test runs, and no
 * file is left to run. (One broken file among good ones is not a pipeline failure: the daemon
 * reads the suite again and runs the rest, test/acceptance/broken-spec.test.ts.)
 */
async function crashingDaemon(t: TestContext, env: Record<string, string>, options: { pagerduty?: boolean } = {}) {
  const { sink, specs, start } = await daemonRig(t, {
    sink: {},
    specs: { 'crash.spec.ts': trivialSpec({ id: 'crash' }) },
    secondCron: true,
  });
  const daemon = await start({
    MONITOR_PIPELINE_RETRIES: '1',
    MONITOR_CATCH_UP_SECONDS: '0',
    ALERT_WEBHOOK_URL: sink.urlFor('/hook'),
    ALERT_ROUTES: 'critical=webhook',
    ...(options.pagerduty
      ? {
          ALERT_ROUTES: 'critical=webhook+pagerduty',
          PAGERDUTY_ROUTING_KEY: 'R0UT1NGKEY0000000000000000000000',
          PAGERDUTY_EVENTS_URL: sink.urlFor('/pd'),
        }
      : {}),
    ...env,
  });
  await daemon.waitFor(/run \S+ ended: .*executions: 1 recorded/, 120_000);
  await writeFile(
    path.join(specs.dir, 'crash.spec.ts'),
    'import { test } from "@playwright/test";\ntest("x", async () => { const = ; });\n',
  );
  const failed = (n: number) => daemon.waitFor(/PIPELINE FAILURE/, 120_000, n);
  const alerts = () =>
    sink.requests.filter((r) => r.path === '/hook' && r.body.includes('Monitoring pipeline failure'));
  /** The spec loads again: the next slot records, which ends the pipeline failure. */
  const repair = () => writeFile(path.join(specs.dir, 'crash.spec.ts'), trivialSpec({ id: 'crash' }));
  return { daemon, sink, failed, alerts, repair };
}

type PagerDutyEvent = { event_action: string; dedup_key: string; payload?: { summary: string } };

test(
  'a crashing Playwright is a pipeline failure, retried, alerted once, and resolved once it records again',
  { timeout: 420_000 },
  async (t) => {
    const { daemon, sink, failed, alerts, repair } = await crashingDaemon(
      t,
      {
        MONITOR_SCHEDULE_CRASH: '*/30 * * * * *',
        MONITOR_PIPELINE_RETRY_DELAY_SECONDS: '1',
      },
      { pagerduty: true },
    );
    await failed(2);
    // Two such lines can be two slots' first attempts (one every 30 s): on a loaded machine the
    // retry, and so the alert, may come well after the second line.
    await sink.waitForRequests(1, 90_000);
    await new Promise((r) => setTimeout(r, 2_000));
    assert.equal(
      alerts().length,
      1,
      `one alert after the last retry: ${sink.requests.map((r) => r.body.slice(0, 200)).join('\n')}`,
    );
    assert.match(alerts()[0]!.body, /critical/);
    assert.match(alerts()[0]!.body, /after 2 attempt\(s\)/, 'sent after the last retry');
    assert.match(alerts()[0]!.body, /Monitoring pipeline failure: crash\b/, 'the title names the workflow');
    const metrics = await (await fetch(`http://127.0.0.1:${daemon.port}/metrics`)).text();
    assert.match(metrics, /workflow_monitor_pipeline_failures_total\{reason="[a-z-]+"\} [2-9]/);

    // PagerDuty got the same failure as a trigger; once the spec loads again and a slot records, one
    // recovery goes to every channel, and PagerDuty resolves the incident the trigger opened.
    const pd = () => sink.requests.filter((r) => r.path === '/pd').map((r) => r.json<PagerDutyEvent>());
    await repair();
    const recovered = () =>
      sink.requests.filter((r) => r.path === '/hook' && /Monitoring pipeline recovered: crash\b/.test(r.body));
    await daemon.waitFor(/ALERT \(recovery\): Monitoring pipeline recovered: crash/, 150_000);
    assert.ok(
      await eventually(() => recovered().length >= 1 && pd().some((e) => e.event_action === 'resolve'), 30_000),
      `a recovery on both channels: ${sink.requests.map((r) => `${r.path} ${r.body.slice(0, 200)}`).join('\n')}`,
    );
    const [trigger, ...rest] = pd();
    assert.equal(trigger?.event_action, 'trigger', JSON.stringify(pd()));
    assert.match(trigger.payload?.summary ?? '', /Monitoring pipeline failure: crash/);
    assert.deepEqual(
      rest.map((e) => [e.event_action, e.dedup_key]),
      [['resolve', trigger.dedup_key]],
      'one resolve, for the incident the failure opened',
    );
    // Later recorded slots send nothing more.
    await daemon.waitFor(
      /run \S+ ended: .*executions: 1 recorded/,
      90_000,
      daemon.lines.filter((l) => /ended: .*executions: 1 recorded/.test(l)).length + 1,
    );
    assert.equal(recovered().length, 1, 'one recovery');
    assert.equal(alerts().length, 1, 'still one failure alert');
    daemon.signal('SIGTERM');
    assert.equal(await daemon.exited, 0);
  },
);

test(
  "each slot's retry overtaken by the next slot: two failed slots in a row still raise the alert",
  { timeout: 300_000 },
  async (t) => {
    // The retry would come after 10 minutes; a slot every 15 s overtakes it (its retry is then
    // dropped as missed), so no slot ever reaches its last attempt.
    const { daemon, sink, failed, alerts } = await crashingDaemon(t, {
      MONITOR_SCHEDULE_CRASH: '*/15 * * * * *',
      MONITOR_PIPELINE_RETRY_DELAY_SECONDS: '600',
    });
    const [first] = await failed(1);
    assert.equal(alerts().length, 0, `no alert after one failed attempt: ${first}`);
    await failed(2);
    await sink.waitForRequests(1, 60_000);
    await new Promise((r) => setTimeout(r, 2_000));
    assert.equal(alerts().length, 1, sink.requests.map((r) => r.body.slice(0, 300)).join('\n'));
    assert.match(alerts()[0]!.body, /after 2 attempt\(s\) in a row across slots/);
    daemon.signal('SIGTERM');
    assert.equal(await daemon.exited, 0);
  },
);

// bench/alert-latency: how long from a workflow failing until Slack (a local sink) has the
// alert, with the failing workflow first in a run of six: our early alert, decided in onStepEnd
// when the attempt's failing step ends. Baseline, measured in the same runs: alerting from
// onTestEnd, the first moment an ordinary reporter knows the attempt failed (Playwright has
// closed the context and saved the trace by then): onTestEnd's own time - the failure, plus the
// same decision-and-delivery time the early alert took (its onStepEnd to the sink), so the two
// differ only in when the alert is decided. p50/p95 over --runs runs (20 by default), with the
// machine's load average. The end-of-run latency (run end - the failure) is shown for reference.
// --rows-file keeps the measured runs in a JSON file and adds the new ones to those already in it,
// so that 20 runs can be measured in shorter sittings (the figures are over every run in the file).
//   node bench/alert-latency/run.ts [--runs N] [--rows-file /tmp/alert-rows.json]
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'slonik';
import { z } from 'zod';
import { startDemoApp } from '../../demo-app/app.ts';
import { ensureDatabaseUrl, stopEmbedded } from '../../db/embedded/server.ts';
import { withDatabase } from '../../db/pool.ts';
import { migrate } from '../../db/migrate.ts';
import { startHttpSink } from '../../test/sinks/http-sink.ts';
import { loadAverage } from '../timing.ts';

const { values } = parseArgs({
  options: { runs: { type: 'string', default: '20' }, 'rows-file': { type: 'string' } },
});
const runs = Number(values.runs);
const root = new URL('../..', import.meta.url).pathname;
const stateDir = mkdtempSync(join(tmpdir(), 'wm-bench-alert-'));
chmodSync(stateDir, 0o755);
const serverUrl =
  process.env.DATABASE_URL ??
  (await ensureDatabaseUrl({ stateDir, databaseUrl: null, ephemeral: true, log: () => undefined }));
const demo = await startDemoApp({ port: 0, host: '127.0.0.1', faults: 'health-down' });
const slack = await startHttpSink();

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? NaN;
};
// alertMs: from the moment the test failed (its failing step's end, worker clock); fromTestEndMs:
// from the test's end as Playwright times it (startTime + duration, which includes closing the
// context and saving the trace, but not restarting the worker); fromOnTestEndMs: from the moment
// the runner hands the finished result to reporters; onTestEndBaselineMs: the baseline (see the
// top); endOfRunMs: run end - the failing step's end.
const rows: {
  run: number;
  alertMs: number;
  onTestEndBaselineMs: number;
  fromTestEndMs: number;
  fromOnTestEndMs: number;
  endOfRunMs: number;
  runMs: number;
}[] = [];

try {
  for (let i = 0; i < runs; i++) {
    // A fresh database per run: the policy alerts once per outage, so each run must start UP.
    const name = `wm_bench_alert_${process.pid}_${i}`;
    await withDatabase(serverUrl, (p) => p.query(sql.type(z.object({}))`CREATE DATABASE ${sql.identifier([name])}`));
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    // A monitor's database is migrated long before an outage: so is this one.
    await migrate(url.toString());
    const before = slack.requests.length;
    // Async: the demo app and the sink live in this process and must keep answering.
    const child = spawn(process.execPath, [join(root, 'node_modules/@playwright/test/cli.js'), 'test', '--retries=0'], {
      cwd: root,
      stdio: ['ignore', 'ignore', 'pipe'],
      timeout: 300_000,
      env: {
        ...process.env,
        BASE_URL: demo.url,
        DATABASE_URL: url.toString(),
        MONITOR_STATE_DIR: stateDir,
        CI: '',
        SLACK_WEBHOOK_URL: slack.urlFor('/services/T0/B0/bench'),
        ALERT_ROUTES: 'critical=slack,high=slack,medium=slack,low=slack',
        // Storm folding holds DOWN alerts (30 s by default) to fold them into digests; this
        // bench measures the delivery path itself, so the hold is off.
        ALERT_POLICY: JSON.stringify({ storm: { holdSeconds: 0 } }),
        MONITOR_DEBUG: 'timing',
      },
    });
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const status = await new Promise<number | null>((res) => child.on('close', res));
    const result = { status, stderr };
    if (result.status !== 1)
      throw new Error(`run ${i}: expected the health check to fail (exit 1), got ${result.status}: ${result.stderr}`);
    if (process.env.BENCH_DEBUG) process.stderr.write(result.stderr);
    const alert = slack.requests.slice(before).find((r) => r.body.includes('Health Check'));
    if (!alert)
      throw new Error(
        `run ${i}: no Slack alert for the health check; got ${
          slack.requests
            .slice(before)
            .map((r) => r.body.slice(0, 200))
            .join(' | ') || 'nothing'
        }`,
      );
    const times = await withDatabase(url.toString(), (p) =>
      p.one(sql.type(z.object({ test_id: z.string(), test_end: z.date(), run_start: z.date(), run_end: z.date() }))`
      SELECT e.test_id, e.started_at + make_interval(secs => e.duration_ms / 1000.0) AS test_end, r.started_at AS run_start, r.ended_at AS run_end
      FROM workflow_executions e JOIN monitor_runs r USING (run_id) WHERE e.workflow_id = 'health-check'`),
    );
    const reported = Number(
      new RegExp(`timing ${times.test_id} retry=0 onTestEnd=(\\d+)`).exec(result.stderr)?.[1] ?? NaN,
    );
    const failed = Number(
      new RegExp(`timing ${times.test_id} retry=0 stepFailed=(\\d+)`).exec(result.stderr)?.[1] ?? NaN,
    );
    const decided = Number(
      new RegExp(`timing ${times.test_id} retry=0 stepFailed=\\d+ onStepEnd=(\\d+)`).exec(result.stderr)?.[1] ?? NaN,
    );
    if (!Number.isFinite(failed) || !Number.isFinite(decided) || !Number.isFinite(reported))
      throw new Error(`run ${i}: no failing step or onTestEnd was reported: ${result.stderr.slice(-2000)}`);
    rows.push({
      run: i + 1,
      alertMs: alert.at.getTime() - failed,
      onTestEndBaselineMs: reported - failed + (alert.at.getTime() - decided),
      fromTestEndMs: alert.at.getTime() - times.test_end.getTime(),
      fromOnTestEndMs: alert.at.getTime() - reported,
      endOfRunMs: times.run_end.getTime() - failed,
      runMs: times.run_end.getTime() - times.run_start.getTime(),
    });
    await withDatabase(serverUrl, (p) =>
      p.query(sql.type(z.object({}))`DROP DATABASE ${sql.identifier([name])} WITH (FORCE)`),
    );
    process.stdout.write(`run ${i + 1}/${runs}: alert after ${rows.at(-1)!.alertMs} ms\n`);
  }
  const file = values['rows-file'];
  if (file) {
    const earlier = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as typeof rows) : [];
    rows.unshift(...earlier);
    rows.forEach((r, i) => (r.run = i + 1));
    writeFileSync(file, JSON.stringify(rows));
  }
  console.table(rows);
  const alert = rows.map((r) => r.alertMs);
  const fromTestEnd = rows.map((r) => r.fromTestEndMs);
  const ownPath = rows.map((r) => r.fromOnTestEndMs);
  const baseline = rows.map((r) => r.onTestEndBaselineMs);
  const endOfRun = rows.map((r) => r.endOfRunMs);
  const runMs = rows.map((r) => r.runMs);
  const vs = (p: number) => ({
    metric: `alert latency p${p} (ms)`,
    ours: pct(alert, p),
    'onTestEnd baseline': pct(baseline, p),
    ratio: +(pct(alert, p) / pct(baseline, p)).toFixed(3),
  });
  console.table([
    vs(50),
    vs(95),
    { metric: 'from Playwright test end p95 (ms)', ours: pct(fromTestEnd, 95), 'onTestEnd baseline': '', ratio: '' },
    { metric: 'from onTestEnd p50 (ms)', ours: pct(ownPath, 50), 'onTestEnd baseline': 0, ratio: '' },
    { metric: 'from onTestEnd p95 (ms)', ours: pct(ownPath, 95), 'onTestEnd baseline': '', ratio: '' },
    {
      metric: 'p95 as share of run duration',
      ours: `${((pct(alert, 95) / pct(runMs, 50)) * 100).toFixed(2)} %`,
      'onTestEnd baseline': `${((pct(baseline, 95) / pct(runMs, 50)) * 100).toFixed(2)} %`,
      ratio: '',
    },
    { metric: 'for reference: end of run p95 (ms)', ours: '', 'onTestEnd baseline': pct(endOfRun, 95), ratio: '' },
  ]);
  console.log(`${rows.length} runs; target: p95 < 250 ms and < 5 % of the run (${pct(runMs, 50)} ms median run)`);
  console.log(`load average (1/5/15 min): ${loadAverage()}`);
} finally {
  await slack.close();
  await demo.close();
  if (!process.env.DATABASE_URL) await stopEmbedded({ stateDir, log: () => undefined });
  rmSync(stateDir, { recursive: true, force: true });
}

// Reports benchmark: the storage benchmark's synthetic history (1,000,000 executions, 1,000
// workflows every 5 minutes, ~3.5 days), then the daily and hourly reports over it, each timed
// against two baselines in the same run: the naive one (load the raw rows, compute in application
// code) and plain SQL (GROUP BY workflow_id with percentile_cont over the raw rows, plain-sql.ts),
// with a check that all three give the same figures.
//   node bench/reports/run.ts [--executions 1000000] [--workflows 1000] [--repeat 5] [--keep] [--reuse <database url>]
// Uses DATABASE_URL's server when set, otherwise a temporary embedded PostgreSQL. --reuse skips
// the ingest and reads a database a previous --keep left.
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { sql, type DatabasePool } from 'slonik';
import { z } from 'zod';
import { insertExecutions } from '../../db/tables/executions.ts';
import { migrate } from '../../db/migrate.ts';
import { benchDatabase } from '../database.ts';
import { medianMs } from '../timing.ts';
import { createDbPool } from '../../db/pool.ts';
import { computeReport, periodFor } from '../../reports/compute.ts';
import { generateReport } from '../../reports/generate.ts';
import { defaultThresholds } from '../../reports/recommendations.ts';
import { datasetOptions, generateBatches, workflowId } from '../storage/generate.ts';
import { naiveReport } from './naive.ts';
import { plainSqlReport } from './plain-sql.ts';

const { values: args } = parseArgs({
  options: {
    ...datasetOptions,
    repeat: { type: 'string', default: '5' },
    keep: { type: 'boolean', default: false },
    reuse: { type: 'string' },
  },
});
const repeat = Number(args.repeat);
const log = (line: string) => process.stderr.write(`${line}\n`);
const fmt = (n: number) => n.toLocaleString('en-US');

const median = (fn: () => Promise<unknown>) => medianMs(repeat, fn);

async function ingest(pool: DatabasePool, now: number): Promise<number> {
  const batches = generateBatches(
    { executions: Number(args.executions), workflows: Number(args.workflows), now },
    Number(args.batch),
  );
  let stored = 0;
  let next = 200_000;
  const worker = async () => {
    for (let b = batches.next(); !b.done; b = batches.next()) {
      const inserted = await insertExecutions(pool, b.value);
      stored += inserted;
      if (stored >= next) {
        log(`  ingested ${fmt(stored)} executions`);
        next += 200_000;
      }
    }
  };
  await Promise.all(Array.from({ length: Number(args.concurrency) }, worker));
  return stored;
}

async function measure(pool: DatabasePool, now: number): Promise<string[]> {
  const latest = await pool.oneFirst(
    sql.type(z.object({ t: z.date() }))`SELECT max(started_at) AS t FROM workflow_executions`,
  );
  // The report a daemon makes at the top of the hour: the last complete hour and day.
  const periodEnd = new Date(Math.floor(latest.getTime() / 3_600_000) * 3_600_000);
  const day = periodFor('daily', periodEnd);
  const hour = periodFor('hourly', periodEnd);
  const workflows = Number(args.workflows);
  const catalog = Array.from({ length: workflows }, (_, w) => ({ id: workflowId(w), schedule: '*/5 * * * *' }));
  const options = { catalog, now: new Date(Math.max(now, periodEnd.getTime())) };

  const daily = await computeReport(pool, { kind: 'daily', period: day, ...options });
  const naive = await naiveReport(pool, day);
  const t = daily.totals;
  const n = naive.totals;
  const agree =
    t.executions === n.executions &&
    t.passed === n.passed &&
    t.failed === n.failed &&
    t.flaky === n.flaky &&
    t.runs === n.runs &&
    t.p95DurationMs === n.p95DurationMs &&
    Math.abs((t.avgDurationMs ?? 0) - (n.avgDurationMs ?? 0)) < 1e-6 &&
    daily.workflows.every(
      (w) => naive.workflows.find((x) => x.workflowId === w.workflowId)?.p95PassedMs === w.p95PassedMs,
    );
  if (!agree) throw new Error(`ours and the naive baseline disagree: ${JSON.stringify(t)} vs ${JSON.stringify(n)}`);
  const plain = await plainSqlReport(pool, day);
  const p = plain.totals;
  const plainAgrees =
    (['executions', 'passed', 'failed', 'flaky', 'runs', 'p95DurationMs'] as const).every((k) => p[k] === n[k]) &&
    Math.abs((p.avgDurationMs ?? 0) - (n.avgDurationMs ?? 0)) < 1e-6 &&
    plain.workflows.every(
      (w) => naive.workflows.find((x) => x.workflowId === w.workflowId)?.p95PassedMs === w.p95PassedMs,
    );
  if (!plainAgrees) throw new Error(`the plain SQL baseline disagrees: ${JSON.stringify(p)} vs ${JSON.stringify(n)}`);

  log('timing (median of runs after one warm-up)');
  const loadBefore = loadavg()[0]!;
  const rows: [string, number, number | null, number | null][] = [
    [
      `daily report, ${fmt(t.executions)} + ${fmt(daily.previous?.totals.executions ?? 0)} executions (day + previous day)`,
      await median(() => computeReport(pool, { kind: 'daily', period: day, ...options })),
      await median(() => naiveReport(pool, day)),
      await median(() => plainSqlReport(pool, day)),
    ],
    [
      'hourly report',
      await median(() => computeReport(pool, { kind: 'hourly', period: hour, ...options })),
      await median(() => naiveReport(pool, hour)),
      await median(() => plainSqlReport(pool, hour)),
    ],
  ];
  const dir = mkdtempSync(path.join(tmpdir(), 'wm-bench-reports-out-'));
  try {
    rows.push([
      'generateReport daily (compute + save row + .md/.json files)',
      await median(() =>
        generateReport(pool, {
          kind: 'daily',
          periodEnd,
          ...options,
          config: { reportsDir: dir, githubStepSummary: null, thresholds: defaultThresholds },
        }),
      ),
      null,
      null,
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const byRule = new Map<string, number>();
  for (const r of daily.recommendations) byRule.set(r.rule, (byRule.get(r.rule) ?? 0) + 1);
  const dailyMs = rows[0]![1];
  return [
    `${'operation'.padEnd(78)}${'ours'.padStart(12)}${'naive (JS)'.padStart(12)}${'ratio'.padStart(9)}` +
      `${'plain SQL'.padStart(12)}${'ratio'.padStart(9)}`,
    ...rows.map(([label, ours, base, plainMs]) => {
      const cell = (ms: number | null) =>
        ms === null
          ? '-'.padStart(12) + ''.padStart(9)
          : `${ms.toFixed(0)} ms`.padStart(12) + `${(ms / ours).toFixed(1)}x`.padStart(9);
      return `${label.padEnd(78)}${`${ours.toFixed(0)} ms`.padStart(12)}${cell(base)}${cell(plainMs)}`;
    }),
    `figures agree with both baselines (totals, p95, per-workflow p95 of passing runs): yes`,
    `daily report: ${fmt(daily.workflows.length)} workflows, success ${((t.successRate ?? 0) * 100).toFixed(2)}%, ` +
      `${daily.recommendations.length} recommendations (${[...byRule].map(([k, v]) => `${k} ${v}`).join(', ')})`,
    `target: daily report for the storage benchmark's data < 2 s: ${dailyMs < 2000 ? 'met' : 'MISSED'} (${(dailyMs / 1000).toFixed(2)} s)`,
    `machine: ${cpus().length} cores, 1-minute load average ${loadBefore.toFixed(1)} before timing, ${loadavg()[0]!.toFixed(1)} after (other processes included)`,
  ];
}

async function main(): Promise<void> {
  if (args.reuse) {
    const pool = await createDbPool(args.reuse, { statementTimeoutMs: 600_000 });
    try {
      await migrate(args.reuse);
      console.log((await measure(pool, Date.now())).join('\n'));
    } finally {
      await pool.end();
    }
    return;
  }
  const db = await benchDatabase(`wm_bench_reports_${process.pid}`, 'wm-bench-reports-');
  const { stateDir } = db;
  const url = new URL(db.url);
  const pool = await createDbPool(url.toString(), {
    statementTimeoutMs: 30 * 60_000,
    maxPoolSize: Number(args.concurrency) + 8,
  });
  try {
    const now = Date.now();
    await migrate(url.toString());
    log(
      `ingesting ${fmt(Number(args.executions))} executions (${args.workflows} workflows, 5-minute schedule) with the storage bench's generator`,
    );
    const t = performance.now();
    const stored = await ingest(pool, now);
    log(`ingested ${fmt(stored)} in ${((performance.now() - t) / 1000).toFixed(0)} s; VACUUM ANALYZE`);
    await pool.query(sql.unsafe`VACUUM ANALYZE`);
    const version = await pool.oneFirst(
      sql.type(z.object({ v: z.string() }))`SELECT current_setting('server_version') AS v`,
    );
    const lines = await measure(pool, now);
    console.log(
      [
        `reports bench: ${fmt(stored)} executions, ${args.workflows} workflows, PostgreSQL ${version}` +
          `${stateDir ? ' (embedded)' : ''}, median of ${repeat} runs`,
        ...lines,
      ].join('\n'),
    );
  } finally {
    await pool.end();
    if (args.keep) log(`kept: ${url.toString()} (rerun with --reuse ${url.toString()})`);
    else await db.drop();
  }
}

await main();

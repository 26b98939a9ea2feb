// Storage benchmark: ingest N executions through the batch path into a fresh database, time the
// dashboard/report queries and a one-day retention, and compare each with a naive baseline
// (plain tables with the indexes a competent first version has, one INSERT per row) in the same
// process: a cache with the naive version's cache (materialized views), a recompute from raw rows
// with its recompute, both shown; the machine's load average next to the figures.
//   node bench/storage/run.ts [--executions 1000000] [--workflows 1000] [--batch 1000] [--concurrency 2]
// Uses DATABASE_URL's server when set, otherwise a temporary embedded PostgreSQL.
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { sql, type DatabasePool } from 'slonik';
import { z } from 'zod';
import { getDailyTrend, rollupAggregates } from '../../db/tables/aggregates.ts';
import { getLatestExecutions } from '../../db/tables/execution-queries.ts';
import { computeWindowStats } from '../../db/tables/execution-stats.ts';
import { insertExecutions } from '../../db/tables/executions.ts';
import { migrate } from '../../db/migrate.ts';
import { benchDatabase } from '../database.ts';
import { medianMs } from '../timing.ts';
import {
  detachPartitionsBefore,
  dropPartitionsBefore,
  dropRetiredPartitions,
  listPartitionDays,
} from '../../db/tables/partitions.ts';
import { createDbPool } from '../../db/pool.ts';
import { getWindowStatsPerWorkflow } from '../../db/tables/window-stats.ts';
import { datasetOptions, generateBatches, rowsOf, workflowId } from './generate.ts';
import { copyIntoNaive, createNaiveCaches, createNaiveTables, naiveIngest, naiveQueries } from './naive.ts';

const { values: args } = parseArgs({
  options: {
    ...datasetOptions,
    repeat: { type: 'string', default: '7' },
    'naive-sample': { type: 'string', default: '3000' },
    keep: { type: 'boolean', default: false },
  },
});
const executions = Number(args.executions);
const workflows = Number(args.workflows);
const batchSize = Number(args.batch);
const concurrency = Number(args.concurrency);
const repeat = Number(args.repeat);
const DAY = 86_400_000;

const log = (line: string) => process.stderr.write(`${line}\n`);

const median = (fn: () => Promise<unknown>) => medianMs(repeat, fn);

async function once(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

async function ingest(pool: DatabasePool, now: number): Promise<{ seconds: number; executions: number; rows: number }> {
  const batches = generateBatches({ executions, workflows, now }, batchSize);
  let rows = 0;
  let stored = 0;
  let next = 0;
  const t = performance.now();
  const worker = async () => {
    for (let b = batches.next(); !b.done; b = batches.next()) {
      rows += b.value.reduce((s, r) => s + rowsOf(r), 0);
      const inserted = await insertExecutions(pool, b.value);
      stored += inserted;
      if (stored >= next) {
        log(`  ingested ${stored.toLocaleString('en-US')} executions`);
        next += 200_000;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { seconds: (performance.now() - t) / 1000, executions: stored, rows };
}

async function main(): Promise<void> {
  const db = await benchDatabase(`wm_bench_${process.pid}`, 'wm-bench-');
  const { stateDir } = db;
  const url = new URL(db.url);
  const pool = await createDbPool(url.toString(), { statementTimeoutMs: 30 * 60_000, maxPoolSize: concurrency + 1 });
  try {
    const now = Date.now();
    await migrate(url.toString());
    const version = await pool.oneFirst(
      sql.type(z.object({ v: z.string() }))`SELECT current_setting('server_version') AS v`,
    );
    log(
      `ingesting ${executions.toLocaleString('en-US')} executions (${workflows} workflows, 5-minute schedule), batches of ${batchSize}, ${concurrency} writers`,
    );
    const ours = await ingest(pool, now);
    log('rolling up hourly aggregates');
    const rollupMs = await once(() => rollupAggregates(pool, { from: new Date(now - 40 * DAY), to: new Date(now) }));
    await pool.query(sql.unsafe`VACUUM ANALYZE`);
    log('copying into the naive baseline tables');
    await createNaiveTables(pool);
    await copyIntoNaive(pool);
    await createNaiveCaches(pool, new Date(now - DAY));

    const sample =
      [
        ...generateBatches(
          { executions: Number(args['naive-sample']), workflows, now, seed: 7 },
          Number(args['naive-sample']),
        ),
      ][0] ?? [];
    const naiveT = performance.now();
    const naiveRows = await naiveIngest(pool, sample);
    const naiveSeconds = (performance.now() - naiveT) / 1000;

    log('timing queries');
    const since24h = new Date(now - DAY);
    const since30d = new Date(now - 30 * DAY);
    const wf = workflowId(42);
    const results: [string, number, number][] = [];
    const loadBefore = loadavg();
    results.push([
      'latest state of every workflow (ours: kept by ingest; naive: recompute)',
      await median(() => getLatestExecutions(pool)),
      await median(() => naiveQueries.latest(pool)),
    ]);
    results.push([
      '  the same, both recomputed from raw attempts (DISTINCT ON)',
      await median(() =>
        pool.any(sql.unsafe`SELECT DISTINCT ON (workflow_id) workflow_id, id, run_id, status, outcome, started_at,
          duration_ms, error FROM workflow_executions WHERE status <> 'skipped' ORDER BY workflow_id, started_at DESC`),
      ),
      await median(() => naiveQueries.latest(pool)),
    ]);
    results.push([
      '24 h success rate + p95 per workflow, cache vs cache',
      await median(() => getWindowStatsPerWorkflow(pool, { hours: 24, maxAgeMs: 600_000 })),
      await median(() => naiveQueries.cachedWindow24h(pool)),
    ]);
    results.push([
      '  the same, recomputed exactly from raw attempts',
      await median(() => computeWindowStats(pool, { since: since24h, until: new Date(now + 1) })),
      await median(() => naiveQueries.window24h(pool, since24h)),
    ]);
    results.push([
      '30-day daily trend, one workflow, roll-up vs cache',
      await median(() => getDailyTrend(pool, wf, { days: 30, now: new Date(now) })),
      await median(() => naiveQueries.cachedDailyTrend(pool, wf, since30d)),
    ]);
    results.push([
      '  the same, both recomputed from raw attempts',
      await median(() =>
        pool.any(sql.unsafe`SELECT date_trunc('day', started_at, 'UTC') AS day, count(*) AS runs,
          (count(*) FILTER (WHERE status = 'passed'))::float8 / count(*) AS success_rate, avg(duration_ms) AS avg_ms,
          percentile_cont(0.95) WITHIN GROUP (ORDER BY duration_ms) AS p95, max(duration_ms) AS max_ms
          FROM workflow_executions WHERE workflow_id = ${wf} AND started_at >= ${since30d.toISOString()}::timestamptz
            AND status <> 'skipped' GROUP BY 1 ORDER BY 1`),
      ),
      await median(() => naiveQueries.dailyTrend(pool, wf, since30d)),
    ]);
    const loadAfter = loadavg();

    // Retention: the oldest day is partial, so drop it first (untimed) and time the next, full one.
    const days = await listPartitionDays(pool);
    const firstData = await pool.oneFirst(sql.type(z.object({ d: z.string() }))`
      SELECT to_char(min(started_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS d FROM workflow_executions`);
    const partial = Date.parse(`${firstData}T00:00:00Z`);
    const fullDayRows = await pool.oneFirst(sql.type(z.object({ n: z.number() }))`
      SELECT count(*)::integer AS n FROM workflow_executions
      WHERE started_at >= ${new Date(partial + DAY).toISOString()}::timestamptz AND started_at < ${new Date(partial + 2 * DAY).toISOString()}::timestamptz`);
    await dropPartitionsBefore(pool, new Date(partial + DAY));
    await naiveQueries.deleteDay(pool, new Date(partial - 5 * DAY), new Date(partial + DAY));
    const detachMs = await once(() => detachPartitionsBefore(pool, new Date(partial + 2 * DAY)));
    const dropMs = await once(() => dropRetiredPartitions(pool));
    const naiveDelete = await once(() =>
      naiveQueries.deleteDay(pool, new Date(partial + DAY), new Date(partial + 2 * DAY)),
    );
    results.push([
      `retention delete of one day (${fullDayRows.toLocaleString('en-US')} executions, n=1)`,
      detachMs + dropMs,
      naiveDelete,
    ]);
    results.push(['  of which live tables are locked (detach; naive: whole delete)', detachMs, naiveDelete]);

    const perSec = (n: number, s: number) => Math.round(n / s);
    const fmt = (n: number) => n.toLocaleString('en-US');
    const lines = [
      `storage bench: ${fmt(ours.executions)} executions, ${workflows} workflows, 5-minute schedule, PostgreSQL ${version}` +
        `${stateDir ? ' (embedded)' : ''}, ${days.length} daily partitions, median of ${repeat} runs`,
      `${'operation'.padEnd(72)}${'ours'.padStart(14)}${'naive'.padStart(14)}${'ratio'.padStart(10)}`,
      `${'ingest, executions/s (batch path vs one INSERT per row)'.padEnd(72)}${`${fmt(perSec(ours.executions, ours.seconds))}/s`.padStart(14)}` +
        `${`${fmt(perSec(sample.length, naiveSeconds))}/s`.padStart(14)}${`${(perSec(ours.executions, ours.seconds) / perSec(sample.length, naiveSeconds)).toFixed(1)}x`.padStart(10)}`,
      `${'ingest, all rows/s (executions+steps+metrics+health)'.padEnd(72)}${`${fmt(perSec(ours.rows, ours.seconds))}/s`.padStart(14)}` +
        `${`${fmt(perSec(naiveRows, naiveSeconds))}/s`.padStart(14)}${`${(perSec(ours.rows, ours.seconds) / perSec(naiveRows, naiveSeconds)).toFixed(1)}x`.padStart(10)}`,
      ...results.map(
        ([label, a, b]) =>
          `${label.padEnd(72)}${`${a.toFixed(1)} ms`.padStart(14)}${`${b.toFixed(1)} ms`.padStart(14)}${`${(b / a).toFixed(1)}x`.padStart(10)}`,
      ),
      `(hourly roll-up of the whole history, needed by the trend and done hourly by the daemon: ${(rollupMs / 1000).toFixed(1)} s; ` +
        `ingest took ${ours.seconds.toFixed(1)} s; naive ingest measured on ${fmt(sample.length)} executions)`,
    ];
    const load = (l: number[]) => l.map((x) => x.toFixed(2)).join(' ');
    lines.push(
      `load average (1, 5, 15 min, ${cpus().length} CPUs): before the queries ${load(loadBefore)}, after ${load(loadAfter)}`,
    );
    const slow = results.filter(([, a]) => a >= 100).map(([l]) => l.trim());
    const ingestOk = perSec(ours.rows, ours.seconds) > 20_000;
    lines.push(
      `target: every query < 100 ms ${slow.length ? `MISSED (${slow.join('; ')})` : 'met'}; ingest > 20,000 rows/s ${ingestOk ? 'met' : 'MISSED'}`,
    );
    console.log(lines.join('\n'));
  } finally {
    await pool.end();
    if (args.keep) {
      log(`kept: ${url.toString()}${stateDir ? ` (stop with MONITOR_STATE_DIR=${stateDir} node bin/db-stop.ts)` : ''}`);
    } else await db.drop();
  }
}

await main();

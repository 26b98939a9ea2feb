// Status page benchmark: the storage bench's synthetic history (N executions over W workflows,
// 5-minute schedule), rolled up into the hourly aggregates, plus one DOWN episode per 50
// workflows. Times /status and a badge over HTTP (p50/p95 of sequential requests, from the
// aggregates; the page's build is cached while the data does not move), the page built without
// that cache, and the same page and badge computed from the raw rows, in one run.
//   node bench/status/run.ts [--executions 1000000] [--workflows 1000] [--requests 50]
// Uses DATABASE_URL's server when set, otherwise a temporary embedded PostgreSQL.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { sql, type DatabasePool } from 'slonik';
import { z } from 'zod';
import { buildStatus, type StatusSources } from '../../dashboard/status/build.ts';
import { parseStatusPageConfig } from '../../config/status-page.ts';
import { dayCells, overall } from '../../dashboard/status/model.ts';
import { renderStatusPage } from '../../dashboard/status/page.ts';
import { dailyAvailabilityFromRaw, policyStates } from '../../dashboard/status/queries.ts';
import { addDashboardRoutes } from '../../dashboard/routes.ts';
import { rollupAggregates } from '../../db/tables/aggregates.ts';
import { ensureDatabaseUrl, stopEmbedded } from '../../db/embedded/server.ts';
import { insertExecutions } from '../../db/tables/executions.ts';
import { migrate } from '../../db/migrate.ts';
import { createDbPool, withDatabase } from '../../db/pool.ts';
import { createHttpServer } from '../../scheduler/http-server.ts';
import { datasetOptions, generateBatches, workflowId } from '../storage/generate.ts';
import { timedRuns } from '../timing.ts';

const { values: args } = parseArgs({
  options: {
    executions: datasetOptions.executions,
    workflows: datasetOptions.workflows,
    requests: { type: 'string', default: '50' },
    'raw-requests': { type: 'string', default: '7' },
  },
});
const executions = Number(args.executions);
const workflows = Number(args.workflows);
const DAY = 86_400_000;
const log = (line: string) => process.stderr.write(`${line}\n`);

async function timings(n: number, fn: () => Promise<unknown>): Promise<{ p50: number; p95: number }> {
  const times = await timedRuns(n, fn);
  return {
    p50: times[Math.floor(times.length / 2)]!,
    p95: times[Math.min(times.length - 1, Math.ceil(times.length * 0.95) - 1)]!,
  };
}

async function seed(pool: DatabasePool, now: number): Promise<void> {
  let stored = 0;
  const batches = generateBatches({ executions, workflows, now }, 1000);
  const worker = async () => {
    for (let b = batches.next(); !b.done; b = batches.next()) {
      stored += await insertExecutions(pool, b.value);
      if (stored % 100_000 < 1000) log(`  ingested ${stored.toLocaleString('en-US')} executions`);
    }
  };
  await Promise.all([worker(), worker()]);
  await rollupAggregates(pool, { from: new Date(now - 95 * DAY), to: new Date(now) });
  // States for every workflow and a closed DOWN episode for every 50th (through the trigger).
  for (let w = 0; w < workflows; w++) {
    const id = workflowId(w);
    await pool.query(
      sql.type(
        z.object({}),
      )`INSERT INTO workflow_states (workflow_id, state, last_error) VALUES (${id}, ${w % 97 === 0 ? 'down' : 'up'}, 'Error: expected heading')`,
    );
    if (w % 50 === 0) {
      await pool.query(sql.type(
        z.object({}),
      )`INSERT INTO alert_state_changes (workflow_id, at, from_state, to_state) VALUES
        (${id}, ${new Date(now - DAY).toISOString()}::timestamptz, 'up', 'down'), (${id}, ${new Date(now - DAY + 600_000).toISOString()}::timestamptz, 'down', 'up')`);
    }
  }
  await pool.query(sql.type(z.object({}))`ANALYZE`);
}

async function main(): Promise<void> {
  const stateDir = process.env.DATABASE_URL ? null : mkdtempSync(path.join(tmpdir(), 'wm-status-bench-'));
  if (stateDir) chmodSync(stateDir, 0o755);
  const server = new URL(
    process.env.DATABASE_URL ??
      (await ensureDatabaseUrl({ stateDir: stateDir!, databaseUrl: null, timeoutMs: 120_000 })),
  );
  server.pathname = '/postgres';
  const name = `wm_status_bench_${process.pid}`;
  await withDatabase(server.toString(), (p) =>
    p.query(sql.type(z.object({}))`CREATE DATABASE ${sql.identifier([name])}`),
  );
  const url = new URL(server);
  url.pathname = `/${name}`;
  await migrate(url.toString());
  const pool = await createDbPool(url.toString(), { statementTimeoutMs: 30 * 60_000, maxPoolSize: 4 });
  const http = createHttpServer({ handlerTimeoutMs: 120_000 });
  try {
    const now = Date.now();
    log(`seeding ${executions.toLocaleString('en-US')} executions over ${workflows} workflows`);
    const t = performance.now();
    await seed(pool, now);
    log(`seeded in ${((performance.now() - t) / 1000).toFixed(0)} s`);
    const list = Array.from({ length: workflows }, (_, w) => ({
      id: workflowId(w),
      title: `Workflow ${w}`,
      priority: ['critical', 'high', 'medium', 'low'][w % 4]!,
      tags: [],
    }));
    const sources: StatusSources = {
      config: parseStatusPageConfig({ STATUS_PAGE_PUBLIC: 'true' }),
      workflows: () => list,
      maintenance: () => [],
    };
    addDashboardRoutes(http, {
      pool: () => pool,
      schedules: () => [],
      daemon: () => ({}),
      artifactsDir: stateDir ?? tmpdir(),
      token: 'bench',
      status: sources,
    });
    const { port } = await http.listen(0, '127.0.0.1');
    const get = async (p: string) => {
      const r = await fetch(`http://127.0.0.1:${port}${p}`);
      if (r.status !== 200) throw new Error(`${p}: HTTP ${r.status}`);
      return r.text();
    };
    const n = Number(args.requests);
    const rawN = Number(args['raw-requests']);
    const wf = workflowId(42);
    const page = await timings(n, () => get('/status'));
    const badge = await timings(n, () => get(`/badge/${wf}/uptime.svg?days=30`));
    const state = await timings(n, () => get(`/badge/${wf}.svg`));
    // Without the route's cache (what the first visitor after a stored attempt waits for).
    const coldPage = await timings(rawN, async () =>
      renderStatusPage({ config: sources.config, ...(await buildStatus(pool, sources, new Date())), now: new Date() }),
    );
    const rawPage = await timings(rawN, async () =>
      renderStatusPage({
        config: sources.config,
        ...(await buildStatus(pool, sources, new Date(), true)),
        now: new Date(),
      }),
    );
    const rawBadge = await timings(rawN, async () => {
      const [, days] = await Promise.all([policyStates(pool, wf), dailyAvailabilityFromRaw(pool, 30, new Date(), wf)]);
      return overall(dayCells(days.get(wf), 30, new Date()));
    });
    const size = (await get('/status')).length;
    const row = (what: string, a: { p50: number; p95: number }, b?: { p50: number; p95: number }) =>
      `| ${what} | ${a.p50.toFixed(1)} | ${a.p95.toFixed(1)} | ${b ? `${b.p50.toFixed(1)} | ${b.p95.toFixed(1)} | ${(b.p95 / a.p95).toFixed(1)}x` : '– | – | –'} |`;
    console.log(
      `status bench: ${executions.toLocaleString('en-US')} executions, ${workflows} workflows, ${n} requests each (raw: ${rawN}); /status is ${(size / 1024).toFixed(0)} KiB`,
    );
    console.log('| what | aggregates p50 ms | aggregates p95 ms | raw p50 ms | raw p95 ms | raw/aggregates p95 |');
    console.log('| --- | --- | --- | --- | --- | --- |');
    console.log(row('/status (HTTP, data unchanged between requests: the cached build, rendered)', page));
    console.log(
      row('/status built and rendered without the cache (raw: the same page from raw rows)', coldPage, rawPage),
    );
    console.log(row('/badge/<id>/uptime.svg?days=30 (HTTP; raw: the same figure from raw rows)', badge, rawBadge));
    console.log(row('/badge/<id>.svg (HTTP)', state));
    console.log(
      `target p95 < 100 ms: /status ${page.p95 < 100 ? 'met' : 'NOT met'}, badge ${badge.p95 < 100 ? 'met' : 'NOT met'}`,
    );
  } finally {
    await http.close();
    await pool.end();
    await withDatabase(server.toString(), (p) =>
      p.query(sql.type(z.object({}))`DROP DATABASE IF EXISTS ${sql.identifier([name])} WITH (FORCE)`),
    );
    if (stateDir) {
      await stopEmbedded({ stateDir, log: () => undefined });
      rmSync(stateDir, { recursive: true, force: true });
    }
  }
}

await main();

// Dashboard benchmark: the storage benchmark's history (1,000,000 executions over 1,000 workflows
// by default) in a fresh database, the dashboard's API served over HTTP as the daemon serves it,
// p50/p95 of each call, and a same-run baseline: the overview's figures computed from raw rows
// on every request (exact 24 h and 7 d statistics, sparklines by a window function).
//   node bench/dashboard/run.ts [--executions 1000000] [--workflows 1000] [--calls 30]
// Uses DATABASE_URL's server when set, otherwise a temporary embedded PostgreSQL.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'slonik';
import { z } from 'zod';
import { addDashboardRoutes } from '../../dashboard/routes.ts';
import { ensureDatabaseUrl, stopEmbedded } from '../../db/embedded/server.ts';
import { getLatestExecutions } from '../../db/tables/execution-queries.ts';
import { computeWindowStats } from '../../db/tables/execution-stats.ts';
import { insertExecutions } from '../../db/tables/executions.ts';
import { migrate } from '../../db/migrate.ts';
import { createDbPool, withDatabase } from '../../db/pool.ts';
import { createHttpServer } from '../../scheduler/http-server.ts';
import { generateBatches, workflowId } from '../storage/generate.ts';

const { values: args } = parseArgs({
  options: {
    executions: { type: 'string', default: '1000000' },
    workflows: { type: 'string', default: '1000' },
    calls: { type: 'string', default: '30' },
  },
});
const executions = Number(args.executions);
const workflows = Number(args.workflows);
const calls = Number(args.calls);
const log = (line: string) => process.stderr.write(`${line}\n`);
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return Math.round((s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? NaN) * 10) / 10;
};

const stateDir = mkdtempSync(path.join(tmpdir(), 'wm-bench-dash-'));
chmodSync(stateDir, 0o755);
const serverUrl =
  process.env.DATABASE_URL ??
  (await ensureDatabaseUrl({ stateDir, databaseUrl: null, ephemeral: true, log: () => undefined }));
const name = `wm_bench_dash_${process.pid}`;
await withDatabase(serverUrl, (p) => p.query(sql.type(z.object({}))`CREATE DATABASE ${sql.identifier([name])}`));
const url = new URL(serverUrl);
url.pathname = `/${name}`;
await migrate(url.toString());
const pool = await createDbPool(url.toString(), { statementTimeoutMs: 600_000 });
const server = createHttpServer({ handlerTimeoutMs: 120_000 });
try {
  const now = Date.now();
  let stored = 0;
  const batches = generateBatches({ executions, workflows, now }, 1000);
  const t0 = performance.now();
  await Promise.all(
    [0, 1].map(async () => {
      for (let b = batches.next(); !b.done; b = batches.next()) {
        const n = await insertExecutions(pool, b.value);
        stored += n;
        if (stored % 100_000 < 1000) log(`  seeded ${stored.toLocaleString('en-US')} executions`);
      }
    }),
  );
  log(`seeded ${stored.toLocaleString('en-US')} executions in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  await pool.query(sql.type(z.object({}))`ANALYZE`);

  addDashboardRoutes(server, {
    pool: () => pool,
    schedules: () => [],
    daemon: () => ({ status: 'bench' }),
    artifactsDir: stateDir,
    token: null,
  });
  const { port } = await server.listen(0, '127.0.0.1');
  const base = `http://127.0.0.1:${port}`;
  const get = async (p: string) => {
    const t = performance.now();
    const res = await fetch(base + p);
    if (!res.ok) throw new Error(`${p}: HTTP ${res.status}`);
    const body = await res.json();
    return { ms: performance.now() - t, body };
  };
  const sample = (await getLatestExecutions(pool))[0]!;
  const time = async (label: string, p: string) => {
    await get(p); // warm: the first call may compute the cached windows
    const ms: number[] = [];
    for (let i = 0; i < calls; i++) ms.push((await get(p)).ms);
    return { label, ms };
  };
  const results = [
    await time('GET /api/overview', '/api/overview'),
    await time('GET /api/version', '/api/version'),
    await time('GET /api/workflow (24 h)', `/api/workflow?id=${encodeURIComponent(workflowId(0))}&hours=24`),
    await time(
      'GET /api/execution',
      `/api/execution?id=${sample.executionId}&at=${encodeURIComponent(sample.startedAt.toISOString())}`,
    ),
  ];
  // Baseline: the same overview figures straight from raw rows, as a dashboard without the read models would.
  const baseline: number[] = [];
  for (let i = 0; i < Math.min(calls, 5); i++) {
    const t = performance.now();
    const end = new Date();
    await Promise.all([
      getLatestExecutions(pool),
      computeWindowStats(pool, { since: new Date(end.getTime() - 86_400_000), until: end }),
      computeWindowStats(pool, { since: new Date(end.getTime() - 7 * 86_400_000), until: end }),
      pool.any(sql.type(
        z.object({ w: z.string() }),
      )`SELECT workflow_id AS w FROM (SELECT workflow_id, row_number() OVER (PARTITION BY workflow_id ORDER BY started_at DESC) AS rn
        FROM workflow_executions WHERE started_at > now() - interval '7 days') x WHERE rn <= 20`),
    ]);
    baseline.push(performance.now() - t);
  }
  const overviewRow = results[0]!;
  console.table(results.map((r) => ({ call: r.label, 'p50 ms': pct(r.ms, 50), 'p95 ms': pct(r.ms, 95) })));
  console.table([
    {
      metric: 'overview p95 (ms)',
      ours: pct(overviewRow.ms, 95),
      'raw-rows baseline': pct(baseline, 95),
      ratio: +(pct(overviewRow.ms, 95) / pct(baseline, 95)).toFixed(4),
    },
  ]);
  console.log(
    `target: overview under 200 ms with ${stored.toLocaleString('en-US')} executions (${workflows} workflows, ${(await get('/api/overview')).body.workflows.length} tiles)`,
  );
} finally {
  await server.close();
  await pool.end();
  await withDatabase(serverUrl, (p) =>
    p.query(sql.type(z.object({}))`DROP DATABASE ${sql.identifier([name])} WITH (FORCE)`),
  ).catch(() => undefined);
  if (!process.env.DATABASE_URL) await stopEmbedded({ stateDir, log: () => undefined });
  rmSync(stateDir, { recursive: true, force: true });
}

// Dashboard benchmark: 1,000 workflows and 1,000,000 attempts (INSERT … SELECT, bench/dashboard/seed.ts)
// in a database of its own, the dashboard served over HTTP as the daemon serves it, and in the same
// run the same overview page computed from raw rows on every request (bench/dashboard/raw.ts,
// served by the same server, so both pay the same HTTP and JSON). Fresh: before each timed request
// new attempts are stored through the ingest path (insertExecutions), as 1,000 workflows every
// 5 minutes store them between two polls, so the read model must catch up on every request.
//   node bench/dashboard/run.ts [--executions 1000000] [--workflows 1000] [--calls 50] [--per-call 10]
// Uses DATABASE_URL's server when set, otherwise a temporary embedded PostgreSQL.
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { json } from '../../dashboard/http.ts';
import { overviewQuery } from '../../dashboard/overview-route.ts';
import { addDashboardRoutes } from '../../dashboard/routes.ts';
import { tilesOf } from '../../dashboard/queries.ts';
import { insertExecutions } from '../../db/tables/executions.ts';
import { migrate } from '../../db/migrate.ts';
import { createDbPool } from '../../db/pool.ts';
import { createHttpServer } from '../../scheduler/http-server.ts';
import { benchDatabase } from '../database.ts';
import { datasetOptions, generateBatches, workflowId } from '../storage/generate.ts';
import { rawOverviewRows } from './raw.ts';
import { benchSchedules, seedHistory } from './seed.ts';
import { loadAverage } from '../timing.ts';

const { values: args } = parseArgs({
  options: {
    executions: datasetOptions.executions,
    workflows: datasetOptions.workflows,
    calls: { type: 'string', default: '50' },
    'per-call': { type: 'string', default: '10' },
    'all-calls': { type: 'string', default: '10' },
  },
});
const executions = Number(args.executions);
const workflows = Number(args.workflows);
const calls = Number(args.calls);
const perCall = Number(args['per-call']);
const log = (line: string) => process.stderr.write(`${line}\n`);
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return Math.round((s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? NaN) * 10) / 10;
};

const db = await benchDatabase(`wm_bench_dash_${process.pid}`, 'wm-bench-dash-');
await migrate(db.url);
const pool = await createDbPool(db.url, { statementTimeoutMs: 600_000 });
const server = createHttpServer({ handlerTimeoutMs: 120_000 });
try {
  const now = Date.now();
  const t0 = performance.now();
  const rows = await seedHistory(pool, { executions, workflows, now });
  log(`seeded ${rows.toLocaleString('en-US')} attempts in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const schedules = benchSchedules(workflows);
  addDashboardRoutes(server, {
    pool: () => pool,
    schedules: () => schedules,
    daemon: () => ({ status: 'bench' }),
    artifactsDir: db.stateDir ?? '.',
    token: null,
  });
  // The baseline: the same page's tiles (the same JSON) from raw rows, on every request.
  server.addRoute('GET', '/bench/raw-overview', async (_req, url) => {
    const q = overviewQuery(url);
    const ids = schedules.map((s) => s.workflowId).sort();
    const page = ids.slice((q.page - 1) * q.size, q.page * q.size);
    const rows = await rawOverviewRows(pool, page);
    const tiles = tilesOf(rows, schedules);
    const beats = new Map(rows.map((r) => [r.workflowId, r.beats]));
    return json({
      version: tiles.version,
      total: ids.length,
      matching: ids.length,
      page: q.page,
      pages: Math.ceil(ids.length / q.size),
      pageSize: q.size,
      tags: [...new Set(schedules.flatMap((s) => s.tags))].sort(),
      workflows: tiles.workflows.map((w) => ({ ...w, beats: beats.get(w.id) ?? [] })),
    });
  });
  const { port } = await server.listen(0, '127.0.0.1');
  const base = `http://127.0.0.1:${port}`;
  const get = async (p: string, headers: Record<string, string> = {}) => {
    const t = performance.now();
    const res = await fetch(base + p, { headers });
    const text = await res.text();
    if (res.status !== 200 && res.status !== 304) throw new Error(`${p}: HTTP ${res.status}`);
    return {
      ms: performance.now() - t,
      status: res.status,
      bytes: Buffer.byteLength(text),
      text,
      etag: res.headers.get('etag'),
    };
  };

  const first = await get('/api/overview');
  log(`first overview (fills the read model for ${workflows} workflows, once): ${first.ms.toFixed(0)} ms`);
  const loadBefore = loadAverage();
  // New attempts between polls: `perCall` workflows' next runs, through the ingest path.
  const template = generateBatches({ executions: workflows, workflows, now: Date.now() }, workflows).next().value ?? [];
  let stored = 0;
  const storeSome = async (i: number) => {
    const batch = Array.from({ length: perCall }, (_, k) => {
      const r = template[(i * perCall + k) % template.length]!;
      return { ...r, runId: `live-${i}`, startedAt: new Date() };
    });
    stored += await insertExecutions(pool, batch);
  };
  const fresh: number[] = [];
  for (let i = 0; i < calls; i++) {
    await storeSome(i);
    fresh.push((await get('/api/overview')).ms);
  }
  // No attempt stored between requests: the marker matches unless a counted attempt left its
  // window (1,000 workflows every 5 minutes: several a second), then the changed rows are
  // recomputed; the tiles and the page's body are reused otherwise.
  const same: number[] = [];
  let last = await get('/api/overview');
  for (let i = 0; i < calls; i++) same.push((last = await get('/api/overview')).ms);
  // As a browser revalidates: the ETag it holds; 304 unless the page's figures changed meanwhile.
  const notModified: number[] = [];
  let revalidated = 0;
  let etag = last.etag ?? '';
  for (let i = 0; i < calls; i++) {
    const r = await get('/api/overview', { 'if-none-match': etag });
    if (r.status === 304) {
      notModified.push(r.ms);
      revalidated++;
    } else etag = r.etag ?? etag;
  }
  // The baseline, same run, same page: raw rows on every request (nothing to store: it always recomputes).
  const rawPage: number[] = [];
  let rawText = '';
  for (let i = 0; i < calls; i++) {
    await storeSome(calls + i);
    const r = await get('/bench/raw-overview');
    rawPage.push(r.ms);
    rawText = r.text;
  }
  const rawAll: number[] = [];
  let rawAllBytes = 0;
  for (let i = 0; i < Number(args['all-calls']); i++) {
    const r = await get(`/bench/raw-overview?size=${workflows}`);
    rawAll.push(r.ms);
    rawAllBytes = r.bytes;
  }
  const oursAll = await get(`/api/overview?size=${workflows}`);
  const loadAfter = loadAverage();

  // The same figures: our page and the raw page, now, with nothing stored in between.
  const ours = JSON.parse((await get('/api/overview')).text) as { workflows: unknown[] };
  const raw = JSON.parse((await get('/bench/raw-overview')).text) as { workflows: unknown[] };
  const same24 = JSON.stringify(ours.workflows) === JSON.stringify(raw.workflows);

  console.log(
    `\n${rows.toLocaleString('en-US')} attempts seeded + ${stored} stored during the run, ${workflows} workflows, ` +
      `${ours.workflows.length} tiles a page; ${calls} requests each`,
  );
  console.table([
    { path: 'fresh overview, attempts stored before each request', 'p50 ms': pct(fresh, 50), 'p95 ms': pct(fresh, 95) },
    { path: 'overview, no attempt stored between requests', 'p50 ms': pct(same, 50), 'p95 ms': pct(same, 95) },
    {
      path: `overview, If-None-Match → 304 (${revalidated} of ${calls})`,
      'p50 ms': pct(notModified, 50),
      'p95 ms': pct(notModified, 95),
    },
    { path: 'baseline: same page from raw rows', 'p50 ms': pct(rawPage, 50), 'p95 ms': pct(rawPage, 95) },
    { path: `baseline: all ${workflows} tiles from raw rows`, 'p50 ms': pct(rawAll, 50), 'p95 ms': pct(rawAll, 95) },
  ]);
  console.table([
    {
      metric: 'fresh overview p95 (ms)',
      ours: pct(fresh, 95),
      'raw rows, same page': pct(rawPage, 95),
      ratio: +(pct(fresh, 95) / pct(rawPage, 95)).toFixed(3),
    },
    {
      metric: 'payload bytes, one page',
      ours: last.bytes,
      'raw rows, same page': Buffer.byteLength(rawText),
      ratio: +(last.bytes / Buffer.byteLength(rawText)).toFixed(3),
    },
    {
      metric: `payload bytes, all ${workflows} tiles (?size=${workflows})`,
      ours: oursAll.bytes,
      'raw rows, same page': rawAllBytes,
      ratio: +(oursAll.bytes / rawAllBytes).toFixed(3),
    },
  ]);
  console.log(`same tiles as the raw-rows page: ${same24 ? 'yes' : 'NO'} (first workflow ${workflowId(0)})`);
  console.log(`304 body: 0 bytes; target: fresh p95 under 200 ms`);
  console.log(`load average (1, 5, 15 min): before ${loadBefore} · after ${loadAfter} (${cpus().length} CPUs)`);
} finally {
  await server.close();
  await pool.end();
  await db.drop();
}

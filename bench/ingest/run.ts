// bench/ingest: live ingest through the reporter's own path, the Persistence class that
// onTestEnd hands every finished attempt to (reporters/persistence.ts), when many tests finish
// together. Each save is what onTestEnd saves: the run row and one execution with its steps,
// metrics and (every third) health check; `--concurrency` saves are in flight at any time.
// Baseline, measured in the same run on the same database: today's per-test path before
// batching, i.e. the same class with batchSize 1 (each save its own run upsert and insert).
// The rounds alternate baseline and batched; every row is counted back from PostgreSQL.
//   node bench/ingest/run.ts [--executions 10000] [--concurrency 200] [--steps 8] [--rounds 2]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'slonik';
import { z } from 'zod';
import type { ExecutionRecord, RunRecord } from '../../core/records.ts';
import { migrate } from '../../db/migrate.ts';
import { Persistence } from '../../reporters/persistence.ts';
import { executionRecord } from '../../test/helpers/db.ts';
import { runRecord } from '../../test/helpers/records.ts';
import { benchDatabase } from '../database.ts';
import { loadAverage } from '../timing.ts';

const { values } = parseArgs({
  options: {
    executions: { type: 'string', default: '10000' },
    concurrency: { type: 'string', default: '200' },
    steps: { type: 'string', default: '8' },
    rounds: { type: 'string', default: '2' },
  },
});
const total = Number(values.executions);
const concurrency = Number(values.concurrency);
const stepCount = Number(values.steps);
const rounds = Number(values.rounds);

function attempt(runId: string, i: number): ExecutionRecord {
  const workflow = `wf-${String(i % 100).padStart(3, '0')}`;
  return executionRecord({
    runId,
    testId: `t-${i}`,
    workflowId: workflow,
    name: workflow,
    startedAt: new Date(Date.now() - 5_000),
    durationMs: 5_000,
    totalSteps: stepCount,
    passedSteps: stepCount,
    steps: Array.from({ length: stepCount }, (_, s) => ({
      index: s,
      title: `Step ${s + 1}`,
      durationMs: 600,
      error: null,
    })),
    health:
      i % 3 === 0
        ? {
            healthy: true,
            status: 'healthy',
            responseTimeMs: 40,
            databaseHealthy: true,
            apiHealthy: true,
            cacheHealthy: true,
            payload: { status: 'healthy' },
          }
        : null,
  });
}

type Result = { mode: string; seconds: number; perSecond: number; executions: number; steps: number; metrics: number };

async function measure(url: string, mode: 'per-test (baseline)' | 'batched', round: number): Promise<Result> {
  const stateDir = mkdtempSync(join(tmpdir(), 'wm-bench-ingest-'));
  const runId = `ingest_${round}_${mode === 'batched' ? 'b' : 'p'}_${process.pid}`;
  const persistence = new Persistence({
    stateDir,
    databaseUrl: url,
    runId,
    log: (line) => process.stderr.write(`[persistence] ${line}\n`),
    timeoutMs: 60_000,
    ...(mode === 'batched' ? {} : { batchSize: 1 }),
  });
  try {
    const pool = await persistence.ready;
    if (!pool) throw new Error('no database');
    const run: RunRecord = runRecord({ runId });
    const records = Array.from({ length: total }, (_, i) => attempt(runId, i));
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < total) {
          const record = records[next++]!;
          await persistence.save([
            { kind: 'run', record: run },
            { kind: 'execution', record },
          ]);
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    if (persistence.saved !== total) throw new Error(`${mode}: ${persistence.summary(total)}`);
    const counts = await pool.one(sql.type(
      z.object({ executions: z.number(), steps: z.number(), metrics: z.number() }),
    )`
      SELECT (SELECT count(*)::integer FROM workflow_executions WHERE run_id = ${runId}) AS executions,
        (SELECT count(*)::integer FROM workflow_steps s JOIN workflow_executions e ON e.id = s.execution_id
          WHERE e.run_id = ${runId}) AS steps,
        (SELECT count(*)::integer FROM workflow_metrics WHERE run_id = ${runId}) AS metrics`);
    if (counts.executions !== total || counts.steps !== total * stepCount || counts.metrics !== total)
      throw new Error(`${mode}: stored ${JSON.stringify(counts)}, expected ${total} with ${stepCount} steps each`);
    return { mode, seconds: +seconds.toFixed(2), perSecond: Math.round(total / seconds), ...counts };
  } finally {
    await persistence.close();
    rmSync(stateDir, { recursive: true, force: true });
  }
}

const db = await benchDatabase(`wm_bench_ingest_${process.pid}`, 'wm-bench-ingest-pg-');
try {
  await migrate(db.url);
  const results: Result[] = [];
  for (let round = 1; round <= rounds; round++) {
    // Alternated, baseline first in odd rounds, so neither always runs on a warmer table.
    const order =
      round % 2 ? (['per-test (baseline)', 'batched'] as const) : (['batched', 'per-test (baseline)'] as const);
    for (const mode of order) {
      const r = await measure(db.url, mode, round);
      results.push(r);
      process.stdout.write(`round ${round} ${mode}: ${r.perSecond} executions/s (${r.seconds} s)\n`);
    }
  }
  console.table(results);
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
  const batched = median(results.filter((r) => r.mode === 'batched').map((r) => r.perSecond));
  const baseline = median(results.filter((r) => r.mode !== 'batched').map((r) => r.perSecond));
  console.log(
    `${total} executions (${stepCount} steps, metrics, a health check every third) x ${rounds} round(s), ` +
      `${concurrency} saves in flight: batched ${batched}/s, per-test baseline ${baseline}/s, ` +
      `ratio ${(batched / baseline).toFixed(2)}x (target >= 2000/s)`,
  );
  console.log(`load average (1/5/15 min): ${loadAverage()}`);
} finally {
  await db.drop();
}

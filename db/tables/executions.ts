// workflow_executions and the rows hanging off one attempt (steps, metrics, health check),
// written together by one statement so a batch is all-or-nothing and replays add nothing.
import { z } from 'zod';
import { sql, type CommonQueryMethods } from 'slonik';
import { DEFAULT_LOCATION } from '../../core/locations.ts';
import type { ExecutionRecord } from '../../core/records.ts';
import { ensurePartitionsFor, forgetPartitions } from './partitions.ts';
import { pgErrorCode } from '../pg-error.ts';
import { cappedPayload, storableJson } from './storable.ts';

export type ExecutionKey = { runId: string; testId: string; retry: number };

function keyOf(r: ExecutionKey): string {
  return JSON.stringify([r.runId, r.testId, r.retry]);
}

const num = (v: number | null | undefined) => (v === null || v === undefined || !Number.isFinite(v) ? null : v);
const int = (v: number) => Math.max(0, Math.round(Number.isFinite(v) ? v : 0));

/**
 * The JSON documents jsonb_to_recordset unpacks; `k` links children to their attempt. Payloads
 * are capped (storable.ts) and every string made storable.
 */
function toDocuments(records: readonly ExecutionRecord[]) {
  const executions = [];
  const steps = [];
  const metrics = [];
  const health = [];
  for (const [k, r] of records.entries()) {
    executions.push({
      k,
      run_id: r.runId,
      test_id: r.testId,
      retry: r.retry,
      workflow_id: r.workflowId,
      name: r.name,
      type: r.type,
      priority: r.priority,
      status: r.status,
      outcome: r.outcome,
      started_at: r.startedAt.toISOString(),
      duration_ms: int(r.durationMs),
      total_steps: r.totalSteps,
      passed_steps: r.passedSteps,
      failed_steps: r.failedSteps,
      error: r.error,
      failed_step: r.failedStep,
      trace_path: r.tracePath,
      screenshot_path: r.screenshotPath,
      tags: r.tags,
      cause: r.cause ?? null,
      cause_line: r.causeLine ?? null,
      evidence: r.evidence ?? null,
      location: r.location ?? DEFAULT_LOCATION,
    });
    for (const s of r.steps)
      steps.push({ k, step_index: s.index, title: s.title, duration_ms: int(s.durationMs), error: s.error });
    if (r.metrics) {
      const m = r.metrics;
      metrics.push({
        k,
        total_duration_ms: int(m.totalDurationMs),
        api_response_time_ms: num(m.apiResponseTimeMs),
        page_load_time_ms: num(m.pageLoadTimeMs),
        ttfb_ms: num(m.ttfbMs),
        dom_content_loaded_ms: num(m.domContentLoadedMs),
        lcp_ms: num(m.lcpMs),
        cls: num(m.cls),
        memory_usage_mb: num(m.memoryUsageMb),
        cpu_usage: num(m.cpuUsage),
        performance_score: num(m.performanceScore),
        raw: cappedPayload(m.raw),
      });
    }
    if (r.health) {
      const h = r.health;
      health.push({
        k,
        healthy: h.healthy,
        status: h.status,
        response_time_ms: int(h.responseTimeMs),
        database_healthy: h.databaseHealthy,
        api_healthy: h.apiHealthy,
        cache_healthy: h.cacheHealthy,
        payload: cappedPayload(h.payload),
      });
    }
  }
  // No NUL or lone surrogate reaches PostgreSQL (text and jsonb reject both): a marker instead.
  return storableJson({ executions, steps, metrics, health }) as {
    executions: typeof executions;
    steps: typeof steps;
    metrics: typeof metrics;
    health: typeof health;
  };
}

const insertedRow = z.object({ inserted: z.number() });

function insertStatement(docs: ReturnType<typeof toDocuments>) {
  return sql.type(insertedRow)`
    WITH input AS (
      SELECT * FROM jsonb_to_recordset(${sql.jsonb(docs.executions)}) AS x(
        k integer, run_id text, test_id text, retry integer, workflow_id text, name text, type text, priority text,
        status text, outcome text, started_at timestamptz, duration_ms integer, total_steps integer,
        passed_steps integer, failed_steps integer, error text, failed_step text, trace_path text,
        screenshot_path text, tags text[], cause text, cause_line text, evidence jsonb, location text)
    ),
    ins AS (
      INSERT INTO workflow_executions (run_id, test_id, retry, workflow_id, name, type, priority, status, outcome,
        started_at, duration_ms, total_steps, passed_steps, failed_steps, error, failed_step, trace_path,
        screenshot_path, tags, cause, cause_line, evidence, location)
      SELECT run_id, test_id, retry, workflow_id, name, type, priority, status, outcome, started_at, duration_ms,
        total_steps, passed_steps, failed_steps, error, failed_step, trace_path, screenshot_path, coalesce(tags, '{}'),
        cause, cause_line, evidence, location
      FROM input ORDER BY k
      ON CONFLICT (run_id, test_id, retry, started_at) DO NOTHING
      RETURNING id, run_id, test_id, retry, started_at
    ),
    fresh AS (
      SELECT ins.id, input.* FROM ins JOIN input USING (run_id, test_id, retry, started_at)
    ),
    steps AS (
      INSERT INTO workflow_steps (execution_id, started_at, step_index, title, duration_ms, error, location)
      SELECT f.id, f.started_at, s.step_index, s.title, s.duration_ms, s.error, f.location
      FROM fresh f JOIN jsonb_to_recordset(${sql.jsonb(docs.steps)})
        AS s(k integer, step_index integer, title text, duration_ms integer, error text) ON s.k = f.k
      ON CONFLICT DO NOTHING
    ),
    metrics AS (
      INSERT INTO workflow_metrics (execution_id, started_at, workflow_id, run_id, total_duration_ms,
        api_response_time_ms, page_load_time_ms, ttfb_ms, dom_content_loaded_ms, lcp_ms, cls, memory_usage_mb,
        cpu_usage, performance_score, raw, location)
      SELECT f.id, f.started_at, f.workflow_id, f.run_id, m.total_duration_ms, m.api_response_time_ms,
        m.page_load_time_ms, m.ttfb_ms, m.dom_content_loaded_ms, m.lcp_ms, m.cls, m.memory_usage_mb, m.cpu_usage,
        m.performance_score, m.raw, f.location
      FROM fresh f JOIN jsonb_to_recordset(${sql.jsonb(docs.metrics)}) AS m(k integer, total_duration_ms integer,
        api_response_time_ms double precision, page_load_time_ms double precision, ttfb_ms double precision,
        dom_content_loaded_ms double precision, lcp_ms double precision, cls double precision,
        memory_usage_mb double precision, cpu_usage double precision, performance_score double precision, raw jsonb)
        ON m.k = f.k
    ),
    health AS (
      INSERT INTO system_health_checks (execution_id, started_at, workflow_id, run_id, healthy, status,
        response_time_ms, database_healthy, api_healthy, cache_healthy, payload, location)
      SELECT f.id, f.started_at, f.workflow_id, f.run_id, h.healthy, h.status, h.response_time_ms,
        h.database_healthy, h.api_healthy, h.cache_healthy, h.payload, f.location
      FROM fresh f JOIN jsonb_to_recordset(${sql.jsonb(docs.health)}) AS h(k integer, healthy boolean, status text,
        response_time_ms integer, database_healthy boolean, api_healthy boolean, cache_healthy boolean, payload jsonb)
        ON h.k = f.k
    ),
    latest AS (
      -- Ordered by workflow_id so concurrent batches lock these rows in the same order.
      INSERT INTO workflow_last_executions AS l (workflow_id, execution_id, run_id, test_id, retry, name, priority,
        status, outcome, started_at, duration_ms, error, failed_step)
      SELECT * FROM (
        SELECT DISTINCT ON (workflow_id) workflow_id, id, run_id, test_id, retry, name, priority, status, outcome,
          started_at, duration_ms, error, failed_step
        FROM fresh WHERE status <> 'skipped'
        ORDER BY workflow_id, started_at DESC, retry DESC
      ) newest ORDER BY workflow_id
      ON CONFLICT (workflow_id) DO UPDATE SET execution_id = EXCLUDED.execution_id, run_id = EXCLUDED.run_id,
        test_id = EXCLUDED.test_id, retry = EXCLUDED.retry, name = EXCLUDED.name, priority = EXCLUDED.priority,
        status = EXCLUDED.status, outcome = EXCLUDED.outcome, started_at = EXCLUDED.started_at,
        duration_ms = EXCLUDED.duration_ms, error = EXCLUDED.error, failed_step = EXCLUDED.failed_step
      WHERE l.started_at <= EXCLUDED.started_at
    )
    SELECT count(*)::integer AS inserted FROM fresh`;
}

/**
 * Inserts a batch of attempts with their steps, metrics and health checks in one statement.
 * Idempotent on (runId, testId, retry): attempts already stored are skipped with their
 * children. Returns how many attempts were new.
 */
export async function insertExecutions(db: CommonQueryMethods, records: readonly ExecutionRecord[]): Promise<number> {
  const unique = new Map<string, ExecutionRecord>();
  for (const r of records) if (!unique.has(keyOf(r))) unique.set(keyOf(r), r);
  if (unique.size === 0) return 0;
  const batch = [...unique.values()];
  const statement = insertStatement(toDocuments(batch));
  await ensurePartitionsFor(
    db,
    batch.map((r) => r.startedAt),
  );
  try {
    return await db.oneFirst(statement);
  } catch (error) {
    // 23514: a partition this process remembered was dropped by retention elsewhere.
    if (pgErrorCode(error) !== '23514') throw error;
    forgetPartitions(db);
    await ensurePartitionsFor(
      db,
      batch.map((r) => r.startedAt),
    );
    return db.oneFirst(statement);
  }
}

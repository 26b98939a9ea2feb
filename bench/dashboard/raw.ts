// The benchmark's baseline: the overview's tiles for the given workflows straight from raw
// attempts, as a competent version without the read model would compute them in one query. Each
// part is bounded by an index the schema has: the latest attempt and the 50 beats by
// (workflow_id, started_at DESC), the 7 days of attempts by the same index, the final-attempt
// check by the primary key (run_id, test_id, retry, started_at); the policy state by its key.
import { sql, type CommonQueryMethods } from 'slonik';
import { finalAttempt, flakyPass } from '../../db/tables/execution-stats.ts';
import { z } from 'zod';
import { BEATS, overviewRow, type Beat, type OverviewRow } from '../../db/tables/overview-model.ts';

export async function rawOverviewRows(
  db: CommonQueryMethods,
  ids: readonly string[],
  now = new Date(),
): Promise<(OverviewRow & { beats: Beat[] })[]> {
  const day = new Date(now.getTime() - 86_400_000).toISOString();
  const weekAgo = new Date(now.getTime() - 7 * 86_400_000);
  const week = weekAgo.toISOString();
  // Without JIT, as the read model's refresh runs: compiling costs more than these plans run.
  const rows = await db.transaction(async (tx) => {
    await tx.query(sql.type(z.object({}))`SET LOCAL jit = off`);
    return tx.any(sql.type(overviewRow.extend({ beats: z.string() }))`
    SELECT w.id AS "workflowId", l.id AS "executionId", l.name, l.priority, l.status, l.outcome,
      l.started_at AS "startedAt", l.duration_ms AS "durationMs", l.error, l.failed_step AS "failedStep",
      s.state, s.since, s.consecutive_failures AS "consecutiveFailures", f.runs_24h AS "runs24h",
      f.passed_24h AS "passed24h", f.flaky_24h AS "flaky24h", f.p95 AS "p95Ms24h", f.runs_7d AS "runs7d",
      f.passed_7d AS "passed7d", b.beats
    FROM unnest(${sql.array(ids, 'text')}::text[]) WITH ORDINALITY AS w(id, n)
    LEFT JOIN LATERAL (SELECT id, name, priority, status, outcome, started_at, duration_ms, error, failed_step
      FROM workflow_executions x WHERE x.workflow_id = w.id AND x.status <> 'skipped'
      ORDER BY x.started_at DESC, x.retry DESC LIMIT 1) l ON true
    LEFT JOIN workflow_states s ON s.workflow_id = w.id
    LEFT JOIN LATERAL (
      SELECT count(*) FILTER (WHERE started_at >= ${day}::timestamptz)::integer AS runs_24h,
        count(*) FILTER (WHERE started_at >= ${day}::timestamptz AND status = 'passed')::integer AS passed_24h,
        count(*) FILTER (WHERE started_at >= ${day}::timestamptz AND ${flakyPass})::integer AS flaky_24h,
        percentile_cont(0.95) WITHIN GROUP (ORDER BY duration_ms) FILTER (WHERE started_at >= ${day}::timestamptz) AS p95,
        count(*)::integer AS runs_7d, count(*) FILTER (WHERE status = 'passed')::integer AS passed_7d
      FROM workflow_executions x
      WHERE x.workflow_id = w.id AND x.started_at >= ${week}::timestamptz AND x.status <> 'skipped'
        AND ${finalAttempt('x', weekAgo)}) f ON true
    LEFT JOIN LATERAL (
      SELECT coalesce(jsonb_agg(jsonb_build_array(id, floor(extract(epoch FROM started_at) * 1000)::bigint,
        duration_ms, status) ORDER BY started_at, id), '[]')::text AS beats
      FROM (SELECT id, started_at, duration_ms, status FROM workflow_executions x
        WHERE x.workflow_id = w.id AND x.started_at >= ${week}::timestamptz
        ORDER BY x.started_at DESC, x.id DESC LIMIT ${BEATS}) recent) b ON true
    ORDER BY w.n`);
  });
  return rows.map((r) => ({ ...r, beats: JSON.parse(r.beats) as Beat[] }));
}

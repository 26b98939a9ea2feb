// The dashboard benchmark's history, written by INSERT … SELECT generate_series (a million rows in
// seconds): `workflows` journeys every 5 minutes ending now, as bench/storage/generate.ts draws them
// (4 % failed, 1 % timed out, 2 % flaky passes, durations by workflow), plus one passing retry for
// every other failure, so runs and attempts differ. Attempts only (the overview reads no steps or
// metrics); the latest-attempt rows and the policy states as the reporter would leave them.
import { sql, type CommonQueryMethods } from 'slonik';
import { z } from 'zod';
import { SCHEDULE_MS, workflowId } from '../storage/generate.ts';

export async function seedHistory(
  db: CommonQueryMethods,
  options: { executions: number; workflows: number; now: number },
): Promise<number> {
  const { executions, workflows, now } = options;
  const ticks = Math.ceil(executions / workflows);
  const start = new Date(now - ticks * SCHEDULE_MS).toISOString();
  const none = z.object({});
  await db.query(
    sql.type(
      none,
    )`SELECT monitor_ensure_day_partitions(${start}::timestamptz, ${new Date(now).toISOString()}::timestamptz)`,
  );
  // r: a per-row draw in [0, 1) from the row number (deterministic, no random() state).
  await db.query(sql.type(none)`
    WITH g AS (
      SELECT n, n / ${workflows} AS tick, n % ${workflows} AS w,
        ((n * 2654435761::bigint) % 1000003) / 1000003.0 AS r, ((n * 40503::bigint) % 999983) / 999983.0 AS q
      FROM generate_series(0, ${executions - 1}) AS n
    ), a AS (
      SELECT n, tick, w, 'wf-' || lpad(w::text, 4, '0') AS wf,
        ${start}::timestamptz + (tick * ${SCHEDULE_MS} + (w * ${SCHEDULE_MS}) / ${workflows}) * interval '1 millisecond' AS at,
        CASE WHEN r < 0.04 THEN 'failed' WHEN r < 0.05 THEN 'timedOut' ELSE 'passed' END AS status, q
      FROM g
    )
    INSERT INTO workflow_executions (run_id, test_id, retry, workflow_id, name, type, priority, status, outcome, started_at,
      duration_ms, total_steps, passed_steps, failed_steps, error, failed_step, tags)
    SELECT 'seed-' || tick, 'test-' || wf, 0, wf, 'Workflow ' || w, 'journey',
      (ARRAY['critical', 'high', 'medium', 'low'])[w % 4 + 1], status,
      CASE WHEN status <> 'passed' THEN 'unexpected' WHEN q < 0.02 THEN 'flaky' ELSE 'expected' END, at,
      round((500 + (w % 50) * 90) * (0.7 + q * 0.6) * CASE WHEN status = 'timedOut' THEN 6 ELSE 1 END), 3,
      CASE WHEN status = 'passed' THEN 3 ELSE 2 END, CASE WHEN status = 'passed' THEN 0 ELSE 1 END,
      CASE WHEN status = 'passed' THEN NULL ELSE 'Error: expected heading to be visible (' || status || ')' END,
      CASE WHEN status = 'passed' THEN NULL ELSE 'Reach dashboard' END, ARRAY['@' || wf]
    FROM a`);
  // Every other failure passed on its retry 20 s later (a flaky run).
  await db.query(sql.type(none)`
    INSERT INTO workflow_executions (run_id, test_id, retry, workflow_id, name, type, priority, status, outcome, started_at,
      duration_ms, total_steps, passed_steps, failed_steps, tags)
    SELECT run_id, test_id, 1, workflow_id, name, type, priority, 'passed', 'flaky', started_at + interval '20 seconds',
      duration_ms, 3, 3, 0, tags
    FROM workflow_executions WHERE retry = 0 AND status = 'failed' AND hashtext(run_id) % 2 = 0
      AND started_at + interval '20 seconds' < ${new Date(now).toISOString()}::timestamptz`);
  await db.query(sql.type(none)`
    INSERT INTO workflow_last_executions (workflow_id, execution_id, run_id, test_id, retry, name, priority, status,
      outcome, started_at, duration_ms, error, failed_step)
    SELECT DISTINCT ON (workflow_id) workflow_id, id, run_id, test_id, retry, name, priority, status, outcome, started_at,
      duration_ms, error, failed_step
    FROM workflow_executions ORDER BY workflow_id, started_at DESC, retry DESC`);
  await db.query(sql.type(none)`
    INSERT INTO workflow_states (workflow_id, state, since, consecutive_failures, consecutive_passes, last_execution_at)
    SELECT workflow_id, CASE WHEN status = 'passed' THEN 'up' ELSE 'down' END, started_at - interval '1 hour',
      CASE WHEN status = 'passed' THEN 0 ELSE 2 END, CASE WHEN status = 'passed' THEN 5 ELSE 0 END, started_at
    FROM workflow_last_executions`);
  await db.query(sql.type(none)`VACUUM ANALYZE`);
  return db.oneFirst(sql.type(z.object({ n: z.number() }))`SELECT count(*)::integer AS n FROM workflow_executions`);
}

/** The daemon's discovered workflows, as the benchmark's schedules. */
export function benchSchedules(workflows: number) {
  return Array.from({ length: workflows }, (_, w) => ({
    workflowId: workflowId(w),
    title: `Workflow ${w}`,
    priority: (['critical', 'high', 'medium', 'low'] as const)[w % 4]!,
    tags: [`@${workflowId(w)}`],
    cron: '*/5 * * * *',
    description: 'every 5 minutes',
    alertAfterFailures: 2,
  }));
}

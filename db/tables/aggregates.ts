// workflow_hourly_aggregates: the long-term tier. Roll-ups recompute whole hours from raw rows
// and upsert them, so running one twice (or over an hour that got late rows) is harmless. A run
// counts once, in the hour of its final attempt, by that attempt's outcome (execution-stats.ts).
import { z } from 'zod';
import { sql, type CommonQueryMethods } from 'slonik';
import { durationFigures, finalAttempt, flakyPass, outcomeFigures, runCounts } from './execution-stats.ts';

const HOUR_MS = 3_600_000;
const CHUNK_MS = 24 * HOUR_MS;

function floorHour(date: Date): Date {
  return new Date(Math.floor(date.getTime() / HOUR_MS) * HOUR_MS);
}

export type RollupRange = { from?: Date; to?: Date };

/**
 * Recomputes every (workflow, hour) in [from, to), by default the last 48 hours up to the end
 * of the current hour (late outbox replays land within that). Works a day per statement so each
 * statement stays short. Returns the number of (workflow, hour) rows written.
 */
export async function rollupAggregates(db: CommonQueryMethods, range: RollupRange = {}): Promise<number> {
  const now = Date.now();
  const from = floorHour(range.from ?? new Date(now - 48 * HOUR_MS));
  const to = range.to
    ? new Date(Math.ceil(range.to.getTime() / HOUR_MS) * HOUR_MS)
    : new Date(floorHour(new Date(now)).getTime() + HOUR_MS);
  let written = 0;
  for (let start = from.getTime(); start < to.getTime(); start += CHUNK_MS) {
    const end = Math.min(start + CHUNK_MS, to.getTime());
    written += await db.oneFirst(sql.type(z.object({ n: z.number() }))`
      WITH rolled AS (
        INSERT INTO workflow_hourly_aggregates AS a (workflow_id, hour, runs, passed, failed, flaky, duration_avg_ms,
          duration_p50_ms, duration_p95_ms, duration_max_ms, updated_at)
        SELECT workflow_id, date_trunc('hour', started_at, 'UTC'),
          count(*), count(*) FILTER (WHERE status = 'passed'), count(*) FILTER (WHERE status <> 'passed'),
          count(*) FILTER (WHERE ${flakyPass}), avg(duration_ms),
          percentile_cont(0.5) WITHIN GROUP (ORDER BY duration_ms),
          percentile_cont(0.95) WITHIN GROUP (ORDER BY duration_ms), max(duration_ms), now()
        FROM workflow_executions x
        WHERE started_at >= ${new Date(start).toISOString()}::timestamptz
          AND started_at < ${new Date(end).toISOString()}::timestamptz
          AND status <> 'skipped' AND ${finalAttempt('x', new Date(start))}
        GROUP BY 1, 2
        ON CONFLICT (workflow_id, hour) DO UPDATE SET runs = EXCLUDED.runs, passed = EXCLUDED.passed,
          failed = EXCLUDED.failed, flaky = EXCLUDED.flaky, duration_avg_ms = EXCLUDED.duration_avg_ms,
          duration_p50_ms = EXCLUDED.duration_p50_ms, duration_p95_ms = EXCLUDED.duration_p95_ms,
          duration_max_ms = EXCLUDED.duration_max_ms, updated_at = now()
        WHERE (a.runs, a.passed, a.failed, a.flaky, a.duration_max_ms, a.duration_p95_ms)
          IS DISTINCT FROM (EXCLUDED.runs, EXCLUDED.passed, EXCLUDED.failed, EXCLUDED.flaky,
                            EXCLUDED.duration_max_ms, EXCLUDED.duration_p95_ms)
        RETURNING 1
      )
      SELECT count(*)::integer AS n FROM rolled`);
  }
  return written;
}

const hourRow = z.object({ workflowId: z.string(), hour: z.date(), ...runCounts, ...durationFigures });
export type HourlyAggregate = z.infer<typeof hourRow>;

export async function getHourlyAggregates(
  db: CommonQueryMethods,
  workflowId: string,
  range: { from: Date; to: Date },
): Promise<HourlyAggregate[]> {
  const rows = await db.any(sql.type(hourRow)`
    SELECT workflow_id AS "workflowId", hour, runs, passed, failed, flaky, duration_avg_ms AS "avgDurationMs",
      duration_p50_ms AS "p50DurationMs", duration_p95_ms AS "p95DurationMs", duration_max_ms AS "maxDurationMs"
    FROM workflow_hourly_aggregates
    WHERE workflow_id = ${workflowId} AND hour >= ${range.from.toISOString()}::timestamptz
      AND hour < ${range.to.toISOString()}::timestamptz
    ORDER BY hour`);
  return [...rows];
}

const dayRow = z.object({
  day: z.string(),
  ...outcomeFigures,
  /** Run-weighted mean of the day's hourly p95s: exact percentiles need the raw rows. */
  meanHourlyP95Ms: z.number().nullable(),
  maxDurationMs: z.number().nullable(),
});
export type DailyTrendPoint = z.infer<typeof dayRow>;

/** One point per UTC day with runs, over the last `days` days (today included), from aggregates. */
export async function getDailyTrend(
  db: CommonQueryMethods,
  workflowId: string,
  options: { days?: number; now?: Date } = {},
): Promise<DailyTrendPoint[]> {
  const days = options.days ?? 30;
  const now = options.now ?? new Date();
  const startOfToday = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const from = new Date(startOfToday - (days - 1) * CHUNK_MS);
  const rows = await db.any(sql.type(dayRow)`
    SELECT to_char(date_trunc('day', hour, 'UTC') AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day,
      sum(runs)::integer AS runs, sum(passed)::integer AS passed, sum(failed)::integer AS failed,
      sum(flaky)::integer AS flaky,
      sum(passed)::float8 / nullif(sum(runs), 0) AS "successRate",
      sum(duration_avg_ms * runs) / nullif(sum(runs), 0) AS "avgDurationMs",
      sum(duration_p95_ms * runs) / nullif(sum(runs), 0) AS "meanHourlyP95Ms",
      max(duration_max_ms) AS "maxDurationMs"
    FROM workflow_hourly_aggregates
    WHERE workflow_id = ${workflowId} AND hour >= ${from.toISOString()}::timestamptz
    GROUP BY 1 ORDER BY 1`);
  return [...rows];
}

// Health checks of a period, per workflow that reports them: how often the platform said it was
// degraded, and which dependency (database, API, cache) it blamed.
import { z } from 'zod';
import { sql, type CommonQueryMethods } from 'slonik';
import { inPeriod, type Period } from './report-figures.ts';

export const dependencies = ['database', 'api', 'cache'] as const;
export type Dependency = (typeof dependencies)[number];

const healthRow = z.object({
  workflowId: z.string(),
  checks: z.number(),
  /** Not healthy, or a status of degraded / unhealthy. */
  degraded: z.number(),
  lastDegradedAt: z.date().nullable(),
  lastDegradedStatus: z.string().nullable(),
  database: z.number(),
  api: z.number(),
  cache: z.number(),
  lastDatabaseAt: z.date().nullable(),
  lastApiAt: z.date().nullable(),
  lastCacheAt: z.date().nullable(),
  avgResponseTimeMs: z.number().nullable(),
});
export type HealthSummary = z.infer<typeof healthRow>;

export async function getHealthSummaries(db: CommonQueryMethods, period: Period): Promise<HealthSummary[]> {
  const rows = await db.any(sql.type(healthRow)`
    WITH h AS (
      SELECT workflow_id, started_at, status, response_time_ms,
        (NOT healthy OR status IN ('degraded', 'unhealthy')) AS bad,
        database_healthy IS FALSE AS db_bad, api_healthy IS FALSE AS api_bad, cache_healthy IS FALSE AS cache_bad
      FROM system_health_checks
      WHERE ${inPeriod('started_at', period)}
    )
    SELECT workflow_id AS "workflowId", count(*)::integer AS checks,
      count(*) FILTER (WHERE bad)::integer AS degraded,
      max(started_at) FILTER (WHERE bad) AS "lastDegradedAt",
      (array_agg(status ORDER BY started_at DESC) FILTER (WHERE bad))[1] AS "lastDegradedStatus",
      count(*) FILTER (WHERE db_bad)::integer AS database,
      count(*) FILTER (WHERE api_bad)::integer AS api,
      count(*) FILTER (WHERE cache_bad)::integer AS cache,
      max(started_at) FILTER (WHERE db_bad) AS "lastDatabaseAt",
      max(started_at) FILTER (WHERE api_bad) AS "lastApiAt",
      max(started_at) FILTER (WHERE cache_bad) AS "lastCacheAt",
      avg(response_time_ms)::float8 AS "avgResponseTimeMs"
    FROM h GROUP BY workflow_id ORDER BY workflow_id`);
  return [...rows];
}

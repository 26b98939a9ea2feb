// A period's attempts per workflow and location (issue 16): where a journey ran from, how often
// it passed there, and its p95 there (percentile_cont over that location's attempts, as the
// reports define p95). A handful of locations per workflow: the rows stay few.
import { z } from 'zod';
import { sql, type CommonQueryMethods } from 'slonik';
import { inPeriod, type Period } from './report-figures.ts';

const locationRow = z.object({
  workflowId: z.string(),
  location: z.string(),
  executions: z.number(),
  passed: z.number(),
  failed: z.number(),
  p95DurationMs: z.number().nullable(),
});
export type LocationFiguresRow = z.infer<typeof locationRow>;

/** Per (workflow, location), attempts started in [start, end); skipped attempts count nowhere. By workflow, then location. */
export async function getLocationFigures(db: CommonQueryMethods, period: Period): Promise<LocationFiguresRow[]> {
  const rows = await db.any(sql.type(locationRow)`
    SELECT workflow_id AS "workflowId", location, count(*)::integer AS executions,
      count(*) FILTER (WHERE status = 'passed')::integer AS passed,
      count(*) FILTER (WHERE status <> 'passed')::integer AS failed,
      percentile_cont(0.95) WITHIN GROUP (ORDER BY duration_ms) AS "p95DurationMs"
    FROM workflow_executions
    WHERE ${inPeriod('started_at', period)} AND status <> 'skipped'
    GROUP BY workflow_id, location
    ORDER BY workflow_id COLLATE "C", location COLLATE "C"`);
  return [...rows];
}

const failingFromRow = z.object({ workflowId: z.string(), at: z.date(), locations: z.array(z.string()) });
export type FailingFromRow = z.infer<typeof failingFromRow>;

/**
 * "Failing from" episodes decided in the period: a workflow failing from fewer locations than its
 * quorum (the policy's one `partial` notice per episode, alert_events), with the locations it
 * failed from. Oldest first.
 */
export async function getFailingFromEpisodes(db: CommonQueryMethods, period: Period): Promise<FailingFromRow[]> {
  const rows = await db.any(sql.type(failingFromRow)`
    SELECT workflow_id AS "workflowId", decided_at AS at,
      ARRAY(SELECT jsonb_array_elements_text(coalesce(payload->'locations'->'failing', '[]'::jsonb))) AS locations
    FROM alert_events
    WHERE kind = 'partial' AND ${inPeriod('decided_at', period)}
    ORDER BY decided_at, workflow_id COLLATE "C"`);
  return [...rows];
}

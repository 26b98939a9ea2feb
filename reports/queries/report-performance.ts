// Performance figures for the reports: the workflows DEGRADED now and a period's budget
// overruns, from the tables the live assessment writes (db/tables/performance-states.ts).
import { z } from 'zod';
import { sql, type CommonQueryMethods } from 'slonik';
import {
  performanceStateColumns,
  performanceStateRow,
  type PerformanceStateRow,
} from '../../db/tables/performance-states.ts';
import { inPeriod } from './report-figures.ts';

type Db = CommonQueryMethods;

/** Workflows DEGRADED now, by budget or slow-down. */
export async function getDegradedWorkflows(db: Db): Promise<PerformanceStateRow[]> {
  const rows = await db.any(sql.type(performanceStateRow)`
    SELECT ${performanceStateColumns} FROM workflow_performance_states WHERE degraded ORDER BY workflow_id`);
  return [...rows];
}

const overrunSummaryRow = z.object({
  workflowId: z.string(),
  overruns: z.number(),
  /** The budget overrun most often: "total" or the step title. */
  topTarget: z.string(),
  topCount: z.number(),
  topBudgetMs: z.number(),
  topMaxActualMs: z.number(),
  lastAt: z.date(),
});
export type OverrunSummary = z.infer<typeof overrunSummaryRow>;

/** Per workflow: DEGRADED attempts in [start, end) and the budget overrun most often. */
export async function getBudgetOverrunSummary(db: Db, period: { start: Date; end: Date }): Promise<OverrunSummary[]> {
  const rows = await db.any(sql.type(overrunSummaryRow)`
    WITH o AS (
      SELECT workflow_id, started_at, x.scope, x.title, (x."budgetMs")::float8 AS budget, (x."actualMs")::float8 AS actual
      FROM execution_budget_overruns,
        jsonb_to_recordset(overruns) AS x(scope text, title text, "budgetMs" double precision, "actualMs" double precision)
      WHERE ${inPeriod('started_at', period)}
    ),
    attempts AS (
      SELECT workflow_id, count(*)::integer AS n, max(started_at) AS last_at FROM execution_budget_overruns
      WHERE ${inPeriod('started_at', period)}
      GROUP BY workflow_id
    ),
    targets AS (
      SELECT DISTINCT ON (workflow_id) workflow_id, CASE WHEN scope = 'total' THEN 'total' ELSE title END AS target,
        count(*)::integer AS n, max(budget) AS budget, max(actual) AS max_actual
      FROM o GROUP BY workflow_id, 2
      ORDER BY workflow_id, n DESC, max(actual) - max(budget) DESC, 2
    )
    SELECT a.workflow_id AS "workflowId", a.n AS overruns, t.target AS "topTarget", t.n AS "topCount",
      t.budget AS "topBudgetMs", t.max_actual AS "topMaxActualMs", a.last_at AS "lastAt"
    FROM attempts a JOIN targets t USING (workflow_id) ORDER BY a.workflow_id`);
  return [...rows];
}

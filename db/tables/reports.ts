// monitoring_reports: hourly and daily summaries, idempotent on report_id (a regenerated
// report replaces the stored one).
import { z } from 'zod';
import { sql, type CommonQueryMethods, type SerializableValue } from 'slonik';
import { rowLimit, whereAll } from './list-filters.ts';
import { storableJson } from './storable.ts';

export const reportKinds = ['hourly', 'daily'] as const;
export type ReportKind = (typeof reportKinds)[number];

/** A report as the reports module saves it: every column but the row's id and created_at. */
const reportRecord = z.object({
  reportId: z.string(),
  kind: z.enum(reportKinds),
  periodStart: z.date(),
  periodEnd: z.date(),
  totalExecutions: z.number(),
  passedExecutions: z.number(),
  failedExecutions: z.number(),
  flakyExecutions: z.number(),
  /** 0..1 */
  successRate: z.number(),
  avgDurationMs: z.number().nullable(),
  p95DurationMs: z.number().nullable(),
  criticalIssues: z.number(),
  /** Change against the previous period; positive means higher. */
  successRateTrend: z.number().nullable(),
  performanceTrend: z.number().nullable(),
  errorRateTrend: z.number().nullable(),
  recommendations: z.array(z.unknown()),
  /** The whole report as the reports module built it. */
  body: z.unknown(),
});
export type ReportRecord = z.infer<typeof reportRecord>;

export async function saveReport(db: CommonQueryMethods, r: ReportRecord): Promise<void> {
  await db.query(sql.type(z.object({}))`
    INSERT INTO monitoring_reports (report_id, kind, period_start, period_end, total_executions, passed_executions,
      failed_executions, flaky_executions, success_rate, avg_duration_ms, p95_duration_ms, critical_issues,
      success_rate_trend, performance_trend, error_rate_trend, recommendations, body)
    VALUES (${r.reportId}, ${r.kind}, ${r.periodStart.toISOString()}::timestamptz, ${r.periodEnd.toISOString()}::timestamptz,
      ${r.totalExecutions}, ${r.passedExecutions}, ${r.failedExecutions}, ${r.flakyExecutions}, ${r.successRate},
      ${r.avgDurationMs}, ${r.p95DurationMs}, ${r.criticalIssues}, ${r.successRateTrend}, ${r.performanceTrend},
      ${r.errorRateTrend}, ${sql.jsonb(storableJson(r.recommendations) as SerializableValue)}, ${sql.jsonb(storableJson(r.body ?? {}) as SerializableValue)})
    ON CONFLICT (report_id) DO UPDATE SET kind = EXCLUDED.kind, period_start = EXCLUDED.period_start,
      period_end = EXCLUDED.period_end, total_executions = EXCLUDED.total_executions,
      passed_executions = EXCLUDED.passed_executions, failed_executions = EXCLUDED.failed_executions,
      flaky_executions = EXCLUDED.flaky_executions, success_rate = EXCLUDED.success_rate,
      avg_duration_ms = EXCLUDED.avg_duration_ms, p95_duration_ms = EXCLUDED.p95_duration_ms,
      critical_issues = EXCLUDED.critical_issues, success_rate_trend = EXCLUDED.success_rate_trend,
      performance_trend = EXCLUDED.performance_trend, error_rate_trend = EXCLUDED.error_rate_trend,
      recommendations = EXCLUDED.recommendations, body = EXCLUDED.body, created_at = now()`);
}

const reportRow = reportRecord.extend({ id: z.number(), createdAt: z.date() });
export type StoredReport = z.infer<typeof reportRow>;

export type ReportFilter = {
  /** Default 50, at most 1,000. */
  limit?: number;
  /** Reports whose period starts at or after this. */
  startDate?: Date;
  /** Reports whose period starts before this. */
  endDate?: Date;
  kind?: ReportKind;
};

/** Newest period first. */
export async function getReports(db: CommonQueryMethods, filter: ReportFilter = {}): Promise<StoredReport[]> {
  const where = whereAll([
    !!filter.startDate && sql.fragment`period_start >= ${filter.startDate.toISOString()}::timestamptz`,
    !!filter.endDate && sql.fragment`period_start < ${filter.endDate.toISOString()}::timestamptz`,
    !!filter.kind && sql.fragment`kind = ${filter.kind}`,
  ]);
  const rows = await db.any(sql.type(reportRow)`
    SELECT id, created_at AS "createdAt", report_id AS "reportId", kind, period_start AS "periodStart",
      period_end AS "periodEnd", total_executions AS "totalExecutions", passed_executions AS "passedExecutions",
      failed_executions AS "failedExecutions", flaky_executions AS "flakyExecutions", success_rate AS "successRate",
      avg_duration_ms AS "avgDurationMs", p95_duration_ms AS "p95DurationMs", critical_issues AS "criticalIssues",
      success_rate_trend AS "successRateTrend", performance_trend AS "performanceTrend",
      error_rate_trend AS "errorRateTrend", recommendations, body
    FROM monitoring_reports WHERE ${where}
    ORDER BY period_start DESC, id DESC LIMIT ${rowLimit(filter.limit, 50, 1000)}`);
  return [...rows];
}

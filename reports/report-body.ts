// The whole report as stored in monitoring_reports.body and written to <id>.json. JSON-safe on
// purpose (times are ISO strings): what is rendered from a fresh report and from a stored one is
// the same value. Fields are only ever added within a version.
import type { ReportKind } from '../db/tables/reports.ts';
import type { Priority } from '../core/workflow.ts';
import type { Recommendation } from './recommendation-model.ts';
import type { PeriodTotals, Trends } from './trends.ts';

export type WorkflowLine = {
  workflowId: string;
  name: string;
  priority: Priority;
  executions: number;
  passed: number;
  failed: number;
  flaky: number;
  successRate: number | null;
  avgDurationMs: number | null;
  p95DurationMs: number | null;
  /** Of passing attempts, this period and the previous one (the "slower" rule compares them). */
  p95PassedMs: number | null;
  previousP95PassedMs: number | null;
  previousSuccessRate: number | null;
};

export type CriticalIssues = {
  /** Distinct workflows in `critical` or `down` (down counts only when known): one per workflow, not per event. */
  count: number;
  failedCriticalExecutions: number;
  critical: { workflowId: string; name: string; failed: number }[];
  /** Workflows DOWN when the report was generated; null for a past period (not known then). */
  down:
    { workflowId: string; name: string; since: string; consecutiveFailures: number; lastError: string | null }[] | null;
};

/** Failed attempts of one cause (reporters/cause.ts), with the workflows that had them. */
export type CauseLine = { cause: string; failures: number; workflows: { workflowId: string; failures: number }[] };

/** One workflow from one location (issue 16): its attempts there, success rate and p95. */
export type LocationLine = {
  workflowId: string;
  location: string;
  executions: number;
  passed: number;
  failed: number;
  successRate: number | null;
  p95DurationMs: number | null;
};

export type DegradedLine = { workflowId: string; reasons: string[]; since: string | null; summary: string | null };

export type ReportBody = {
  version: 1;
  reportId: string;
  kind: ReportKind;
  /** "Daily Workflow Monitoring Summary" */
  title: string;
  periodStart: string;
  periodEnd: string;
  generatedAt: string;
  totals: PeriodTotals;
  previous: { periodStart: string; periodEnd: string; totals: PeriodTotals } | null;
  trends: Trends;
  criticalIssues: CriticalIssues;
  workflows: WorkflowLine[];
  /** Workflows DEGRADED (over budget or slower than usual) at generation; null for a past period. */
  degraded: DegradedLine[] | null;
  recommendations: Recommendation[];
  /** Failed attempts by cause, most first (absent in reports made before causes were recorded). */
  failuresByCause?: CauseLine[];
  /** Per workflow and location, when the period's attempts came from more than one location (absent otherwise). */
  locations?: LocationLine[];
  /** Episodes of a workflow failing from fewer locations than its quorum (no page), when any (absent otherwise). */
  failingFrom?: { workflowId: string; at: string; locations: string[] }[];
};

export const reportTitles: Record<ReportKind, string> = {
  hourly: 'Hourly Workflow Monitoring Summary',
  daily: 'Daily Workflow Monitoring Summary',
};

export const periodWords: Record<ReportKind, { noun: string; ms: number }> = {
  hourly: { noun: 'hour', ms: 3_600_000 },
  daily: { noun: 'day', ms: 86_400_000 },
};

/** "daily-2026-11-14T0000Z": sortable, safe in file names, the same for the same period. */
export function reportIdFor(kind: ReportKind, periodEnd: Date): string {
  const iso = periodEnd.toISOString();
  return `${kind}-${iso.slice(0, 10)}T${iso.slice(11, 13)}${iso.slice(14, 16)}Z`;
}

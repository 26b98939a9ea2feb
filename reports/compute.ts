// A report for any period, from the database: figures of the period and of the previous period
// of the same length, what failed and why, health checks, deliveries, missed runs, budgets, and
// the recommendations over all of it. Exact figures from raw attempts: a day is read once per
// period, by independent queries that run side by side on the pool's connections.
import type { DatabasePool } from '../db/pool.ts';
import { getFailureSummaries } from './queries/report-failures.ts';
import { getFailureCauses } from './queries/report-causes.ts';
import type { Period, PeriodFigures } from './queries/report-figures.ts';
import { getHealthSummaries } from './queries/report-health.ts';
import { getFailingFromEpisodes, getLocationFigures } from './queries/report-locations.ts';
import { getDeliverySummaries } from './queries/report-notifications.ts';
import { getBudgetOverrunSummary, getDegradedWorkflows } from './queries/report-performance.ts';
import { getDownWorkflows } from './queries/report-states.ts';
import { getStepDurations } from './queries/report-steps.ts';
import type { ReportKind } from '../db/tables/reports.ts';
import { findMissedRuns, type CatalogEntry } from './missed-runs.ts';
import { getPeriodFigures } from './period-figures.ts';
import { defaultThresholds, recommend, slowerCandidates, type RecommendationThresholds } from './recommendations.ts';
import {
  periodWords,
  reportIdFor,
  reportTitles,
  type CauseLine,
  type CriticalIssues,
  type DegradedLine,
  type ReportBody,
  type WorkflowLine,
} from './report-body.ts';
import { computeTrends, totalsOf } from './trends.ts';

export type ComputeOptions = {
  kind: ReportKind;
  period: Period;
  /** Known workflows with their schedules (missed runs); the daemon's discovery. */
  catalog?: readonly CatalogEntry[];
  thresholds?: RecommendationThresholds;
  /** The moment of generation: DOWN and DEGRADED are quoted only for a period that just ended. */
  now?: Date;
};

const HOUR_MS = 3_600_000;

/**
 * The period a report of `kind` ending at `periodEnd` covers; the end is rounded down to the hour
 * (the scheduled reports' aligned periods), or, `exact`, ends at that moment (a report asked for now).
 */
export function periodFor(kind: ReportKind, periodEnd: Date, options: { exact?: boolean } = {}): Period {
  const end = options.exact
    ? new Date(Math.floor(periodEnd.getTime() / 1000) * 1000)
    : new Date(Math.floor(periodEnd.getTime() / HOUR_MS) * HOUR_MS);
  return { start: new Date(end.getTime() - periodWords[kind].ms), end };
}

function workflowLines(current: PeriodFigures, previous: PeriodFigures): WorkflowLine[] {
  const before = new Map(previous.workflows.map((w) => [w.workflowId, w]));
  return current.workflows.map((w) => {
    const b = before.get(w.workflowId);
    return {
      workflowId: w.workflowId,
      name: w.name,
      priority: w.priority,
      executions: w.runs,
      passed: w.passed,
      failed: w.failed,
      flaky: w.flaky,
      successRate: w.runs === 0 ? null : w.passed / w.runs,
      avgDurationMs: w.avgDurationMs,
      p95DurationMs: w.p95DurationMs,
      p95PassedMs: w.p95PassedMs,
      previousP95PassedMs: b?.p95PassedMs ?? null,
      previousSuccessRate: b && b.runs > 0 ? b.passed / b.runs : null,
    };
  });
}

export async function computeReport(pool: DatabasePool, options: ComputeOptions): Promise<ReportBody> {
  const { kind, period } = options;
  const t = options.thresholds ?? defaultThresholds;
  const now = options.now ?? new Date();
  const length = period.end.getTime() - period.start.getTime();
  const previousPeriod: Period = { start: new Date(period.start.getTime() - length), end: period.start };
  // DOWN and DEGRADED describe now: true of the period that just ended, unknown for older ones.
  const live = now.getTime() - period.end.getTime() < length;

  const [
    current,
    previous,
    failures,
    health,
    deliveries,
    overruns,
    down,
    degradedRows,
    causeCounts,
    byLocation,
    partial,
  ] = await Promise.all([
    getPeriodFigures(pool, period),
    getPeriodFigures(pool, previousPeriod),
    getFailureSummaries(pool, period),
    getHealthSummaries(pool, period),
    getDeliverySummaries(pool, period),
    getBudgetOverrunSummary(pool, period),
    live ? getDownWorkflows(pool) : Promise.resolve(null),
    live ? getDegradedWorkflows(pool) : Promise.resolve(null),
    getFailureCauses(pool, period),
    getLocationFigures(pool, period),
    getFailingFromEpisodes(pool, period),
  ]);

  const candidates = slowerCandidates(current.workflows, previous.workflows, t.slower).map(
    (c) => c.workflow.workflowId,
  );
  const [stepsNow, stepsBefore] = await Promise.all([
    getStepDurations(pool, candidates, period),
    getStepDurations(pool, candidates, previousPeriod),
  ]);

  const totals = totalsOf(current.overall);
  const previousTotals = previous.overall.runs > 0 ? totalsOf(previous.overall) : null;
  const names = new Map(current.workflows.map((w) => [w.workflowId, w.name]));
  const downLines =
    down?.map((d) => ({
      workflowId: d.workflowId,
      name: d.name ?? names.get(d.workflowId) ?? d.workflowId,
      since: d.since.toISOString(),
      consecutiveFailures: d.consecutiveFailures,
      lastError: d.lastError,
    })) ?? null;
  const critical = current.workflows
    .filter((w) => w.criticalFailures > 0)
    .map((w) => ({ workflowId: w.workflowId, name: w.name, failed: w.criticalFailures }));
  const criticalIssues: CriticalIssues = {
    // Workflows, not events: a critical workflow that failed and is DOWN is one issue.
    count: new Set([...critical.map((w) => w.workflowId), ...(downLines ?? []).map((d) => d.workflowId)]).size,
    failedCriticalExecutions: current.overall.criticalFailures,
    critical,
    down: downLines,
  };
  const degraded: DegradedLine[] | null =
    degradedRows?.map((r) => {
      const last = (r.details as { lastEvent?: { summary?: string } }).lastEvent;
      return {
        workflowId: r.workflowId,
        reasons: r.reasons,
        since: r.degradedSince?.toISOString() ?? null,
        summary: last?.summary ?? null,
      };
    }) ?? null;
  const catalog = options.catalog ?? [];
  const missedRuns = findMissedRuns(catalog, current.workflows, previous.workflows, period, t.missedRuns, now);

  const recommendations = recommend(
    {
      periodNoun: periodWords[kind].noun,
      totals,
      previousTotals,
      workflows: current.workflows,
      previousWorkflows: previous.workflows,
      failures,
      steps: { current: stepsNow, previous: stepsBefore },
      health,
      deliveries,
      missedRuns,
      overruns,
      degraded,
      down: downLines,
      knownWorkflows: catalog.length,
    },
    t,
  );

  return {
    version: 1,
    reportId: reportIdFor(kind, period.end),
    kind,
    title: reportTitles[kind],
    periodStart: period.start.toISOString(),
    periodEnd: period.end.toISOString(),
    generatedAt: now.toISOString(),
    totals,
    previous: previousTotals
      ? {
          periodStart: previousPeriod.start.toISOString(),
          periodEnd: previousPeriod.end.toISOString(),
          totals: previousTotals,
        }
      : null,
    trends: computeTrends(totals, previousTotals),
    criticalIssues,
    workflows: workflowLines(current, previous),
    degraded,
    recommendations,
    failuresByCause: byCause(causeCounts),
    // One location (every single-location install): the workflow table already says it all.
    ...(new Set(byLocation.map((l) => l.location)).size > 1
      ? {
          locations: byLocation.map((l) => ({
            ...l,
            successRate: l.executions === 0 ? null : l.passed / l.executions,
          })),
        }
      : {}),
    ...(partial.length
      ? {
          failingFrom: partial.map((p) => ({
            workflowId: p.workflowId,
            at: p.at.toISOString(),
            locations: p.locations,
          })),
        }
      : {}),
  };
}

function byCause(rows: readonly { cause: string; workflowId: string; failures: number }[]): CauseLine[] {
  const lines = new Map<string, CauseLine>();
  for (const r of rows) {
    const line = lines.get(r.cause) ?? { cause: r.cause, failures: 0, workflows: [] };
    line.failures += r.failures;
    line.workflows.push({ workflowId: r.workflowId, failures: r.failures });
    lines.set(r.cause, line);
  }
  return [...lines.values()].sort((a, b) => b.failures - a.failures || a.cause.localeCompare(b.cause));
}

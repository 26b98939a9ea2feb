// One report, end to end: compute it, store its row (replacing a previous run for the same
// period), write its files, send the summary to the channels, and append it to the GitHub
// Actions step summary. What the daemon calls every hour and every day. Storing the row is the
// part that must work (it throws); files, delivery and the step summary are each attempted and
// their problems returned, so one broken disk or webhook does not lose the rest.
import type { DatabasePool } from '../db/pool.ts';
import { saveReport, type ReportKind, type ReportRecord } from '../db/tables/reports.ts';
import type { DeliveryResult, Notifier } from '../notifiers/delivery/deliver.ts';
import { computeReport, periodFor } from './compute.ts';
import { loadReportsConfig, type ReportsConfig } from './config.ts';
import type { CatalogEntry } from './missed-runs.ts';
import { renderMarkdown } from './render-markdown.ts';
import { reportAlert } from './report-alert.ts';
import type { ReportBody } from './report-body.ts';
import { appendStepSummary, writeReportFiles, type ReportFiles } from './write-files.ts';
import { processEnv } from '../config/env.ts';

export type GenerateOptions = {
  kind: ReportKind;
  /** Rounded down to the hour; default now. The period is the hour or day before it. */
  periodEnd?: Date;
  /** The period ends exactly at periodEnd (a report asked for by hand), not at the hour before. */
  exactEnd?: boolean;
  /** Send the summary through it (createNotifier from notifiers/delivery/deliver.ts). */
  notifier?: Pick<Notifier, 'send'> | null;
  /** Known workflows and schedules, for missed runs. */
  catalog?: readonly CatalogEntry[];
  /** Default: the process's loadReportsConfig() (MONITOR_REPORTS_DIR, GITHUB_STEP_SUMMARY, MONITOR_REPORT_RULES). */
  config?: Pick<ReportsConfig, 'reportsDir' | 'githubStepSummary' | 'thresholds'>;
  /** Skip the files (the CLI's dry runs, tests of the row alone). */
  writeFiles?: boolean;
  now?: Date;
};

export type GeneratedReport = {
  body: ReportBody;
  record: ReportRecord;
  markdown: string;
  files: ReportFiles | null;
  deliveries: DeliveryResult[] | null;
  stepSummary: string | null;
  /** One line per part that failed (files, delivery, step summary). */
  problems: string[];
};

export function toRecord(body: ReportBody): ReportRecord {
  return {
    reportId: body.reportId,
    kind: body.kind,
    periodStart: new Date(body.periodStart),
    periodEnd: new Date(body.periodEnd),
    totalExecutions: body.totals.executions,
    passedExecutions: body.totals.passed,
    failedExecutions: body.totals.failed,
    flakyExecutions: body.totals.flaky,
    // The column is NOT NULL; body.totals.successRate keeps the null of an empty period.
    successRate: body.totals.successRate ?? 0,
    avgDurationMs: body.totals.avgDurationMs,
    p95DurationMs: body.totals.p95DurationMs,
    criticalIssues: body.criticalIssues.count,
    successRateTrend: body.trends.successRate,
    performanceTrend: body.trends.performance,
    errorRateTrend: body.trends.errorRate,
    recommendations: body.recommendations,
    body,
  };
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

export async function generateReport(pool: DatabasePool, options: GenerateOptions): Promise<GeneratedReport> {
  const now = options.now ?? new Date();
  const config = options.config ?? loadReportsConfig(processEnv());
  const body = await computeReport(pool, {
    kind: options.kind,
    period: periodFor(options.kind, options.periodEnd ?? now, { exact: options.exactEnd ?? false }),
    catalog: options.catalog ?? [],
    thresholds: config.thresholds,
    now,
  });
  const record = toRecord(body);
  await saveReport(pool, record);
  const markdown = renderMarkdown(body);
  const problems: string[] = [];

  let files: ReportFiles | null = null;
  if (options.writeFiles !== false) {
    try {
      files = await writeReportFiles(config.reportsDir, body, markdown);
    } catch (error) {
      problems.push(`could not write the report files to ${config.reportsDir}: ${message(error)}`);
    }
  }

  let deliveries: DeliveryResult[] | null = null;
  if (options.notifier) {
    // send() never throws and bounds itself; a failed channel is a result, reported here too.
    deliveries = await options.notifier.send(reportAlert(body, now));
    for (const d of deliveries.filter((x) => !x.sent && x.outcome !== 'skipped')) {
      problems.push(`the summary did not reach ${d.channel} (${d.outcome}): ${d.error ?? 'no detail'}`);
    }
  }

  let stepSummary: string | null = null;
  if (config.githubStepSummary) {
    try {
      await appendStepSummary(config.githubStepSummary, markdown);
      stepSummary = config.githubStepSummary;
    } catch (error) {
      problems.push(`could not append to GITHUB_STEP_SUMMARY: ${message(error)}`);
    }
  }
  return { body, record, markdown, files, deliveries, stepSummary, problems };
}

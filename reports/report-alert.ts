// The report as an alert of kind 'report': the notifiers render it in the runbook's "Daily
// Workflow Monitoring Summary" layout (Slack, Discord, Teams, e-mail, webhook).
import type { Alert, ReportSummary } from '../notifiers/alert.ts';
import { summaryMessage } from './render-markdown.ts';
import type { ReportBody } from './report-body.ts';

export function reportSummaryOf(r: ReportBody): ReportSummary {
  return {
    period: r.kind === 'daily' ? 'Daily' : 'Hourly',
    periodStart: new Date(r.periodStart),
    periodEnd: new Date(r.periodEnd),
    total: r.totals.executions,
    // No executions: no success rate (never "0.0%").
    successRate: r.totals.executions === 0 || r.totals.successRate === null ? null : r.totals.successRate * 100,
    passed: r.totals.passed,
    failed: r.totals.failed,
    avgDurationMs: r.totals.avgDurationMs ?? 0,
    criticalIssues: r.criticalIssues.count,
  };
}

export function reportAlert(r: ReportBody, at: Date = new Date(r.generatedAt)): Alert {
  const message = summaryMessage(r);
  return {
    kind: 'report',
    title: r.title,
    // A summary is information; what is urgent has already gone out as its own alert.
    priority: 'low',
    message: message === '' ? null : message,
    report: reportSummaryOf(r),
    at,
  };
}

// The words and figures every channel shows, computed once so Slack, Discord, Teams, e-mail
// and the webhook agree on labels, units and order. Markup is left to each channel.
import { stripVTControlCharacters } from 'node:util';
import type { NotificationKind } from '../core/records.ts';
import type { Priority } from '../core/workflow.ts';
import { DEFAULT_LOCATION } from '../core/locations.ts';
import type { Alert, AlertLocations, DigestItem } from './alert.ts';
import { truncate } from './limits.ts';

export type Tone = 'bad' | 'warn' | 'good' | 'info';

export type Fact = { label: string; value: string };

export type Artifact = { label: 'Result' | 'Trace' | 'Screenshot'; url: string | null; path: string | null };

export type AlertView = {
  /** Title with the kind's emoji: "🚨 Workflow Failed: User Login". */
  heading: string;
  /** "Cause: POST /api/orders answered 500 during 'Place order'", or null. */
  cause: string | null;
  /** Opens with the cause line when there is one, so every channel leads with it. */
  summary: string | null;
  facts: Fact[];
  error: string | null;
  artifacts: Artifact[];
  runId: string | null;
  at: Date;
  items: DigestItem[];
  context: Fact[];
  tone: Tone;
};

const kindEmoji: Record<NotificationKind, string> = {
  failure: '🚨',
  recovery: '✅',
  reminder: '⏰',
  digest: '📋',
  flaky: '🎲',
  flapping: '🔁',
  partial: '📍',
  degraded: '⚠️',
  success: '✅',
  critical: '🔥',
  report: '🌟',
  test: '🧪',
};

const kindTone: Record<NotificationKind, Tone> = {
  failure: 'bad',
  recovery: 'good',
  reminder: 'bad',
  digest: 'bad',
  flaky: 'warn',
  flapping: 'warn',
  partial: 'warn',
  degraded: 'warn',
  success: 'good',
  critical: 'bad',
  report: 'info',
  test: 'info',
};

const priorityEmoji: Record<Priority, string> = { critical: '🚨', high: '🔴', medium: '🟡', low: '🔵' };

const statusLabels: Record<string, string> = {
  passed: '✅ PASSED',
  failed: '❌ FAILED',
  timedOut: '⏱️ TIMED OUT',
  interrupted: '⛔ INTERRUPTED',
  skipped: '⏭️ SKIPPED',
  flaky: '🎲 FLAKY',
  partial: '📍 FAILING FROM SOME LOCATIONS',
  degraded: '⚠️ DEGRADED',
  recovered: '✅ RECOVERED',
  down: '❌ DOWN',
  up: '✅ UP',
  test: '🧪 TEST',
};

export function kindHeading(alert: Pick<Alert, 'kind' | 'title'>): string {
  return `${kindEmoji[alert.kind]} ${alert.title}`;
}

export function priorityLabel(priority: Priority): string {
  return `${priorityEmoji[priority]} ${priority.toUpperCase()}`;
}

export function priorityIcon(priority: Priority): string {
  return priorityEmoji[priority];
}

export function statusLabel(status: string): string {
  return statusLabels[status] ?? status.toUpperCase();
}

/** 850ms, 5.23s, 4m 12s, 2h 03m: the precision a person reads at a glance. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '-';
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(2)}s`;
  const totalSeconds = Math.round(ms / 1000);
  if (totalSeconds < 3600) return `${Math.floor(totalSeconds / 60)}m ${String(totalSeconds % 60).padStart(2, '0')}s`;
  const totalMinutes = Math.floor(totalSeconds / 60);
  if (totalMinutes < 24 * 60) return `${Math.floor(totalMinutes / 60)}h ${String(totalMinutes % 60).padStart(2, '0')}m`;
  return `${Math.floor(totalMinutes / 1440)}d ${Math.floor((totalMinutes % 1440) / 60)}h`;
}

const timeFormat = new Intl.DateTimeFormat('en-US', {
  month: 'short',
  day: 'numeric',
  year: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
  second: '2-digit',
  timeZone: 'UTC',
});
const dateFormat = new Intl.DateTimeFormat('en-US', {
  month: 'short',
  day: 'numeric',
  year: 'numeric',
  timeZone: 'UTC',
});

/** "Nov 15, 2025 10:30:45 AM UTC": for channels that cannot localise times themselves. */
export function formatTime(at: Date): string {
  return `${timeFormat.format(at).replace(/,(?= \d{1,2}:)/, '')} UTC`;
}

export function formatDate(at: Date): string {
  return dateFormat.format(at);
}

export function formatPercent(value: number): string {
  return `${(Math.round(value * 10) / 10).toFixed(1)}%`;
}

/** Playwright error messages carry ANSI colours; people and platforms want plain text. */
export function cleanError(error: string | null | undefined): string | null {
  if (error === null || error === undefined) return null;
  const clean = stripVTControlCharacters(error).replace(/\r\n?/g, '\n').trim();
  return clean === '' ? null : clean;
}

/** One line of a digest without markup; each channel bolds the name its own way. */
export function digestLineParts(item: DigestItem): { icon: string; name: string; rest: string; error: string | null } {
  const repeat = item.count && item.count > 1 ? ` ×${item.count}` : '';
  const l = item.locations;
  const where = l && l.failing.length > 0 && locationsLine(l) ? ` · from ${l.failing.join(', ')}` : '';
  // The cause says in a line what the error says in a page.
  const error = item.cause ? causeLine(item.cause) : cleanError(item.error);
  return {
    icon: priorityIcon(item.priority),
    name: item.name,
    rest: `${item.priority} · ${statusLabel(item.status)}${repeat}${where}`,
    error: error === null ? null : error.replace(/\s+/g, ' '),
  };
}

/**
 * "❌ failing: eu-west, us-east · ✅ passing: ap-south": the locations that failed and those that
 * passed. Null without locations, and for a monitor with one unnamed location (`local`, today's
 * single place), whose alerts read as before.
 */
export function locationsLine(l: AlertLocations | null | undefined): string | null {
  if (!l) return null;
  const all = [...l.failing, ...l.passing];
  if (all.length === 0 || (all.length === 1 && all[0] === DEFAULT_LOCATION)) return null;
  const part = (names: string[]) => (names.length > 0 ? names.join(', ') : 'none');
  return `❌ failing: ${part(l.failing)} · ✅ passing: ${part(l.passing)}`;
}

function workflowFacts(alert: Alert): Fact[] {
  const facts: Fact[] = [];
  if (alert.status) facts.push({ label: 'Status', value: statusLabel(alert.status) });
  facts.push({ label: 'Priority', value: priorityLabel(alert.priority) });
  if (alert.durationMs !== null && alert.durationMs !== undefined) {
    facts.push({ label: 'Duration', value: `⏱️ ${formatDuration(alert.durationMs)}` });
  }
  if (alert.failedStep) {
    const { index, total, title } = alert.failedStep;
    facts.push({ label: 'Failed Steps', value: title ? `${index}/${total} (${title})` : `${index}/${total}` });
  }
  if (alert.downtimeMs !== null && alert.downtimeMs !== undefined) {
    facts.push({ label: 'Downtime', value: formatDuration(alert.downtimeMs) });
  }
  if (alert.workflow) facts.push({ label: 'Workflow', value: `${alert.workflow.name} (${alert.workflow.id})` });
  const where = locationsLine(alert.locations);
  if (where) facts.push({ label: 'Locations', value: where });
  if (alert.items && alert.items.length > 0) facts.push({ label: 'Workflows', value: String(alert.items.length) });
  return facts;
}

/** A report's success rate: none for a period in which nothing ran. */
const reportRate = (r: NonNullable<Alert['report']>) =>
  r.successRate === null || r.total === 0 ? 'no executions' : formatPercent(r.successRate);

function reportFacts(alert: Alert): Fact[] {
  const r = alert.report;
  if (!r) return workflowFacts(alert);
  return [
    { label: 'Total Workflows', value: String(r.total) },
    { label: 'Success Rate', value: reportRate(r) },
    { label: 'Passed', value: `✅ ${r.passed}` },
    { label: 'Failed', value: `❌ ${r.failed}` },
    { label: 'Avg Duration', value: `⏱️ ${formatDuration(r.avgDurationMs)}` },
    { label: 'Critical Issues', value: r.criticalIssues === 0 ? '✅ 0' : `🚨 ${r.criticalIssues}` },
  ];
}

function reportSummary(alert: Alert): string | null {
  const r = alert.report;
  if (!r) return alert.message ?? null;
  const lines = [`Period: ${formatDate(r.periodStart)} - ${formatDate(r.periodEnd)}`, `Success Rate: ${reportRate(r)}`];
  if (alert.message) lines.push(alert.message);
  return lines.join('\n');
}

function artifacts(alert: Alert): Artifact[] {
  const list: Artifact[] = [];
  if (alert.resultUrl) list.push({ label: 'Result', url: alert.resultUrl, path: null });
  if (alert.traceUrl || alert.tracePath)
    list.push({ label: 'Trace', url: alert.traceUrl ?? null, path: alert.tracePath ?? null });
  if (alert.screenshotUrl || alert.screenshotPath) {
    list.push({ label: 'Screenshot', url: alert.screenshotUrl ?? null, path: alert.screenshotPath ?? null });
  }
  return list;
}

/** The alert's one-line cause: "Cause: …", on a single line and bounded. */
export function causeLine(cause: string | null | undefined): string | null {
  const text = cleanError(cause)?.replace(/\s+/g, ' ');
  return text ? truncate(`Cause: ${text}`, 300) : null;
}

const maxContextEntries = 20;
const maxContextValue = 500;

export function viewOf(alert: Alert): AlertView {
  // Context is free-form: bounded here so that no channel has to guess how much may come.
  const entries = Object.entries(alert.context ?? {});
  const context = entries
    .slice(0, maxContextEntries)
    .map(([label, value]) => ({ label: truncate(label, 100), value: truncate(String(value ?? '-'), maxContextValue) }));
  if (entries.length > maxContextEntries)
    context.push({ label: 'More', value: `${entries.length - maxContextEntries} more entries not shown` });
  const cause = causeLine(alert.cause);
  const summary = alert.kind === 'report' ? reportSummary(alert) : (alert.message ?? null);
  return {
    heading: kindHeading(alert),
    cause,
    summary: cause ? [cause, summary].filter(Boolean).join('\n') : summary,
    facts: alert.kind === 'report' ? reportFacts(alert) : workflowFacts(alert),
    error: cleanError(alert.error),
    artifacts: artifacts(alert),
    runId: alert.runId ?? null,
    at: alert.at,
    items: alert.items ?? [],
    context,
    tone: kindTone[alert.kind],
  };
}

/** How to open a trace that lives on the monitor's disk. */
export function showTraceCommand(path: string): string {
  return `npx playwright show-trace ${/\s/.test(path) ? JSON.stringify(path) : path}`;
}

/** The whole alert as plain text: e-mail's text part, Slack's fallback, the notification log. */
export function plainText(alert: Alert): string {
  const view = viewOf(alert);
  const lines = [view.heading];
  if (view.summary) lines.push('', view.summary);
  if (view.facts.length > 0) {
    lines.push('');
    for (const f of view.facts) lines.push(`${f.label}: ${f.value}`);
  }
  for (const f of view.context) lines.push(`${f.label}: ${f.value}`);
  if (view.error) lines.push('', 'Error:', view.error);
  if (view.items.length > 0) {
    lines.push('');
    for (const item of view.items) {
      const p = digestLineParts(item);
      lines.push(`${p.icon} ${p.name} · ${p.rest}${p.error ? ` · ${p.error}` : ''}`);
    }
  }
  if (view.artifacts.length > 0) lines.push('');
  for (const a of view.artifacts) {
    if (a.url) lines.push(`${a.label}: ${a.url}`);
    if (a.path) lines.push(`${a.label}: ${a.label === 'Trace' ? showTraceCommand(a.path) : a.path}`);
  }
  lines.push(
    '',
    [view.runId ? `Run ID: ${view.runId}` : null, `🕐 ${formatTime(view.at)}`].filter(Boolean).join(' | '),
  );
  return lines.join('\n');
}

// A report as Markdown: the runbook's summary figures first (with the previous period beside
// them), then what needs attention, then the per-workflow table. The same text goes to
// monitoring-reports/<id>.md and to GitHub Actions' step summary.
import { formatDuration } from '../notifiers/format.ts';
import { count, pct, points, signedPct, utc } from './format.ts';
import { recommendationLine, type Recommendation } from './recommendations.ts';
import { periodWords, type ReportBody, type WorkflowLine } from './report-body.ts';

export type MarkdownOptions = { /** Rows of the workflow table; the worst come first. */ maxWorkflows?: number };

const duration = (v: number | null | undefined) => (v === null || v === undefined ? '-' : formatDuration(v));
const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\s+/g, ' ');
const severityIcon: Record<Recommendation['severity'], string> = { critical: '🚨', warning: '⚠️', info: 'ℹ️' };

/** A section of the report: a blank line, its `## title`, a blank line, its lines. */
function section(title: string, ...lines: string[]): string[] {
  return ['', `## ${title}`, '', ...lines];
}

function summaryTable(r: ReportBody): string[] {
  const p = r.previous?.totals ?? null;
  const t = r.totals;
  const noun = periodWords[r.kind].noun;
  const rows: [string, string, string, string][] = [
    ['Total Workflows (executions)', count(t.executions), p ? count(p.executions) : '-', ''],
    ['Success Rate', pct(t.successRate), pct(p?.successRate), points(r.trends.successRate)],
    ['Passed', `✅ ${count(t.passed)}`, p ? count(p.passed) : '-', ''],
    ['Failed', `❌ ${count(t.failed)}`, p ? count(p.failed) : '-', ''],
    ['Flaky (passed on retry)', count(t.flaky), p ? count(p.flaky) : '-', ''],
    ['Error Rate (runs failed after retries)', pct(t.errorRate), pct(p?.errorRate), points(r.trends.errorRate)],
    ['Avg Duration', `⏱️ ${duration(t.avgDurationMs)}`, duration(p?.avgDurationMs), signedPct(r.trends.performance)],
    ['p95 Duration', duration(t.p95DurationMs), duration(p?.p95DurationMs), signedPct(r.trends.p95)],
    ['Critical Issues', r.criticalIssues.count === 0 ? '✅ 0' : `🚨 ${count(r.criticalIssues.count)}`, '', ''],
  ];
  return [
    `| | this ${noun} | previous ${noun} | change |`,
    '| --- | ---: | ---: | ---: |',
    ...rows.map((row) => `| ${row.map(cell).join(' | ')} |`),
  ];
}

function criticalSection(r: ReportBody): string[] {
  const c = r.criticalIssues;
  // One line per workflow: a critical workflow that failed and is DOWN is one issue, said once.
  const down = new Map((c.down ?? []).map((d) => [d.workflowId, d]));
  const downText = (d: NonNullable<ReportBody['criticalIssues']['down']>[number]) =>
    `DOWN since ${utc(d.since)} after ${count(d.consecutiveFailures)} consecutive failure(s)` +
    (d.lastError ? `: ${cell(d.lastError.split('\n')[0] ?? '')}` : '');
  const lines: string[] = [];
  for (const w of c.critical) {
    const d = down.get(w.workflowId);
    down.delete(w.workflowId);
    lines.push(
      `- 🚨 ${cell(w.name)} (\`${w.workflowId}\`, critical): ${count(w.failed)} failed execution(s)` +
        (d ? `; ${downText(d)}` : ''),
    );
  }
  if (c.down === null) lines.push('- DOWN workflows: not known for a past period');
  else for (const d of down.values()) lines.push(`- ❌ ${cell(d.name)} (\`${d.workflowId}\`) is ${downText(d)}`);
  return lines.length === 0 ? [] : section('Critical issues', ...lines);
}

function recommendationsSection(r: ReportBody): string[] {
  if (r.recommendations.length === 0) return section('Recommendations', 'Nothing to do: no rule fired in this period.');
  return section(
    'Recommendations',
    ...r.recommendations.flatMap((rec, i) => [
      `${i + 1}. ${severityIcon[rec.severity]} **${cell(rec.subject)}** ${cell(rec.finding)}`,
      `   - ${cell(rec.action)}`,
    ]),
  );
}

function degradedSection(r: ReportBody): string[] {
  if (!r.degraded || r.degraded.length === 0) return [];
  return section(
    'Degraded now',
    ...r.degraded.map(
      (d) =>
        `- ⚠️ \`${d.workflowId}\` (${d.reasons.join(', ')}) since ${utc(d.since)}${d.summary ? `: ${cell(d.summary)}` : ''}`,
    ),
  );
}

function causesSection(r: ReportBody): string[] {
  const lines = r.failuresByCause ?? [];
  if (lines.length === 0) return [];
  return section(
    'Failures by cause',
    '| cause | failed executions | workflows |',
    '| --- | ---: | --- |',
    ...lines.map(
      (c) =>
        `| ${cell(c.cause)} | ${count(c.failures)} | ${c.workflows.map((w) => `\`${w.workflowId}\` ${count(w.failures)}`).join(', ')} |`,
    ),
  );
}

/** Per workflow and location (issue 16), when there is more than one location. */
function locationsSection(r: ReportBody, max: number): string[] {
  const rows = r.locations ?? [];
  if (rows.length === 0) return [];
  const shown = rows.slice(0, max);
  return section(
    'By location',
    '| workflow | location | executions | success | failed | p95 |',
    '| --- | --- | ---: | ---: | ---: | ---: |',
    ...shown.map(
      (l) =>
        `| \`${l.workflowId}\` | ${cell(l.location)} | ${count(l.executions)} | ${pct(l.successRate)} | ${count(l.failed)} | ${duration(l.p95DurationMs)} |`,
    ),
    ...(rows.length > shown.length
      ? ['', `…and ${count(rows.length - shown.length)} more rows in the JSON report.`]
      : []),
  );
}

/** "Failing from" episodes (below the quorum: recorded, no page), when any. */
function failingFromSection(r: ReportBody, max: number): string[] {
  const rows = r.failingFrom ?? [];
  if (rows.length === 0) return [];
  return section(
    'Failing from some locations (below the quorum, no page)',
    ...rows.slice(0, max).map((p) => `- \`${p.workflowId}\` from ${cell(p.locations.join(', '))} since ${p.at}`),
    ...(rows.length > max ? ['', `…and ${count(rows.length - max)} more in the JSON report.`] : []),
  );
}

/** Lowest success rate first, then the largest p95 rise: the rows someone should read. */
function worstFirst(a: WorkflowLine, b: WorkflowLine): number {
  const rise = (w: WorkflowLine) =>
    w.p95PassedMs !== null && w.previousP95PassedMs ? w.p95PassedMs / w.previousP95PassedMs : 1;
  return (a.successRate ?? 1) - (b.successRate ?? 1) || rise(b) - rise(a) || a.workflowId.localeCompare(b.workflowId);
}

function workflowsSection(r: ReportBody, max: number): string[] {
  if (r.workflows.length === 0) return [];
  const rows = [...r.workflows].sort(worstFirst);
  const shown = rows.slice(0, max);
  const p95Change = (w: WorkflowLine) =>
    w.p95PassedMs !== null && w.previousP95PassedMs
      ? signedPct((w.p95PassedMs - w.previousP95PassedMs) / w.previousP95PassedMs)
      : '-';
  return section(
    'Workflows',
    '| workflow | priority | executions | success | failed | flaky | avg | p95 | p95 passing | vs previous |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...shown.map(
      (w) =>
        `| ${cell(w.name)} (\`${w.workflowId}\`) | ${w.priority} | ${count(w.executions)} | ${pct(w.successRate)} | ` +
        `${count(w.failed)} | ${count(w.flaky)} | ${duration(w.avgDurationMs)} | ${duration(w.p95DurationMs)} | ${duration(w.p95PassedMs)} | ${p95Change(w)} |`,
    ),
    ...(rows.length > shown.length
      ? ['', `…and ${count(rows.length - shown.length)} more workflows in the JSON report.`]
      : []),
  );
}

export function renderMarkdown(r: ReportBody, options: MarkdownOptions = {}): string {
  const noun = periodWords[r.kind].noun;
  const lines = [
    `# 🌟 ${r.title}`,
    '',
    `Period: ${utc(r.periodStart)} – ${utc(r.periodEnd)} · report \`${r.reportId}\` · generated ${utc(r.generatedAt)}`,
    r.previous
      ? `Compared with the previous ${noun} (${utc(r.previous.periodStart)} – ${utc(r.previous.periodEnd)}).`
      : `No executions in the previous ${noun}: no trends yet.`,
    ...(r.totals.executions === 0
      ? [
          '',
          `**No executions in this ${noun}**: no workflow ran between ${utc(r.periodStart)} and ${utc(r.periodEnd)}, so there is no success rate.`,
        ]
      : []),
    '',
    ...summaryTable(r),
    ...criticalSection(r),
    ...causesSection(r),
    ...recommendationsSection(r),
    ...degradedSection(r),
    ...workflowsSection(r, options.maxWorkflows ?? 50),
    ...locationsSection(r, options.maxWorkflows ?? 50),
    ...failingFromSection(r, options.maxWorkflows ?? 50),
  ];
  return `${lines.join('\n')}\n`;
}

/** The few lines a chat message has room for: trends and the top recommendations. */
export function summaryMessage(r: ReportBody, maxRecommendations = 3): string {
  const noun = periodWords[r.kind].noun;
  const lines: string[] = [];
  if (r.totals.executions === 0) lines.push(`No executions in this ${noun}.`);
  if (r.previous && r.totals.executions > 0) {
    lines.push(
      `vs previous ${noun}: success rate ${points(r.trends.successRate)} · avg duration ${signedPct(r.trends.performance)}` +
        ` · error rate ${points(r.trends.errorRate)}`,
    );
  }
  const top = r.recommendations.slice(0, maxRecommendations);
  if (top.length > 0) {
    lines.push('Recommendations:', ...top.map((rec) => `• ${recommendationLine(rec)}`));
    if (r.recommendations.length > top.length)
      lines.push(`…and ${r.recommendations.length - top.length} more in the report ${r.reportId}.`);
  }
  return lines.join('\n');
}

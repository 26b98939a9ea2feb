// Rule-based recommendations over a period's figures: each names the workflow (or channel), the
// evidence, and what to do. Pure, deterministic (sorted by severity, rule, subject), thresholds
// in one visible object that MONITOR_REPORT_RULES may override.
import type { DeliverySummary } from './queries/report-notifications.ts';
import type { FailureSummary } from './queries/report-failures.ts';
import type { WorkflowFiguresRow } from './queries/report-figures.ts';
import type { HealthSummary } from './queries/report-health.ts';
import type { OverrunSummary } from './queries/report-performance.ts';
import type { StepDurationRow } from './queries/report-steps.ts';
import { count, ms, pct, quote, signedPct, utc } from './format.ts';
import { defaultMissedRunsOptions, type MissedRuns, type MissedRunsOptions } from './missed-runs.ts';
import type { CriticalIssues, DegradedLine } from './report-body.ts';
import type { PeriodTotals } from './trends.ts';

export const recommendationRules = [
  'no-executions',
  'failing',
  'missed-runs',
  'dependency',
  'notifications',
  'slower',
  'degraded',
  'budget',
  'flaky',
] as const;
export type RecommendationRule = (typeof recommendationRules)[number];
export const severities = ['critical', 'warning', 'info'] as const;
export type Severity = (typeof severities)[number];

export type Recommendation = {
  rule: RecommendationRule;
  severity: Severity;
  /** The workflow it is about; null for a channel or the whole monitor. */
  workflowId: string | null;
  /** "User Login (user-login)", "slack deliveries" */
  subject: string;
  /** The finding, with its evidence. */
  finding: string;
  /** What to do about it. */
  action: string;
  evidence: Record<string, string | number | null>;
};

export type RecommendationThresholds = {
  failing: { minFailures: number; minRate: number };
  flaky: { minFlaky: number; minRate: number };
  /** p95 of passing runs up by at least minIncrease (share) and minIncreaseMs, with minRuns passing runs in both periods. */
  slower: { minIncrease: number; minIncreaseMs: number; minRuns: number };
  dependency: { minChecks: number };
  notifications: { minFailures: number };
  missedRuns: MissedRunsOptions;
};

export const defaultThresholds: RecommendationThresholds = {
  failing: { minFailures: 2, minRate: 0.05 },
  flaky: { minFlaky: 2, minRate: 0.1 },
  slower: { minIncrease: 0.25, minIncreaseMs: 100, minRuns: 5 },
  dependency: { minChecks: 1 },
  notifications: { minFailures: 1 },
  missedRuns: defaultMissedRunsOptions,
};

export type RecommendationInput = {
  /** "day" or "hour": "the previous day". */
  periodNoun: string;
  totals: PeriodTotals;
  previousTotals: PeriodTotals | null;
  workflows: readonly WorkflowFiguresRow[];
  previousWorkflows: readonly WorkflowFiguresRow[];
  failures: readonly FailureSummary[];
  /** Step durations of the workflows `slowerCandidates` named, in both periods. */
  steps: { current: readonly StepDurationRow[]; previous: readonly StepDurationRow[] };
  health: readonly HealthSummary[];
  deliveries: readonly DeliverySummary[];
  missedRuns: readonly MissedRuns[];
  overruns: readonly OverrunSummary[];
  degraded: readonly DegradedLine[] | null;
  down: CriticalIssues['down'];
  /** Workflows the caller knows of (its catalog); 0 when none was given. */
  knownWorkflows: number;
};

const subjectOf = (w: { name: string; workflowId: string }) =>
  w.name === w.workflowId ? w.workflowId : `${w.name} (${w.workflowId})`;
const grep = (id: string) => `npx playwright test --grep "@${id}(?![-\\w])"`;

/** Workflows whose passing p95 rose past the thresholds: their steps are worth a query. */
export function slowerCandidates(
  current: readonly WorkflowFiguresRow[],
  previous: readonly WorkflowFiguresRow[],
  t: RecommendationThresholds['slower'] = defaultThresholds.slower,
): { workflow: WorkflowFiguresRow; before: WorkflowFiguresRow }[] {
  const prev = new Map(previous.map((w) => [w.workflowId, w]));
  return current.flatMap((w) => {
    const before = prev.get(w.workflowId);
    if (!before || w.passed < t.minRuns || before.passed < t.minRuns) return [];
    const now = w.p95PassedMs;
    const then = before.p95PassedMs;
    if (now === null || then === null || then <= 0) return [];
    return now - then >= t.minIncreaseMs && (now - then) / then >= t.minIncrease ? [{ workflow: w, before }] : [];
  });
}

function failing(input: RecommendationInput, t: RecommendationThresholds): Recommendation[] {
  const byId = new Map(input.failures.map((f) => [f.workflowId, f]));
  const down = new Set((input.down ?? []).map((d) => d.workflowId));
  return input.workflows.flatMap((w): Recommendation[] => {
    const f = byId.get(w.workflowId);
    // Runs that failed after their retries; a pass on retry is the flaky rule's business.
    const runs = Math.max(w.firstAttempts, w.passed, 1);
    const failedRuns = Math.max(0, runs - w.passed);
    const neverPassed = w.passed === 0 && w.failed > 0;
    if (!f || (!neverPassed && (failedRuns < t.failing.minFailures || failedRuns / runs < t.failing.minRate)))
      return [];
    const head = neverPassed
      ? `never passed: all ${count(runs)} runs failed`
      : `failed ${count(failedRuns)} of ${count(runs)} runs (${pct(failedRuns / runs)})`;
    const step = f.topStep ? ` Failing step: "${f.topStep}" (${count(f.topStepCount)}×).` : '';
    const look = f.lastTracePath
      ? `open the latest failure's trace (npx playwright show-trace ${f.lastTracePath})`
      : `run it alone with a trace (${grep(w.workflowId)} --trace on)`;
    const action = neverPassed
      ? `It has not passed once: check that the journey still exists on the target, its URL and its test account, then ${look}.`
      : `${look[0]!.toUpperCase()}${look.slice(1)} and fix ${f.topStep ? `the step "${f.topStep}"` : 'the failing step'}; if the page changed on purpose, update the workflow's locators.`;
    return [
      {
        rule: 'failing',
        severity: neverPassed || w.priority === 'critical' ? 'critical' : 'warning',
        workflowId: w.workflowId,
        subject: subjectOf(w),
        finding: `${head}. Most frequent error (${count(f.topErrorCount)}×): ${quote(f.topError)}.${step}${down.has(w.workflowId) ? ' It is DOWN now.' : ''}`,
        action,
        evidence: {
          runs,
          failedRuns,
          failedAttempts: w.failed,
          passed: w.passed,
          failureRate: failedRuns / runs,
          topError: f.topError,
          topErrorCount: f.topErrorCount,
          topStep: f.topStep,
          topStepCount: f.topStepCount,
          lastFailedAt: f.lastFailedAt.toISOString(),
          lastTracePath: f.lastTracePath,
        },
      },
    ];
  });
}

function flaky(input: RecommendationInput, t: RecommendationThresholds): Recommendation[] {
  return input.workflows.flatMap((w): Recommendation[] => {
    if (w.flaky < t.flaky.minFlaky || w.passed === 0 || w.flaky / w.passed < t.flaky.minRate) return [];
    const rate = w.flaky / w.passed;
    return [
      {
        rule: 'flaky',
        severity: 'warning',
        workflowId: w.workflowId,
        subject: subjectOf(w),
        finding: `is flaky: passed only on retry in ${count(w.flaky)} of ${count(w.passed)} passing runs (${pct(rate)}).`,
        action:
          "Compare a flaky run's trace with a clean one to find the race; prefer web-first assertions (await expect(locator).toBeVisible()) to fixed waits.",
        evidence: { flaky: w.flaky, passed: w.passed, flakyRate: rate },
      },
    ];
  });
}

function slower(input: RecommendationInput, t: RecommendationThresholds): Recommendation[] {
  return slowerCandidates(input.workflows, input.previousWorkflows, t.slower).map(
    ({ workflow: w, before }): Recommendation => {
      const now = w.p95PassedMs!;
      const then = before.p95PassedMs!;
      const steps = input.steps.current.filter((s) => s.workflowId === w.workflowId);
      // Slowest by p95, ties to the alphabetically first title.
      const slowest = steps.reduce<StepDurationRow | null>((a, s) => (a === null || s.p95Ms > a.p95Ms ? s : a), null);
      const was = slowest
        ? input.steps.previous.find((s) => s.workflowId === w.workflowId && s.title === slowest.title)
        : undefined;
      const stepText = slowest
        ? ` Slowest step: "${slowest.title}", p95 ${ms(slowest.p95Ms)}${was ? ` (was ${ms(was.p95Ms)})` : ''}.`
        : '';
      return {
        rule: 'slower',
        severity: 'warning',
        workflowId: w.workflowId,
        subject: subjectOf(w),
        finding: `got slower: p95 of passing runs ${ms(then)} → ${ms(now)} (${signedPct((now - then) / then)}) against the previous ${input.periodNoun}.${stepText}`,
        action: `Look at what changed on the target${slowest ? ` behind "${slowest.title}"` : ''} (deploys, data growth, a slower dependency); the trace's network tab shows which request grew.`,
        evidence: {
          p95Ms: now,
          previousP95Ms: then,
          increase: (now - then) / then,
          slowestStep: slowest?.title ?? null,
          slowestStepP95Ms: slowest?.p95Ms ?? null,
          previousSlowestStepP95Ms: was?.p95Ms ?? null,
        },
      };
    },
  );
}

function dependency(input: RecommendationInput, t: RecommendationThresholds): Recommendation[] {
  return input.health.flatMap((h): Recommendation[] => {
    const parts = (
      [
        ['database', h.database, h.lastDatabaseAt],
        ['API', h.api, h.lastApiAt],
        ['cache', h.cache, h.lastCacheAt],
      ] as const
    ).filter(([, n]) => n >= t.dependency.minChecks);
    const list =
      parts.length > 0
        ? parts.map(([dep, n, last]) => ({ dep, n, last }))
        : h.degraded >= t.dependency.minChecks
          ? [{ dep: 'platform', n: h.degraded, last: h.lastDegradedAt }]
          : [];
    return list.map(({ dep, n, last }): Recommendation => ({
      rule: 'dependency',
      severity: n / h.checks >= 0.5 ? 'critical' : 'warning',
      workflowId: h.workflowId,
      subject: `${h.workflowId} health checks`,
      finding:
        `reported the ${dep} unhealthy in ${count(n)} of ${count(h.checks)} checks (${pct(n / h.checks)}), last at ${utc(last)}` +
        `${dep === 'platform' && h.lastDegradedStatus ? ` (status "${h.lastDegradedStatus}")` : ''}.`,
      action: `Check the ${dep}'s own monitoring and logs around ${utc(last)}; journeys that use it are likely to fail or slow down next.`,
      evidence: {
        dependency: dep,
        unhealthyChecks: n,
        checks: h.checks,
        share: n / h.checks,
        lastAt: last?.toISOString() ?? null,
      },
    }));
  });
}

const channelVariables: Record<string, string> = {
  slack: 'SLACK_WEBHOOK_URL',
  discord: 'DISCORD_WEBHOOK_URL',
  teams: 'TEAMS_WEBHOOK_URL',
  webhook: 'ALERT_WEBHOOK_URL',
  email: 'SMTP_* settings',
  pagerduty: 'PAGERDUTY_ROUTING_KEY',
};

function notifications(input: RecommendationInput, t: RecommendationThresholds): Recommendation[] {
  return input.deliveries.flatMap((d): Recommendation[] => {
    if (d.failed < t.notifications.minFailures) return [];
    const code = d.lastStatusCode === null ? '' : `, last status ${d.lastStatusCode}`;
    return [
      {
        rule: 'notifications',
        severity: d.sent === 0 ? 'critical' : 'warning',
        workflowId: null,
        subject: `${d.channel} deliveries`,
        finding:
          `failed ${count(d.failed)} of ${count(d.messages)} messages (${pct(d.failed / d.messages)})${code}; most frequent error ` +
          `(${count(d.topErrorCount)}×): ${quote(d.topError ?? '(no error message)')}.`,
        action: `Check ${channelVariables[d.channel] ?? 'the channel settings'} and run npm run test:notifications; a 404 or 410 means the webhook was deleted, 401/403 a revoked credential.`,
        evidence: {
          channel: d.channel,
          messages: d.messages,
          failed: d.failed,
          sent: d.sent,
          throttled: d.throttled,
          topError: d.topError,
          lastStatusCode: d.lastStatusCode,
          lastFailedAt: d.lastFailedAt?.toISOString() ?? null,
        },
      },
    ];
  });
}

function missed(input: RecommendationInput): Recommendation[] {
  return input.missedRuns.map((m): Recommendation => {
    const overdue = m.overdueSince
      ? ` It has not run since ${m.lastRunAt ? utc(m.lastRunAt) : `before this ${input.periodNoun}`} (due ${utc(m.overdueSince)}).`
      : '';
    const finding =
      m.schedule === null
        ? `stopped running: ${count(m.expected)} runs in the previous ${input.periodNoun}, none in this one.`
        : `ran ${count(m.actual)} of the ${count(m.expected)} times its schedule "${m.schedule}" expects (${count(m.missed)} missed).${overdue}`;
    return {
      rule: 'missed-runs',
      severity: m.overdueSince && m.priority === 'critical' ? 'critical' : 'warning',
      workflowId: m.workflowId,
      subject: subjectOf({ name: m.name, workflowId: m.workflowId }),
      finding,
      action:
        'Check that the daemon is running and still discovers the workflow (npm run monitor:list); look in its log for runs that were skipped, queued too long or refused.',
      evidence: {
        schedule: m.schedule,
        expected: m.expected,
        actual: m.actual,
        missed: m.missed,
        lastRunAt: m.lastRunAt?.toISOString() ?? null,
        overdueSince: m.overdueSince?.toISOString() ?? null,
      },
    };
  });
}

function budget(input: RecommendationInput): Recommendation[] {
  const names = new Map(input.workflows.map((w) => [w.workflowId, w.name]));
  return input.overruns.map((o): Recommendation => {
    const target = o.topTarget === 'total' ? 'the whole run' : `the step "${o.topTarget}"`;
    return {
      rule: 'budget',
      severity: 'warning',
      workflowId: o.workflowId,
      subject: subjectOf({ name: names.get(o.workflowId) ?? o.workflowId, workflowId: o.workflowId }),
      finding:
        `passed but overran its time budget in ${count(o.overruns)} runs (DEGRADED); most often ${target}: up to ${ms(o.topMaxActualMs)} ` +
        `against a budget of ${ms(o.topBudgetMs)} (${count(o.topCount)}×).`,
      action: `Speed up ${target}, or raise its budget in the spec's workflow({ budgets }) if the new time is acceptable.`,
      evidence: {
        overruns: o.overruns,
        target: o.topTarget,
        count: o.topCount,
        budgetMs: o.topBudgetMs,
        maxActualMs: o.topMaxActualMs,
      },
    };
  });
}

function degraded(input: RecommendationInput): Recommendation[] {
  const names = new Map(input.workflows.map((w) => [w.workflowId, w.name]));
  return (input.degraded ?? [])
    .filter((d) => d.reasons.includes('slowdown'))
    .map((d): Recommendation => ({
      rule: 'degraded',
      severity: 'warning',
      workflowId: d.workflowId,
      subject: subjectOf({ name: names.get(d.workflowId) ?? d.workflowId, workflowId: d.workflowId }),
      finding: `is DEGRADED (slower than its usual runs) since ${utc(d.since)}${d.summary ? `: ${d.summary}` : ''}.`,
      action: `Compare a recent trace with one from before ${utc(d.since)} to see which requests or steps grew.`,
      evidence: { reasons: d.reasons.join(','), since: d.since, summary: d.summary },
    }));
}

function noExecutions(input: RecommendationInput): Recommendation[] {
  if (input.totals.executions > 0) return [];
  const before = input.previousTotals?.executions ?? 0;
  return [
    {
      rule: 'no-executions',
      severity: before > 0 || input.knownWorkflows > 0 ? 'critical' : 'info',
      workflowId: null,
      subject: 'monitor',
      finding: `ran no workflow in this ${input.periodNoun}${before > 0 ? ` (${count(before)} executions in the previous one)` : ''}.`,
      action:
        'Check that the daemon is running (npm start) and that DATABASE_URL names the database the runs write to.',
      evidence: { previousExecutions: before },
    },
  ];
}

const severityOrder = new Map(severities.map((s, i) => [s, i]));
const ruleOrder = new Map(recommendationRules.map((r, i) => [r, i]));

export function recommend(
  input: RecommendationInput,
  t: RecommendationThresholds = defaultThresholds,
): Recommendation[] {
  const all = [
    ...noExecutions(input),
    ...failing(input, t),
    ...missed(input),
    ...dependency(input, t),
    ...notifications(input, t),
    ...slower(input, t),
    ...degraded(input),
    ...budget(input),
    ...flaky(input, t),
  ];
  return all.sort(
    (a, b) =>
      severityOrder.get(a.severity)! - severityOrder.get(b.severity)! ||
      ruleOrder.get(a.rule)! - ruleOrder.get(b.rule)! ||
      a.subject.localeCompare(b.subject),
  );
}

/** "[critical] User Login (user-login) failed 3 of 12 runs…": one line for messages and tables. */
export function recommendationLine(r: Recommendation): string {
  return `[${r.severity}] ${r.subject} ${r.finding}`;
}

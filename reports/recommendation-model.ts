// What a recommendation is: its rules and severities, the thresholds (one visible object that
// MONITOR_REPORT_RULES may override), the figures a period hands the rules, and the wording
// helpers they share.
import { exactTagGrep } from '../core/workflow.ts';
import type { DeliverySummary } from './queries/report-notifications.ts';
import type { FailureSummary } from './queries/report-failures.ts';
import type { WorkflowFiguresRow } from './queries/report-figures.ts';
import type { HealthSummary } from './queries/report-health.ts';
import type { OverrunSummary } from './queries/report-performance.ts';
import type { StepDurationRow } from './queries/report-steps.ts';
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

export const subjectOf = (w: { name: string; workflowId: string }) =>
  w.name === w.workflowId ? w.workflowId : `${w.name} (${w.workflowId})`;
/** The command that runs one workflow, with the exact-tag grep (`@id` never matches `@id-sso`). */
export const grep = (id: string) => `npx playwright test --grep "${exactTagGrep([id])}"`;

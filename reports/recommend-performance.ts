// Recommendations about speed: slower than the previous period, over budget, DEGRADED now.
import type { WorkflowFiguresRow } from './queries/report-figures.ts';
import type { StepDurationRow } from './queries/report-steps.ts';
import { count, ms, signedPct, utc } from './format.ts';
import {
  defaultThresholds,
  subjectOf,
  type Recommendation,
  type RecommendationThresholds,
  type RecommendationInput,
} from './recommendation-model.ts';

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

export function slower(input: RecommendationInput, t: RecommendationThresholds): Recommendation[] {
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

export function budget(input: RecommendationInput): Recommendation[] {
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

export function degraded(input: RecommendationInput): Recommendation[] {
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

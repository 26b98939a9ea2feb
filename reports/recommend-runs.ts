// Recommendations about whether workflows run and pass: failing, flaky, missed runs, nothing ran.
import { count, pct, quote, utc } from './format.ts';
import {
  subjectOf,
  grep,
  type Recommendation,
  type RecommendationThresholds,
  type RecommendationInput,
} from './recommendation-model.ts';

export function failing(input: RecommendationInput, t: RecommendationThresholds): Recommendation[] {
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

export function flaky(input: RecommendationInput, t: RecommendationThresholds): Recommendation[] {
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

export function missed(input: RecommendationInput): Recommendation[] {
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

export function noExecutions(input: RecommendationInput): Recommendation[] {
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

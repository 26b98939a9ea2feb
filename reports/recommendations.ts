// Rule-based recommendations over a period's figures: each names the workflow (or channel), the
// evidence, and what to do. Pure, deterministic (sorted by severity, rule, subject). The rules
// live by theme in recommend-*.ts; what a recommendation is, in recommendation-model.ts.
import {
  recommendationRules,
  severities,
  defaultThresholds,
  type Recommendation,
  type RecommendationThresholds,
  type RecommendationInput,
} from './recommendation-model.ts';
import { failing, flaky, missed, noExecutions } from './recommend-runs.ts';
import { budget, degraded, slower } from './recommend-performance.ts';
import { dependency, notifications } from './recommend-dependencies.ts';

export {
  defaultThresholds,
  recommendationRules,
  severities,
  type Recommendation,
  type RecommendationInput,
  type RecommendationRule,
  type RecommendationThresholds,
  type Severity,
} from './recommendation-model.ts';
export { slowerCandidates } from './recommend-performance.ts';

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

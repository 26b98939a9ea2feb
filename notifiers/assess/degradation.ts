// DEGRADED as a state per workflow: entered when a passing run overruns its budget or the
// workflow has become slow, left when neither holds any more. Events come only from changes, so
// one episode gives one "degraded" and one "recovered-from-degraded", whatever the number of
// runs in between (deduplication). Pure: assess-execution.ts loads and stores the state.
import { describeOverruns, type BudgetCheck, type BudgetOverrun } from './budgets.ts';
import { describeDeviation, type Deviation, type DurationBaseline, type SlowdownVerdict } from './slowdown.ts';

export const degradeReasons = ['budget', 'slowdown'] as const;
export type DegradeReason = (typeof degradeReasons)[number];

export type PerformanceState = {
  workflowId: string;
  degraded: boolean;
  degradedSince: Date | null;
  reasons: DegradeReason[];
  episode: number;
  /** The slow-down baseline from before the slow-down, kept while it lasts. */
  frozenBaseline: DurationBaseline | null;
  lastExecutionAt: Date | null;
};

export function initialPerformanceState(workflowId: string): PerformanceState {
  return {
    workflowId,
    degraded: false,
    degradedSince: null,
    reasons: [],
    episode: 0,
    frozenBaseline: null,
    lastExecutionAt: null,
  };
}

export const degradationEventTypes = ['degraded', 'recovered-from-degraded'] as const;
export type DegradationEventType = (typeof degradationEventTypes)[number];

export type DegradationEvent = {
  type: DegradationEventType;
  workflowId: string;
  /** Same number on an episode's degraded event and its recovery: a deduplication key with workflowId. */
  episode: number;
  at: Date;
  /** What holds (degraded) or held (recovery) the workflow DEGRADED. */
  reasons: DegradeReason[];
  /** When the episode started; for a recovery, how long it lasted is at - since. */
  since: Date;
  runId: string | null;
  overruns: BudgetOverrun[];
  deviations: Deviation[];
  /** One line for people: the evidence. */
  summary: string;
};

export type DegradationInput = {
  at: Date;
  runId: string | null;
  /** This attempt's budget check; `applies: false` leaves the budget reason as it was. */
  budget: BudgetCheck;
  slowdown: SlowdownVerdict;
};

function summaryOf(
  reasons: readonly DegradeReason[],
  overruns: readonly BudgetOverrun[],
  deviations: readonly Deviation[],
): string {
  const parts: string[] = [];
  if (reasons.includes('budget') && overruns.length > 0) parts.push(`over budget: ${describeOverruns(overruns)}`);
  if (reasons.includes('slowdown') && deviations.length > 0)
    parts.push(`slower than usual: ${deviations.map(describeDeviation).join('; ')}`);
  return parts.join('. ');
}

/** The next state and the events (zero or one) after one assessed attempt. */
export function decideDegradation(
  state: PerformanceState,
  input: DegradationInput,
): { next: PerformanceState; events: DegradationEvent[] } {
  const reasons = new Set(state.reasons);
  if (input.budget.applies) {
    if (input.budget.overruns.length > 0) reasons.add('budget');
    else reasons.delete('budget');
  }
  let frozenBaseline = state.frozenBaseline;
  const wasSlow = state.reasons.includes('slowdown');
  if (input.slowdown.status === 'slow') {
    reasons.add('slowdown');
    if (!wasSlow) frozenBaseline = input.slowdown.baseline;
  } else if (input.slowdown.status === 'normal') {
    reasons.delete('slowdown');
    frozenBaseline = null;
  }
  const nextReasons = degradeReasons.filter((r) => reasons.has(r));
  const degraded = nextReasons.length > 0;
  const deviations = input.slowdown.status === 'warming-up' ? [] : input.slowdown.deviations;
  const next: PerformanceState = {
    ...state,
    degraded,
    degradedSince: degraded ? (state.degraded ? state.degradedSince : input.at) : null,
    reasons: nextReasons,
    episode: degraded && !state.degraded ? state.episode + 1 : state.episode,
    frozenBaseline,
    lastExecutionAt: state.lastExecutionAt && state.lastExecutionAt > input.at ? state.lastExecutionAt : input.at,
  };
  const base = {
    workflowId: state.workflowId,
    episode: next.episode,
    at: input.at,
    runId: input.runId,
    overruns: input.budget.overruns,
    deviations,
  };
  if (degraded && !state.degraded) {
    return {
      next,
      events: [
        {
          ...base,
          type: 'degraded',
          reasons: nextReasons,
          since: input.at,
          summary: summaryOf(nextReasons, input.budget.overruns, deviations),
        },
      ],
    };
  }
  if (!degraded && state.degraded) {
    const since = state.degradedSince ?? input.at;
    return {
      next,
      events: [
        {
          ...base,
          type: 'recovered-from-degraded',
          reasons: state.reasons,
          since,
          summary: `back within ${state.reasons.map((r) => (r === 'budget' ? 'its budgets' : 'its usual duration')).join(' and ')}`,
        },
      ],
    };
  }
  return { next, events: [] };
}

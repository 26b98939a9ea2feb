// What the reporter calls after storing each attempt: checks its time budgets, re-runs the
// slow-down detector over the workflow's recent passing runs, and returns the DEGRADED events
// (entered / recovered) for the alert policy. One short transaction per passing attempt, with
// the workflow's performance row locked, so concurrent runs announce an episode once.
import type { DatabasePool } from '../../db/pool.ts';
import {
  getRecentPassingRuns,
  lockPerformanceState,
  recordBudgetOverrun,
  writePerformanceState,
  type PerformanceStateRow,
} from '../../db/tables/performance-states.ts';
import type { ExecutionRecord } from '../../core/records.ts';
import type { Budgets } from '../../core/workflow.ts';
import { checkBudgets } from './budgets.ts';
import {
  decideDegradation,
  degradeReasons,
  type DegradationEvent,
  type DegradeReason,
  type PerformanceState,
} from './degradation.ts';
import { assessSlowdown, defaultSlowdownOptions, type DurationBaseline, type SlowdownOptions } from './slowdown.ts';

export type AssessOptions = {
  /** The workflow's declared budgets (budgetsFromAnnotations(test.annotations)); null when none. */
  budgets: Budgets | null;
  slowdown?: Partial<SlowdownOptions>;
};

export type Assessment = {
  events: DegradationEvent[];
  /** True when this attempt passed but overran a budget: recorded DEGRADED. */
  overBudget: boolean;
  state: PerformanceState;
};

function toState(row: PerformanceStateRow): PerformanceState {
  return {
    workflowId: row.workflowId,
    degraded: row.degraded,
    degradedSince: row.degradedSince,
    reasons: row.reasons.filter((r): r is DegradeReason => (degradeReasons as readonly string[]).includes(r)),
    episode: row.episode,
    frozenBaseline: (row.frozenBaseline ?? null) as DurationBaseline | null,
    lastExecutionAt: row.lastExecutionAt,
  };
}

/**
 * Assesses one stored attempt. Attempts that did not pass change nothing (a failure is the
 * alert policy's DOWN business, not DEGRADED) and cost no query.
 */
export async function assessExecution(
  pool: DatabasePool,
  execution: ExecutionRecord,
  options: AssessOptions,
): Promise<Assessment | null> {
  if (execution.status !== 'passed') return null;
  const o: SlowdownOptions = { ...defaultSlowdownOptions, ...options.slowdown };
  const budget = checkBudgets(options.budgets, execution);
  return pool.transaction(async (tx) => {
    if (budget.overruns.length > 0) {
      await recordBudgetOverrun(tx, {
        runId: execution.runId,
        testId: execution.testId,
        retry: execution.retry,
        startedAt: execution.startedAt,
        workflowId: execution.workflowId,
        durationMs: execution.durationMs,
        overruns: budget.overruns,
      });
    }
    const row = await lockPerformanceState(tx, execution.workflowId);
    const state = toState(row);
    // A late attempt (an outbox replay, a slow shard) is recorded but does not move the state
    // back in time: the newer attempt already decided.
    if (state.lastExecutionAt && execution.startedAt < state.lastExecutionAt) {
      return { events: [], overBudget: budget.overruns.length > 0, state };
    }
    const history = await getRecentPassingRuns(tx, execution.workflowId, {
      limit: o.baselineRuns + o.recentRuns,
      until: execution.startedAt,
    });
    const slowdown = assessSlowdown(
      history,
      { wasSlow: state.reasons.includes('slowdown'), frozen: state.frozenBaseline },
      o,
    );
    const { next, events } = decideDegradation(state, {
      at: execution.startedAt,
      runId: execution.runId,
      budget,
      slowdown,
    });
    const latest = events[0];
    await writePerformanceState(tx, {
      ...next,
      details: {
        ...row.details,
        lastAssessed: {
          runId: execution.runId,
          at: execution.startedAt.toISOString(),
          slowdown: slowdown.status,
          overruns: budget.overruns,
        },
        ...(latest
          ? {
              lastEvent: {
                type: latest.type,
                episode: latest.episode,
                at: latest.at.toISOString(),
                summary: latest.summary,
              },
            }
          : {}),
      },
    });
    return { events, overBudget: budget.overruns.length > 0, state: next };
  });
}

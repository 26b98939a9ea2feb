// Constructed histories for the policy's tests: states, attempts, and a small simulator that
// keeps history the way transaction.ts does (observations, UP/DOWN changes), in memory.
import type {
  AlertHistory,
  AlertStateRow,
  DecidedAlert,
  Observation,
  ObservedEvent,
  PolicyEvent,
} from '../../core/alerts.ts';
import type { ExecutionRecord, NotificationKind } from '../../core/records.ts';
import type { Priority } from '../../core/workflow.ts';
import type { Alert } from '../../notifiers/alert.ts';
import type { ChannelType } from '../../core/alerts.ts';
import { initialAlertState } from '../../db/alert-rows.ts';
import { defaultPolicy, type Policy } from '../../notifiers/policy/rules.ts';
import { evaluate } from '../../notifiers/policy/transitions.ts';
import { policyStateOf, type PolicyStateName } from '../../notifiers/policy/transition-table.ts';

export const t0 = new Date('2025-11-15T10:00:00Z');
export const at = (minutes: number): Date => new Date(t0.getTime() + minutes * 60_000);

export function stateRow(overrides: Partial<AlertStateRow> = {}): AlertStateRow {
  return {
    ...initialAlertState('user-login', at(-600)),
    name: 'User Login',
    type: 'auth',
    priority: 'critical',
    tags: ['@critical', '@user-login'],
    ...overrides,
  };
}

const statusOf: Record<ObservedEvent, ExecutionRecord['status']> = {
  passed: 'passed',
  failed: 'failed',
  'flaky-pass': 'passed',
};

export function attempt(event: ObservedEvent, overrides: Partial<ExecutionRecord> = {}): ExecutionRecord {
  const priority = overrides.priority ?? 'critical';
  const workflowId = overrides.workflowId ?? 'user-login';
  return {
    runId: 'run-1',
    testId: `test-${workflowId}`,
    retry: event === 'flaky-pass' ? 1 : 0,
    workflowId,
    name: 'User Login',
    type: 'auth',
    priority,
    status: statusOf[event],
    outcome: event === 'failed' ? 'unexpected' : event === 'flaky-pass' ? 'flaky' : 'expected',
    startedAt: t0,
    durationMs: 1000,
    totalSteps: 3,
    passedSteps: event === 'failed' ? 1 : 3,
    failedSteps: event === 'failed' ? 1 : 0,
    error: event === 'failed' ? 'Error: Login button not found' : null,
    failedStep: event === 'failed' ? 'Sign in' : null,
    tracePath: null,
    screenshotPath: null,
    tags: [`@${priority}`, `@${workflowId}`],
    steps: [
      { index: 0, title: 'Open login page', durationMs: 300, error: null },
      { index: 1, title: 'Sign in', durationMs: 300, error: null },
    ],
    metrics: null,
    health: null,
    ...overrides,
  };
}

export function observation(
  event: ObservedEvent,
  when: Date,
  runId = `run-${when.getTime()}`,
  location?: string,
): Observation {
  return {
    runId,
    testId: 'test-user-login',
    event,
    at: when,
    error: event === 'failed' ? 'Error: boom' : null,
    ...(location ? { location } : {}),
  };
}

/** An attempt made at `location` (core/locations.ts). */
export const attemptAt = (location: string, event: ObservedEvent, overrides: Partial<ExecutionRecord> = {}) =>
  Object.assign(attempt(event, overrides), { location });

/** `events` oldest first, one minute apart, ending at `end`; returned newest first as the database reads them. */
export function observations(events: readonly ObservedEvent[], end: Date): Observation[] {
  return events.map((e, i) => observation(e, new Date(end.getTime() - (events.length - 1 - i) * 60_000))).reverse();
}

export function history(overrides: Partial<AlertHistory> = {}): AlertHistory {
  return { observations: [], stateChanges: [], throttled: 0, ...overrides };
}

export type Step = {
  at: number;
  event: ObservedEvent | 'timer' | 'maintenance-end';
  priority?: Priority;
  error?: string | null;
  runId?: string;
  /** Where the attempt ran; none: the single default location. */
  location?: string;
};
export type StepOutcome = {
  at: number;
  state: PolicyStateName;
  kinds: NotificationKind[];
  alerts: DecidedAlert<Alert, ChannelType>[];
};

/** Runs events through `evaluate`, keeping history like transaction.ts does. */
export function simulate(
  steps: readonly Step[],
  policy: Policy = defaultPolicy,
  initial: AlertStateRow = stateRow(),
): StepOutcome[] {
  let state = initial;
  const obs: Observation[] = [];
  const changes: Date[] = [];
  return steps.map((s, i) => {
    const now = at(s.at);
    let event: PolicyEvent;
    if (s.event === 'timer' || s.event === 'maintenance-end') event = { type: s.event };
    else {
      const execution = Object.assign(
        attempt(s.event, {
          runId: s.runId ?? `run-${i}`,
          startedAt: new Date(now.getTime() - 1000),
          ...(s.priority ? { priority: s.priority } : {}),
          ...(s.error !== undefined ? { error: s.error } : {}),
        }),
        s.location ? { location: s.location } : {},
      );
      event = { type: s.event, execution };
      obs.unshift({
        runId: execution.runId,
        testId: execution.testId,
        event: s.event,
        at: now,
        error: execution.error,
        ...(s.location ? { location: s.location } : {}),
      });
    }
    const d = evaluate(state, event, history({ observations: [...obs], stateChanges: [...changes] }), policy, now);
    if (d.change) changes.unshift(now);
    state = d.next;
    return { at: s.at, state: policyStateOf(state), kinds: d.alerts.map((a) => a.alert.kind), alerts: d.alerts };
  });
}

/** The simulator's outcome as compact lines: "12 down failure". */
export function trace(outcomes: readonly StepOutcome[]): string[] {
  return outcomes.map((o) => `${o.at} ${o.state}${o.kinds.length ? ` ${o.kinds.join('+')}` : ''}`);
}

// The alert vocabulary: the states a workflow is in, the events that move it, the decisions
// the policy (notifiers/policy/) takes and db/ records, the kinds of message and the channel
// types they go to (message kinds are core/records.ts, with the log record). Types and closed
// lists only.
import type { ExecutionRecord, NotificationKind, NotificationLogRecord } from './records.ts';
import type { Priority } from './workflow.ts';

export const channelTypes = ['slack', 'discord', 'teams', 'webhook', 'email', 'pagerduty'] as const;
export type ChannelType = (typeof channelTypes)[number];

export const storedStates = ['up', 'down', 'flaky'] as const;
export type StoredState = (typeof storedStates)[number];
export const observedEvents = ['passed', 'failed', 'flaky-pass'] as const;
export type ObservedEvent = (typeof observedEvents)[number];
export type PolicyEvent =
  { type: ObservedEvent; execution: ExecutionRecord } | { type: 'timer' } | { type: 'maintenance-end' };

/** A workflow_states row as the policy sees it. FLAPPING is `flappingSince !== null`; `state` then holds the underlying up/down. */
export type AlertStateRow = {
  workflowId: string;
  state: StoredState;
  since: Date;
  consecutiveFailures: number;
  consecutivePasses: number;
  lastAlertAt: Date | null;
  lastExecutionAt: Date | null;
  name: string | null;
  type: string | null;
  priority: Priority | null;
  tags: string[];
  /** Outage number: keys the outage's failure, reminders and recovery. */
  episode: number;
  downSince: Date | null;
  lastReminderAt: Date | null;
  /** Channels that got the outage's first alert: reminders go there. */
  alertChannels: string[];
  /** An alert a maintenance window swallowed, owed when the window ends. */
  mutedAlert: 'failure' | 'recovery' | null;
  flappingSince: Date | null;
  stableSince: Date | null;
  flapEpisode: number;
  flakySince: Date | null;
  flakyEpisode: number;
  lastError: string | null;
  lastRunId: string | null;
  /** Locations failing it (by the regime of `state`), and the other active ones, as last decided. */
  failingLocations: string[];
  passingLocations: string[];
  /** "Failing from <failingLocations>": fewer than the quorum failing, not DOWN; null otherwise. */
  partialSince: Date | null;
  /** Keys the "failing from" notice: one per episode. */
  partialEpisode: number;
};

/** One final outcome of one test in one run, in the order the policy applied them. */
export type Observation = {
  runId: string;
  testId: string;
  event: ObservedEvent;
  at: Date;
  error: string | null;
  /** Where it ran (core/locations.ts); absent is DEFAULT_LOCATION. */
  location?: string;
};
/** Newest first; observations include the event being evaluated. */
export type AlertHistory = { observations: Observation[]; stateChanges: Date[]; throttled: number };
export type StateChange = { from: StoredState; to: StoredState };
export type DecidedAlert<A, C extends string = string> = {
  /** Unique with workflowId and kind: the same transition decided twice is one alert. */
  key: string;
  workflowId: string;
  kind: NotificationKind;
  channels: C[];
  /** May wait for, and be folded with, others of the same run or minute. */
  hold: boolean;
  runId: string | null;
  alert: A;
};
export type Decision<A, C extends string = string> = {
  next: AlertStateRow;
  alerts: DecidedAlert<A, C>[];
  change: StateChange | null;
};
export type RoutedAlert<A, C extends string = string> = { alert: A; channels: C[] };
export type ThrottleCounts = { lastHour: number; lastDay: number };
export type ThrottleVerdict = { throttled: false } | { throttled: true; reason: string };
export type AlertSummary = Pick<
  NotificationLogRecord,
  'kind' | 'priority' | 'workflowId' | 'runId' | 'title' | 'message' | 'location'
>;

export type AlertEngine<A, C extends string = string> = {
  channels: readonly C[];
  /** null: not a final outcome (a retry follows, skipped, interrupted). */
  classify(execution: ExecutionRecord, willRetry: boolean): ObservedEvent | null;
  evaluate(state: AlertStateRow, event: PolicyEvent, history: AlertHistory, now: Date): Decision<A, C>;
  inMaintenance(state: AlertStateRow, now: Date): boolean;
  /** Folds alerts released together (storms, reminder rounds); passesInRuns counts passes in their runs. */
  fold(batch: DecidedAlert<A, C>[], context: { passesInRuns: number }, now: Date): DecidedAlert<A, C>[];
  throttle(counts: ThrottleCounts): ThrottleVerdict;
  summarize(alert: A): AlertSummary;
  toJson(alert: A): unknown;
  fromJson(value: unknown): A;
  holdMs: number;
  historyRuns: number;
};

export type ApplyResult<A, C extends string = string> = {
  /** False when the attempt was not a final outcome or was applied before (a replay). */
  applied: boolean;
  alerts: RoutedAlert<A, C>[];
  /** A DOWN alert waits for a possible storm until then: call releaseHeldAlerts at that time (or at run end). */
  heldUntil: Date | null;
};

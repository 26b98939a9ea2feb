// The alert policy's state machine applied: the guards of transition-table.ts as functions, the
// state each row enters, and the alert it makes. `evaluate` applies one event to one workflow's
// state; it is pure, so transaction.ts can run it under the workflow's lock.
import type { AlertHistory, AlertStateRow, Decision, PolicyEvent, StateChange } from '../../core/alerts.ts';
import type { Alert, AlertWorkflow } from '../alert.ts';
import type { ChannelType } from '../../core/alerts.ts';
import { flakeStats, flakyCleared, flakyCrossed } from './flaky.ts';
import { changesInWindow, isStable, wouldFlap } from './flapping.ts';
import { inMaintenance } from './maintenance.ts';
import {
  failureMessage,
  flakyMessage,
  flappingMessage,
  partialMessage,
  recoveryMessage,
  reminderMessage,
  stableMessage,
  successMessage,
  type MessageContext,
} from './messages.ts';
import { channelsFor, isChannelType } from './routing.ts';
import { resolveRules, type Policy, type Rules } from './rules.ts';
import { downReached, failuresInWindow, outageStart, recovered } from './thresholds.ts';
import { locationOf, locationVerdict, quorumReason, withLocations, type LocationVerdict } from './quorum.ts';
import {
  policyStateOf,
  transitionTable,
  type Guard,
  type PolicyEventName,
  type PolicyStateName,
  type Transition,
  type TransitionAlert,
} from './transition-table.ts';

type Ctx = {
  prev: AlertStateRow;
  /** prev with the attempt counted (counters, metadata). */
  counted: AlertStateRow;
  event: PolicyEvent;
  history: AlertHistory;
  rules: Rules;
  now: Date;
  /** The locations' verdict for an attempt (null for time-driven events). */
  where: LocationVerdict | null;
};

/** Two or more active locations: the quorum decides; one: exactly the single-location rules. */
const byQuorum = (c: Ctx) => (c.where === null || c.where.single ? null : c.where);
const goesDown = (c: Ctx) => {
  const q = byQuorum(c);
  if (q) return q.failing.length >= q.quorum;
  return downReached(c.counted.consecutiveFailures, c.history.observations, c.rules.down, c.now);
};
const recovers = (c: Ctx) => {
  const q = byQuorum(c);
  return q ? q.failing.length < q.quorum : recovered(c.counted.consecutivePasses, c.rules.up);
};
const partialFirst = (c: Ctx) => {
  const q = byQuorum(c);
  return q !== null && q.failing.length > 0 && q.failing.length < q.quorum && c.prev.partialSince === null;
};
const flaps = (c: Ctx) => wouldFlap(c.history.stateChanges, c.rules.flapping, c.now, c.prev.stableSince);
const stats = (c: Ctx) => flakeStats(c.history.observations, c.rules.flaky);

export const guardFns: Record<Guard, (c: Ctx) => boolean> = {
  'goes-down-flapping': (c) => goesDown(c) && flaps(c),
  'goes-down': goesDown,
  'partial-first': partialFirst,
  'recovers-flapping': (c) => recovers(c) && flaps(c),
  recovers,
  'flaky-first': (c) => flakyCrossed(stats(c), c.rules.flaky) && c.prev.flakySince === null,
  'flaky-again': (c) => flakyCrossed(stats(c), c.rules.flaky),
  'flaky-cleared': (c) => flakyCleared(stats(c), c.rules.flaky),
  'success-notice': (c) => c.rules.notifyOnSuccess,
  'reminder-due': (c) =>
    c.rules.reminderMinutes > 0 &&
    c.prev.alertChannels.length > 0 &&
    c.prev.lastReminderAt !== null &&
    c.now.getTime() - c.prev.lastReminderAt.getTime() >= c.rules.reminderMinutes * 60_000,
  'muted-failure': (c) => c.prev.mutedAlert === 'failure',
  'muted-recovery': (c) => c.prev.mutedAlert === 'recovery',
  'stable-up': (c) => isStable(c.prev, c.rules.flapping, c.now) && c.prev.state !== 'down',
  'stable-down': (c) => isStable(c.prev, c.rules.flapping, c.now) && c.prev.state === 'down',
  otherwise: () => true,
};

function countAttempt(s: AlertStateRow, event: PolicyEvent): AlertStateRow {
  if (!('execution' in event)) return s;
  const e = event.execution;
  const failed = event.type === 'failed';
  return {
    ...s,
    name: e.name,
    type: e.type,
    priority: e.priority,
    tags: [...e.tags],
    lastRunId: e.runId,
    lastExecutionAt: new Date(e.startedAt.getTime() + Math.max(0, e.durationMs)),
    consecutiveFailures: failed ? s.consecutiveFailures + 1 : 0,
    consecutivePasses: failed ? 0 : s.consecutivePasses + 1,
    lastError: failed ? e.error : s.lastError,
  };
}

function goDown(c: Ctx, s: AlertStateRow): AlertStateRow {
  const q = byQuorum(c);
  const downSince =
    q?.downSince ?? outageStart(c.counted.consecutiveFailures, c.history.observations, c.rules.down, c.now);
  return { ...s, state: 'down', since: c.now, episode: s.episode + 1, downSince };
}

/** The stored state after taking row `tr` (before the alert's own effects). */
function enter(c: Ctx, tr: Transition): AlertStateRow {
  const s = c.counted;
  if (tr.from !== 'flapping' && tr.to === 'flapping') {
    const flapping = { ...s, flappingSince: c.now, stableSince: c.now, flapEpisode: s.flapEpisode + 1 };
    return tr.from === 'down' ? { ...flapping, state: 'up', since: c.now } : goDown(c, flapping);
  }
  // Outside FLAPPING, stableSince marks when it last settled: older changes no longer count towards flapping.
  if (tr.from === 'flapping' && tr.to !== 'flapping')
    return { ...s, flappingSince: null, stableSince: c.now, since: c.now };
  if (tr.from === 'flapping' && 'execution' in c.event) {
    // While flapping, the underlying UP/DOWN is still tracked: stability is measured on it.
    if (s.state !== 'down' && goesDown(c)) return { ...goDown(c, s), stableSince: c.now };
    if (s.state === 'down' && recovers(c)) return { ...s, state: 'up', since: c.now, stableSince: c.now };
    return s;
  }
  if (tr.to === tr.from) return s;
  return tr.to === 'down' ? goDown(c, s) : { ...s, state: tr.to === 'flaky' ? 'flaky' : 'up', since: c.now };
}

function failureReason(c: Ctx, tr: Transition): string {
  if (tr.on === 'maintenance-end')
    return 'Failed while a maintenance window muted alerts, and still failing now that it has ended.';
  const q = byQuorum(c);
  if (q) return quorumReason(q);
  const n = c.counted.consecutiveFailures;
  if (n >= c.rules.down.consecutiveFailures) return n === 1 ? 'The run failed.' : `${n} runs failed in a row.`;
  return `${failuresInWindow(c.history.observations, c.rules.down, c.now).length} runs failed within ${c.rules.down.windowMinutes} min.`;
}

type Made = { alert: Alert; key: string; hold: boolean };

function makeAlert(c: Ctx, tr: Transition, m: MessageContext): Made | null {
  const s = m.state;
  switch (tr.alert) {
    case null:
      return null;
    case 'failure':
      return tr.from === 'flapping'
        ? { alert: stableMessage(m, c.rules.flapping), key: `flap:${s.flapEpisode}:stable`, hold: true }
        : { alert: failureMessage(m, failureReason(c, tr)), key: `outage:${s.episode}`, hold: true };
    case 'recovery': {
      if (tr.from === 'flapping')
        return { alert: stableMessage(m, c.rules.flapping), key: `flap:${s.flapEpisode}:stable`, hold: false };
      const downtime =
        tr.on === 'maintenance-end' || c.prev.downSince === null ? null : c.now.getTime() - c.prev.downSince.getTime();
      const alert = recoveryMessage(m, downtime);
      if (tr.on === 'maintenance-end')
        alert.message = `Recovered while a maintenance window muted alerts. ${alert.message ?? ''}`.trim();
      return { alert, key: `outage:${s.episode}:recovered`, hold: false };
    }
    case 'reminder':
      return {
        alert: reminderMessage(m),
        key: `outage:${s.episode}:reminder:${Math.floor(c.now.getTime() / 60_000)}`,
        hold: true,
      };
    case 'flaky':
      return { alert: flakyMessage(m, stats(c), c.rules.flaky), key: `flaky:${s.flakyEpisode + 1}`, hold: false };
    case 'flapping':
      return {
        alert: flappingMessage(
          m,
          changesInWindow(c.history.stateChanges, c.rules.flapping, c.now, c.prev.stableSince) + 1,
          c.rules.flapping,
        ),
        key: `flap:${s.flapEpisode}`,
        hold: false,
      };
    case 'partial':
      return { alert: partialMessage(m, c.where), key: `partial:${s.partialEpisode + 1}`, hold: false };
    case 'success':
      return { alert: successMessage(m), key: `success:${m.execution?.runId}:${m.execution?.testId}`, hold: false };
  }
}

/** The effects of an alert on the state: sent, or swallowed by a maintenance window. */
function afterAlert(
  s: AlertStateRow,
  kind: TransitionAlert,
  muted: boolean,
  channels: ChannelType[],
  prev: AlertStateRow,
  now: Date,
): AlertStateRow {
  if (muted) {
    if (kind === 'failure') return { ...s, mutedAlert: 'failure' };
    // An outage nobody heard of needs no recovery message.
    if (kind === 'recovery') return { ...s, mutedAlert: prev.mutedAlert === 'failure' ? null : 'recovery' };
    return s;
  }
  const spoke = { ...s, lastAlertAt: now };
  if (kind === 'failure') return { ...spoke, alertChannels: channels, lastReminderAt: now };
  if (kind === 'reminder') return { ...spoke, lastReminderAt: now };
  if (kind === 'flaky') return { ...spoke, flakySince: now, flakyEpisode: s.flakyEpisode + 1 };
  if (kind === 'partial') return { ...spoke, partialEpisode: s.partialEpisode + 1 };
  return spoke;
}

export function findTransition(from: PolicyStateName, on: PolicyEventName, c: Ctx): Transition {
  const row = transitionTable.find((r) => r.from === from && r.on === on && guardFns[r.when](c));
  if (!row) throw new Error(`transition table has no row for ${from} x ${on}`);
  return row;
}

export function evaluate(
  state: AlertStateRow,
  event: PolicyEvent,
  history: AlertHistory,
  policy: Policy,
  now: Date,
): Decision<Alert, ChannelType> {
  const counted = countAttempt(state, event);
  const workflow: AlertWorkflow = {
    id: counted.workflowId,
    name: counted.name ?? counted.workflowId,
    priority: counted.priority ?? 'medium',
    type: counted.type ?? 'journey',
  };
  const rules = resolveRules(policy, workflow.priority, counted.tags);
  const where =
    'execution' in event
      ? locationVerdict(
          history.observations,
          rules,
          { location: locationOf(event.execution), wasDown: state.state === 'down' },
          now,
        )
      : null;
  const c: Ctx = { prev: state, counted, event, history, rules, now, where };
  const tr = findTransition(policyStateOf(state), event.type, c);
  let next = enter(c, tr);
  if (event.type === 'maintenance-end') next = { ...next, mutedAlert: null };
  if (
    event.type !== 'failed' &&
    'execution' in event &&
    next.flakySince !== null &&
    flakyCleared(stats(c), rules.flaky)
  ) {
    next = { ...next, flakySince: null };
  }
  next = withLocations(next, state, where, now);
  const change: StateChange | null =
    (state.state === 'down') !== (next.state === 'down') ? { from: state.state, to: next.state } : null;

  const m: MessageContext = {
    workflow,
    state: next,
    execution: 'execution' in event ? event.execution : null,
    now,
    throttled: history.throttled,
  };
  const made = makeAlert(c, tr, m);
  // Reminders go wherever the outage's first alert went, even if the routes changed since.
  // "Failing from" is a low-priority notice: it goes where low-priority alerts go, never a page.
  const channels =
    tr.alert === 'reminder'
      ? state.alertChannels.filter(isChannelType)
      : channelsFor(tr.alert === 'partial' ? 'low' : workflow.priority, policy.routes);
  const muted = made !== null && inMaintenance(policy.maintenance, { id: workflow.id, tags: counted.tags }, now);
  if (tr.alert) next = afterAlert(next, tr.alert, muted, channels, state, now);
  if (next.state !== 'down' || next.flappingSince !== null) next = { ...next, alertChannels: [], lastReminderAt: null };
  if (next.state !== 'down') next = { ...next, downSince: null };

  const alerts =
    made && !muted
      ? [
          {
            key: made.key,
            workflowId: workflow.id,
            kind: made.alert.kind,
            channels,
            hold: made.hold,
            runId: made.alert.runId ?? null,
            alert: made.alert,
          },
        ]
      : [];
  return { next, alerts, change };
}

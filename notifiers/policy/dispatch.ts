// The last step before delivery: every routed alert claims a throttle slot per channel, and only
// the granted channels are sent to. The I/O comes in as functions (claim: transaction.ts
// claimThrottleSlot bound to a pool; send: delivery), so this stays testable without either.
import type { RoutedAlert, ThrottleVerdict } from '../../core/alerts.ts';
import type { Alert } from '../alert.ts';
import type { ChannelType } from '../../core/alerts.ts';
import type { Priority } from '../../core/workflow.ts';
import { channelsFor } from './routing.ts';
import type { Routes } from './rules.ts';

export type DispatchDeps = {
  routes: Routes;
  /** Decides and records sent vs throttled for one channel (the throttled one is logged there). */
  claim(channel: ChannelType, alert: Alert, now: Date): Promise<ThrottleVerdict>;
  /** Delivery, e.g. `(alert, channels) => notifier.send(alert, { channels })`. */
  send(alert: Alert, channels: ChannelType[]): Promise<unknown>;
  now?: () => Date;
  /** The configured channels: a route to anything else is skipped before it takes a slot. */
  available?: readonly ChannelType[];
};

export type DispatchOutcome = { alert: Alert; sent: ChannelType[]; throttled: ChannelType[]; error: string | null };

export type AlertDispatcher = {
  dispatch(alerts: readonly RoutedAlert<Alert, ChannelType>[]): Promise<DispatchOutcome[]>;
  /** An alert decided elsewhere (e.g. a performance slow-down), routed by priority and throttled. */
  dispatchRouted(alert: Alert, priority: Priority): Promise<DispatchOutcome[]>;
  /**
   * Rule 10: an alert about no single workflow, to the critical route, under the same throttling;
   * `as` makes it a recovery, or names its incident (the daemon's pipeline failure and recovery).
   */
  sendCriticalAlert(
    title: string,
    message: string,
    context?: Record<string, unknown>,
    as?: Partial<Pick<Alert, 'kind' | 'incident'>>,
  ): Promise<DispatchOutcome>;
};

function contextValue(v: unknown): string | number | boolean | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (v instanceof Date) return v.toISOString();
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

/** Rule 10's alert; `also` adds what the daemon knows when it sends one without a database. */
export function criticalAlert(
  title: string,
  message: string,
  context: Record<string, unknown>,
  now: Date,
  also: Pick<Alert, 'priority' | 'error' | 'runId'> | null = null,
): Alert {
  return {
    kind: 'critical',
    title,
    ...(also
      ? { priority: also.priority, message, error: also.error, runId: also.runId }
      : { message, priority: 'critical' }),
    at: now,
    context: Object.fromEntries(Object.entries(context).map(([k, v]) => [k, contextValue(v)])),
  };
}

export function createAlertDispatcher(deps: DispatchDeps): AlertDispatcher {
  const now = deps.now ?? (() => new Date());

  async function dispatchOne(routed: RoutedAlert<Alert, ChannelType>): Promise<DispatchOutcome> {
    const outcome: DispatchOutcome = { alert: routed.alert, sent: [], throttled: [], error: null };
    try {
      for (const channel of routed.channels) {
        if (deps.available && !deps.available.includes(channel)) continue;
        const verdict = await deps.claim(channel, routed.alert, now());
        (verdict.throttled ? outcome.throttled : outcome.sent).push(channel);
      }
      if (outcome.sent.length > 0) await deps.send(routed.alert, outcome.sent);
    } catch (error) {
      // A database or delivery failure stops this alert only; the next ones still get their chance.
      outcome.error = error instanceof Error ? error.message : String(error);
    }
    return outcome;
  }

  return {
    async dispatch(alerts) {
      const outcomes: DispatchOutcome[] = [];
      // In order: a held failure released together with its recovery must arrive first.
      for (const routed of alerts) outcomes.push(await dispatchOne(routed));
      return outcomes;
    },
    dispatchRouted(alert, priority) {
      return this.dispatch([{ alert, channels: channelsFor(priority, deps.routes) }]);
    },
    sendCriticalAlert(title, message, context = {}, as = {}) {
      const alert = { ...criticalAlert(title, message, context, now()), ...as };
      return dispatchOne({ alert, channels: channelsFor('critical', deps.routes) });
    },
  };
}

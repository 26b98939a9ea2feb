// The alert path assembled once for a process (the reporter of a run, the daemon): the channels
// and policy its entry point parsed (alert-settings.ts), the policy engine, throttled dispatch, and delivery attempts logged in
// notification_logs. The policy decides from history in PostgreSQL, so every process agrees.
import type { DatabasePool } from 'slonik';
import { applyExecutionToState, claimThrottleSlot, releaseHeldAlerts, tickTimers } from './transaction.ts';
import type { RoutedAlert } from '../../core/alerts.ts';
import { getAlertState } from '../../db/alert-rows.ts';
import { insertNotificationLog } from '../../db/tables/notification-logs.ts';
import type { ExecutionRecord } from '../../core/records.ts';
import type { Alert } from '../alert.ts';
import { routingWarnings } from './routing.ts';
import type { AlertSettings } from '../alert-settings.ts';
import { createNotifier } from '../delivery/deliver.ts';
import type { Notifier } from '../delivery/deliver.ts';
import { createAlertDispatcher } from './dispatch.ts';
import type { AlertDispatcher, DispatchOutcome } from './dispatch.ts';
import { createPolicyEngine } from './engine.ts';
import type { PolicyEngine } from './engine.ts';
import { consumeSentOffline, rememberDecidedState, withLocalPolicyState } from './local-state.ts';
import type { ChannelType } from '../../core/alerts.ts';

export type Alerting = {
  readonly notifier: Notifier;
  readonly dispatcher: AlertDispatcher;
  /** Per finished attempt, after its row is saved. Returns when the decided alerts are delivered. */
  onAttempt(execution: ExecutionRecord, options: { willRetry: boolean }): Promise<DispatchOutcome[]>;
  /**
   * Executions an outbox replay just stored, fed to the policy in the order they happened, so
   * state, recoveries and owed alerts are right once the database is back; alerts that were
   * already sent while it was away (the local ledger) are recorded but not sent again.
   */
  onReplayed(executions: readonly ExecutionRecord[]): Promise<DispatchOutcome[]>;
  /** At the end of a run: held alerts of the run, then due timers. */
  onRunEnd(runId: string): Promise<DispatchOutcome[]>;
  /** Reminders, alerts owed after maintenance, end of flapping, due held alerts (`now` for tests). */
  tick(now?: Date): Promise<DispatchOutcome[]>;
  /**
   * Cancels every delivery in flight or to come, with `reason` (e.g. the run stopped waiting):
   * each ends at once and still writes its notification_logs row with that reason.
   */
  stop(reason: string): void;
  close(): void;
};

/** The final attempt of each (run, test) in a replayed batch, oldest first; earlier retries are not events. */
export function replayOrder(
  executions: readonly ExecutionRecord[],
): { execution: ExecutionRecord; willRetry: boolean }[] {
  const last = new Map<string, number>();
  for (const e of executions)
    last.set(`${e.runId}\u0000${e.testId}`, Math.max(last.get(`${e.runId}\u0000${e.testId}`) ?? -1, e.retry));
  return [...executions]
    .sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime() || a.retry - b.retry)
    .map((execution) => ({
      execution,
      willRetry: execution.retry < (last.get(`${execution.runId}\u0000${execution.testId}`) ?? 0),
    }));
}

export type AlertingOptions = {
  /** MONITOR_STATE_DIR: the policy's local fallback (offline alerts, their ledger) lives there. */
  stateDir?: string;
  /** false when the caller already printed them at its start (the daemon). */
  routingWarnings?: boolean;
  /** MONITOR_LOCATION of this process: its notification_logs rows record it. */
  location?: string;
};

export function createAlerting(
  pool: DatabasePool,
  settings: AlertSettings,
  warn: (line: string) => void,
  options: AlertingOptions = {},
): Alerting {
  const { channels, policy } = settings;
  const engine: PolicyEngine = createPolicyEngine(policy);
  if (options.routingWarnings ?? true)
    for (const w of routingWarnings(
      channels.channels.map((c) => c.type),
      policy.routes,
    ))
      warn(`warning: ${w}`);
  const stopping = new AbortController();
  const notifier = createNotifier({
    channels: channels.channels,
    options: channels.options,
    warn,
    log: async (record) => {
      await insertNotificationLog(pool, options.location ? { ...record, location: options.location } : record);
    },
  });
  const dispatcher = createAlertDispatcher({
    routes: policy.routes,
    available: notifier.channels.map((c) => c.type),
    claim: (channel, alert, now) =>
      claimThrottleSlot(pool, channel, now, engine.throttle, {
        ...engine.summarize(alert),
        ...(options.location ? { location: options.location } : {}),
      }),
    send: (alert, to) => notifier.send(alert, { channels: to, signal: stopping.signal }),
  });
  const timers = new Set<NodeJS.Timeout>();

  const releaseLater = (at: Date) => {
    // Held alerts (storm folding) go out when due, even if nothing else happens in this run.
    const timer = setTimeout(
      () => {
        timers.delete(timer);
        void releaseHeldAlerts(pool, engine, new Date())
          .then((due) => dispatcher.dispatch(due))
          .catch((error: unknown) => warn(`releasing held alerts failed: ${(error as Error).message}`));
      },
      Math.max(0, at.getTime() - Date.now()) + 50,
    );
    timer.unref();
    timers.add(timer);
  };

  const stateDir = options.stateDir;
  /** The database's decision becomes the local fallback's starting point for the next outage. */
  const remember = async (workflowId: string) => {
    if (!stateDir) return;
    try {
      const row = await getAlertState(pool, workflowId);
      if (row) await withLocalPolicyState(stateDir, (local) => rememberDecidedState(local, row));
    } catch (error) {
      warn(`could not cache the alert state of ${workflowId} locally: ${(error as Error).message}`);
    }
  };
  /** Drops the alerts the offline fallback already sent (one ledger entry each). */
  const notSentOffline = async (alerts: RoutedAlert<Alert, ChannelType>[]) => {
    if (!stateDir || alerts.length === 0) return alerts;
    return withLocalPolicyState(stateDir, (local) =>
      alerts.filter((a) => !(a.alert.workflow && consumeSentOffline(local, a.alert.workflow.id, a.alert.kind))),
    );
  };

  const alerting: Alerting = {
    notifier,
    dispatcher,
    async onAttempt(execution, options) {
      const result = await applyExecutionToState(pool, execution, engine, new Date(), options);
      if (result.heldUntil) releaseLater(result.heldUntil);
      const [outcomes] = await Promise.all([
        dispatcher.dispatch(result.alerts),
        result.applied ? remember(execution.workflowId) : null,
      ]);
      return outcomes;
    },
    async onReplayed(executions) {
      const outcomes: DispatchOutcome[] = [];
      const touched = new Set<string>();
      for (const { execution, willRetry } of replayOrder(executions)) {
        const result = await applyExecutionToState(pool, execution, engine, new Date(), { willRetry, hold: false });
        if (!result.applied) continue;
        touched.add(execution.workflowId);
        outcomes.push(...(await dispatcher.dispatch(await notSentOffline(result.alerts))));
      }
      for (const id of touched) await remember(id);
      return outcomes;
    },
    async onRunEnd(runId) {
      const held = await dispatcher.dispatch(await releaseHeldAlerts(pool, engine, new Date(), { runId }));
      return [...held, ...(await alerting.tick())];
    },
    async tick(now = new Date()) {
      return dispatcher.dispatch(await tickTimers(pool, engine, now));
    },
    stop(reason) {
      if (!stopping.signal.aborted) stopping.abort(reason);
    },
    close() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
    },
  };
  return alerting;
}

// Alerts while PostgreSQL cannot be reached (issue 14 item 3): the same policy and channels,
// deciding from the bounded local fallback (policy/local-state.ts) instead of the database.
// A failure still pages, once: the outcome is recorded locally per (run, test) and each decided
// alert once per key, across the processes of one state folder. Delivery log rows go to the
// outbox and land in notification_logs with the replay; the replay then skips what was sent here.
import type { DecidedAlert, Observation } from '../../core/alerts.ts';
import { initialAlertState } from '../../db/alert-rows.ts';
import type { NotificationLogRecord } from '../../core/records.ts';
import type { Alert } from '../alert.ts';
import type { AlertSettings } from '../alert-settings.ts';
import type { Alerting } from './alerting.ts';
import type { ChannelType } from '../../core/alerts.ts';
import { createNotifier } from '../delivery/deliver.ts';
import { withLocalPolicyState } from './local-state.ts';
import { createAlertDispatcher } from './dispatch.ts';
import { createPolicyEngine } from './engine.ts';

export type OfflineAlertingInit = {
  stateDir: string;
  /** The channels and policy the entry point parsed (alert-settings.ts). */
  settings: AlertSettings;
  warn: (line: string) => void;
  /** Where delivery log rows go while the database is away (the run's outbox). */
  spoolLog: (record: NotificationLogRecord) => Promise<void>;
};

export function createOfflineAlerting(init: OfflineAlertingInit): Alerting {
  const { channels, policy } = init.settings;
  const engine = createPolicyEngine(policy);
  const stopping = new AbortController();
  const notifier = createNotifier({
    channels: channels.channels,
    options: channels.options,
    warn: init.warn,
    log: init.spoolLog,
  });
  // No shared throttle counts without the database: the local ledger's once-per-key is the limit.
  const dispatcher = createAlertDispatcher({
    routes: policy.routes,
    available: notifier.channels.map((c) => c.type),
    claim: async () => ({ throttled: false }),
    send: (alert, to) => notifier.send(alert, { channels: to, signal: stopping.signal }),
  });

  async function decide(
    execution: Parameters<Alerting['onAttempt']>[0],
    willRetry: boolean,
  ): Promise<DecidedAlert<Alert, ChannelType>[]> {
    const event = engine.classify(execution, willRetry);
    if (event === null) return [];
    const now = new Date();
    return withLocalPolicyState(init.stateDir, (local) => {
      const w = (local.workflows[execution.workflowId] ??= {
        state: initialAlertState(execution.workflowId, now),
        observations: [],
        stateChanges: [],
      });
      if (w.observations.some((o) => o.runId === execution.runId && o.testId === execution.testId)) return [];
      const observation: Observation = {
        runId: execution.runId,
        testId: execution.testId,
        event,
        at: new Date(execution.startedAt.getTime() + Math.max(0, execution.durationMs)),
        error: execution.error,
        ...(execution.location ? { location: execution.location } : {}),
      };
      w.observations.unshift(observation);
      const decision = engine.evaluate(
        w.state,
        { type: event, execution },
        { observations: w.observations, stateChanges: w.stateChanges, throttled: 0 },
        now,
      );
      w.state = decision.next;
      if (decision.change) w.stateChanges.unshift(now);
      const fresh = decision.alerts.filter(
        (a) => !local.sent.some((s) => s.workflowId === a.workflowId && s.kind === a.kind && s.key === a.key),
      );
      for (const a of fresh)
        local.sent.push({ workflowId: a.workflowId, kind: a.kind, key: a.key, runId: a.runId, at: now });
      return fresh;
    });
  }

  const alerting: Alerting = {
    notifier,
    dispatcher,
    async onAttempt(execution, options) {
      const alerts = await decide(execution, options.willRetry);
      return dispatcher.dispatch(
        alerts.filter((a) => a.channels.length > 0).map((a) => ({ alert: a.alert, channels: a.channels })),
      );
    },
    async onRunEnd() {
      return []; // nothing held offline: every decided alert left at once
    },
    async tick() {
      return [];
    },
    async onReplayed() {
      return [];
    },
    stop(reason) {
      if (!stopping.signal.aborted) stopping.abort(reason);
    },
    close() {},
  };
  return alerting;
}

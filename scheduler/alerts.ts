// The daemon's own alerts (pipeline failures, missed runs, capacity) and its share of the alert
// policy's timers. Critical alerts go through the policy's dispatcher `sendCriticalAlert` (rule 10,
// notifiers/policy/dispatch.ts): the critical route, throttled per channel in PostgreSQL like
// every workflow alert; one with a lower priority (the capacity warning, `medium`) through
// `dispatchRouted`, the route of its priority; without a database, straight to delivery (every configured channel). A mark in
// scheduler_alert_marks first makes each one go out once across every daemon on the database.
import { hostname } from 'node:os';
import type { DatabasePool } from '../db/pool.ts';
import { claimAlertMark } from '../db/tables/scheduler-alert-marks.ts';
import type { ExecutionRecord } from '../core/records.ts';
import type { Priority } from '../core/workflow.ts';
import { criticalAlert } from '../notifiers/policy/dispatch.ts';
import { createAlerting, type Alerting } from '../notifiers/policy/alerting.ts';
import type { AlertSettings } from '../notifiers/alert-settings.ts';
import type { Alert } from '../notifiers/alert.ts';
import { createNotifier, type Notifier } from '../notifiers/delivery/deliver.ts';
import type { SchedulerMetrics } from './metrics.ts';

export type CriticalAlert = {
  title: string;
  message: string;
  priority?: Priority;
  runId?: string | null;
  error?: string | null;
  context?: Record<string, string | number | boolean | null>;
  /** 'recovery': ends what a critical alert with the same `incident` opened (PagerDuty resolves it). */
  kind?: 'critical' | 'recovery';
  /** Alerts with the same incident are one incident (PagerDuty's dedup key; default: the title). */
  incident?: string;
};

export type AlertSender = {
  /** The configured channels, also for the hourly and daily summaries. */
  readonly notifier: Notifier;
  /**
   * Sends once per `key` across every daemon on the database, throttled like any alert; returns
   * whether this call decided to send it (a throttled alert counts: it is logged as throttled).
   */
  sendOnce(key: string, alert: CriticalAlert): Promise<boolean>;
  /** The policy's timers: reminders, alerts owed after maintenance, end of flapping, held alerts. */
  tick(now?: Date): Promise<number>;
  /** Executions the daemon's outbox replay stored: to the policy, like the reporter's replay. */
  onReplayed(executions: readonly ExecutionRecord[]): Promise<number>;
  close(): void;
};

export function createAlertSender(deps: {
  /** The channels and the policy, parsed once at the daemon's start (SchedulerConfig). */
  settings: AlertSettings;
  pool: () => DatabasePool | null;
  metrics: SchedulerMetrics;
  log: (line: string) => void;
  /** MONITOR_STATE_DIR: the policy's local fallback, shared with the runs. */
  stateDir?: string;
  /** MONITOR_LOCATION: the daemon's notification_logs rows record it. */
  location?: string;
}): AlertSender {
  // Without a database nothing can be throttled or shared; this notifier still delivers.
  const direct: Notifier = createNotifier({
    channels: deps.settings.channels.channels,
    options: deps.settings.channels.options,
    warn: deps.log,
  });
  let alerting: Alerting | null = null;
  let alertingPool: DatabasePool | null = null;
  const current = (): Alerting | null => {
    const pool = deps.pool();
    if (!pool) return null;
    if (alerting && alertingPool === pool) return alerting;
    alerting?.close();
    // The routing warnings were printed at the daemon's start.
    alerting = createAlerting(pool, deps.settings, deps.log, {
      routingWarnings: false,
      ...(deps.stateDir ? { stateDir: deps.stateDir } : {}),
      ...(deps.location ? { location: deps.location } : {}),
    });
    alertingPool = pool;
    return alerting;
  };
  const countFailures = (results: readonly { channel: string; sent: boolean; outcome: string }[]) => {
    for (const r of results)
      if (!r.sent && r.outcome !== 'skipped') deps.metrics.notificationFailures.inc({ channel: r.channel });
  };

  return {
    get notifier() {
      return current()?.notifier ?? direct;
    },
    async sendOnce(key, a) {
      const pool = deps.pool();
      if (pool) {
        try {
          if (!(await claimAlertMark(pool, key))) return false;
        } catch (error) {
          deps.log(`could not record alert mark ${key}: ${(error as Error).message}`);
        }
      }
      const label =
        a.kind === 'recovery' ? 'recovery' : a.priority && a.priority !== 'critical' ? a.priority : 'critical';
      deps.log(`ALERT (${label}): ${a.title}: ${a.message}`);
      // A recovery ends what a critical alert with the same incident opened.
      const as: Partial<Pick<Alert, 'kind' | 'incident'>> = {
        ...(a.kind ? { kind: a.kind } : {}),
        ...(a.incident ? { incident: a.incident } : {}),
      };
      const context = {
        host: hostname(),
        component: 'scheduler',
        ...(a.runId ? { runId: a.runId } : {}),
        ...(a.error ? { error: a.error } : {}),
        ...a.context,
      };
      const policy = current();
      if (policy && a.priority && a.priority !== 'critical') {
        // A warning (e.g. capacity): routed and throttled like any alert of its priority.
        const alert = criticalAlert(a.title, a.message, context, new Date(), {
          priority: a.priority,
          error: a.error ?? null,
          runId: a.runId ?? null,
        });
        for (const o of await policy.dispatcher.dispatchRouted({ ...alert, ...as }, a.priority)) {
          if (o.throttled.length) deps.log(`alert "${a.title}" throttled on ${o.throttled.join(', ')}`);
          if (o.error) {
            deps.metrics.notificationFailures.inc({ channel: 'all' });
            deps.log(`alert "${a.title}" failed: ${o.error}`);
          }
        }
        return true;
      }
      if (policy) {
        const outcome = await policy.dispatcher.sendCriticalAlert(a.title, a.message, context, as);
        if (outcome.throttled.length) deps.log(`alert "${a.title}" throttled on ${outcome.throttled.join(', ')}`);
        if (outcome.error) {
          deps.metrics.notificationFailures.inc({ channel: 'all' });
          deps.log(`alert "${a.title}" failed: ${outcome.error}`);
        }
        return true;
      }
      const alert = criticalAlert(a.title, a.message, context, new Date(), {
        priority: a.priority ?? 'critical',
        error: a.error ?? null,
        runId: a.runId ?? null,
      });
      const results = await direct.send({ ...alert, ...as });
      countFailures(results);
      return true;
    },
    async tick(now = new Date()) {
      const policy = current();
      if (!policy) return 0;
      const outcomes = await policy.tick(now);
      for (const o of outcomes) {
        if (o.error) deps.log(`alert "${o.alert.title}" failed: ${o.error}`);
        if (o.throttled.length) deps.log(`alert "${o.alert.title}" throttled on ${o.throttled.join(', ')}`);
      }
      return outcomes.length;
    },
    async onReplayed(executions) {
      const policy = current();
      if (!policy) return 0;
      const outcomes = await policy.onReplayed(executions);
      for (const o of outcomes) if (o.error) deps.log(`alert "${o.alert.title}" failed: ${o.error}`);
      return outcomes.length;
    },
    close() {
      alerting?.close();
    },
  };
}

// The daemon's own alerts (pipeline failures, missed runs): kind 'critical', sent straight
// through the configured channels. notifiers/policy has no `sendCriticalAlert` yet; when it
// lands, `send` here is the one place to switch to it (and its throttling).
import { hostname } from 'node:os';
import type { DatabasePool } from '../db/pool.ts';
import { insertNotificationLog } from '../db/notification-logs.ts';
import { claimAlertMark } from '../db/scheduler-alert-marks.ts';
import type { Priority } from '../db/types.ts';
import type { Alert } from '../notifiers/alert.ts';
import type { ChannelConfig } from '../notifiers/config.ts';
import { createNotifier, type Notifier } from '../notifiers/deliver.ts';
import type { SchedulerMetrics } from './metrics.ts';

export type CriticalAlert = {
  title: string;
  message: string;
  priority?: Priority;
  runId?: string | null;
  error?: string | null;
  context?: Record<string, string | number | boolean | null>;
};

export type AlertSender = {
  /** The configured channels, also for the hourly and daily summaries. */
  readonly notifier: Notifier;
  /** Sends once per `key` across every daemon on the database; returns whether this call sent it. */
  sendOnce(key: string, alert: CriticalAlert): Promise<boolean>;
};

export function createAlertSender(deps: {
  channels: ChannelConfig;
  pool: () => DatabasePool | null;
  metrics: SchedulerMetrics;
  log: (line: string) => void;
}): AlertSender {
  const notifier: Notifier = createNotifier({
    channels: deps.channels.channels,
    options: deps.channels.options,
    warn: deps.log,
    log: async (record) => {
      const pool = deps.pool();
      if (pool) await insertNotificationLog(pool, record);
    },
  });
  return {
    notifier,
    async sendOnce(key, a) {
      const pool = deps.pool();
      // Without a database the mark cannot be shared; sending twice beats staying silent.
      if (pool) {
        try {
          if (!(await claimAlertMark(pool, key))) return false;
        } catch (error) {
          deps.log(`could not record alert mark ${key}: ${(error as Error).message}`);
        }
      }
      deps.log(`ALERT (critical): ${a.title}: ${a.message}`);
      const alert: Alert = {
        kind: 'critical', title: a.title, priority: a.priority ?? 'critical', message: a.message,
        error: a.error ?? null, runId: a.runId ?? null, at: new Date(),
        context: { host: hostname(), component: 'scheduler', ...a.context },
      };
      const results = await notifier.send(alert);
      for (const r of results) if (!r.sent && r.outcome !== 'skipped') deps.metrics.notificationFailures.inc({ channel: r.channel });
      return true;
    },
  };
}

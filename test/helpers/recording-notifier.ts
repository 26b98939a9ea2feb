// A notifier for the delivery and channel tests: its channels from an environment (which must
// parse), its notification_logs rows and operator warnings kept in arrays instead of written.
import assert from 'node:assert/strict';
import type { NotificationLogRecord } from '../../core/records.ts';
import type { BoundChannel } from '../../notifiers/channel.ts';
import { loadChannelConfig } from '../../notifiers/config.ts';
import { createNotifier, type NotifierInit } from '../../notifiers/delivery/deliver.ts';

/** The channels `env` configures; the test fails, naming the problems, when it does not parse. */
export function channelsFrom(env: Record<string, string | undefined>): BoundChannel[] {
  const config = loadChannelConfig(env);
  assert.ok(config.ok, JSON.stringify(!config.ok && config.problems));
  return config.channels;
}

/** A notifier on `channels` (the rest of `init` as given) recording what it logs and warns. */
export function recordingNotifier(init: Omit<NotifierInit, 'log' | 'warn'>) {
  const records: NotificationLogRecord[] = [];
  const warnings: string[] = [];
  const notifier = createNotifier({
    ...init,
    log: async (r) => {
      records.push(r);
    },
    warn: (line) => warnings.push(line),
  });
  return { notifier, records, warnings };
}

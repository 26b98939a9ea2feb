// notification_logs: every delivery attempt of every channel. Never holds a secret: callers
// pass the channel's name, not its URL or token.
import { z } from 'zod';
import { sql, type CommonQueryMethods, type DatabasePool } from 'slonik';
import { DEFAULT_LOCATION } from '../../core/locations.ts';
import { notificationLogRecord, type NotificationLogRecord } from '../../core/records.ts';
import { storableText } from './storable.ts';

export async function insertNotificationLog(db: CommonQueryMethods, rec: NotificationLogRecord): Promise<number> {
  return db.oneFirst(sql.type(z.object({ id: z.number() }))`
    INSERT INTO notification_logs (channel, kind, priority, workflow_id, run_id, title, message, sent, throttled,
      error, status_code, attempts, latency_ms, location)
    VALUES (${rec.channel}, ${rec.kind}, ${rec.priority}, ${rec.workflowId}, ${rec.runId}, ${storableText(rec.title)},
      ${storableText(rec.message)}, ${rec.sent}, ${rec.throttled}, ${storableText(rec.error)}, ${rec.statusCode}, ${rec.attempts},
      ${Math.max(0, Math.round(rec.latencyMs))}, ${storableText(rec.location ?? DEFAULT_LOCATION)})
    RETURNING id`);
}

/** Rows spooled by offline deliveries (outbox kind 'notification'), in one transaction, after the rest of a replay. */
export async function insertSpooledNotifications(
  pool: DatabasePool,
  entries: readonly { kind: string; record: unknown }[],
): Promise<void> {
  const records = entries.filter((e) => e.kind === 'notification').map((e) => e.record as NotificationLogRecord);
  if (!records.length) return;
  await pool.transaction(async (tx) => {
    for (const r of records) await insertNotificationLog(tx, r);
  });
}

/** Messages actually delivered on `channel` since `since`: what throttling counts. */
export async function countSent(db: CommonQueryMethods, channel: string, since: Date): Promise<number> {
  return db.oneFirst(sql.type(z.object({ n: z.number() }))`
    SELECT count(*)::integer AS n FROM notification_logs
    WHERE channel = ${channel} AND created_at >= ${since.toISOString()}::timestamptz AND sent`);
}

/** Every column of notification_logs, named as the queries select them (other reads pick from it). */
export const notificationLogRow = notificationLogRecord.required({ location: true }).extend({
  id: z.number(),
  createdAt: z.date(),
});
export type NotificationLogRow = z.infer<typeof notificationLogRow>;

/** Newest first. */
export async function getNotificationLogs(
  db: CommonQueryMethods,
  filter: { channel?: string; limit?: number } = {},
): Promise<NotificationLogRow[]> {
  const limit = Math.min(Math.max(1, filter.limit ?? 100), 1000);
  const rows = await db.any(sql.type(notificationLogRow)`
    SELECT id, created_at AS "createdAt", channel, kind, priority, workflow_id AS "workflowId", run_id AS "runId",
      title, message, sent, throttled, error, status_code AS "statusCode", attempts, latency_ms AS "latencyMs", location
    FROM notification_logs
    WHERE ${filter.channel === undefined ? sql.fragment`true` : sql.fragment`channel = ${filter.channel}`}
    ORDER BY created_at DESC, id DESC LIMIT ${limit}`);
  return [...rows];
}

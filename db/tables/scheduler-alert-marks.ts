// scheduler_alert_marks: "this alert was raised" records that make the daemon's own alerts
// (pipeline failures, missed runs) fire once across any number of daemons.
import { z } from 'zod';
import { sql, type CommonQueryMethods } from 'slonik';

/** True for the first caller with this key, false for everyone after. */
export async function claimAlertMark(db: CommonQueryMethods, key: string): Promise<boolean> {
  const rows = await db.any(sql.type(z.object({ markKey: z.string() }))`
    INSERT INTO scheduler_alert_marks (mark_key) VALUES (${key})
    ON CONFLICT (mark_key) DO NOTHING
    RETURNING mark_key AS "markKey"`);
  return rows.length === 1;
}

/** Marks older than `before` are forgotten (retention). */
export async function pruneAlertMarks(db: CommonQueryMethods, before: Date): Promise<number> {
  const rows = await db.any(sql.type(z.object({ markKey: z.string() }))`
    DELETE FROM scheduler_alert_marks WHERE created_at < ${before.toISOString()}::timestamptz
    RETURNING mark_key AS "markKey"`);
  return rows.length;
}

const mark = z.object({ markKey: z.string(), createdAt: z.date() });
export type AlertMark = z.infer<typeof mark>;

/**
 * The marks whose key starts with `prefix` and that no `${done}${key}` mark closes, oldest first:
 * the alerts still open (e.g. a pipeline failure no recovery has ended yet).
 */
export async function openAlertMarks(db: CommonQueryMethods, prefix: string, done: string): Promise<AlertMark[]> {
  const rows = await db.any(sql.type(mark)`
    SELECT m.mark_key AS "markKey", m.created_at AS "createdAt" FROM scheduler_alert_marks m
    WHERE starts_with(m.mark_key, ${prefix})
      AND NOT EXISTS (SELECT 1 FROM scheduler_alert_marks d WHERE d.mark_key = ${done} || m.mark_key)
    ORDER BY m.created_at, m.mark_key`);
  return [...rows];
}

export async function alertMarkExists(db: CommonQueryMethods, key: string): Promise<boolean> {
  return db.exists(sql.type(z.object({}))`SELECT 1 FROM scheduler_alert_marks WHERE mark_key = ${key}`);
}

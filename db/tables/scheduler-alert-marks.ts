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

// The dashboard's incident timeline of one workflow (private, behind the token): each DOWN
// episode of the last 90 days with start, end, duration, the cause in words and the alerts the
// notification log holds for it (from its start to its end, plus a minute for the recovery).
import type { CommonQueryMethods } from 'slonik';
import { sql } from 'slonik';
import { z } from 'zod';
import { causeInWords } from './model.ts';
import { alertsBetween } from './queries.ts';

const row = z.object({
  id: z.number(),
  startedAt: z.date(),
  endedAt: z.date().nullable(),
  lastError: z.string().nullable(),
});

export async function incidentTimeline(db: CommonQueryMethods, workflowId: string, now: Date) {
  const from = new Date(now.getTime() - 90 * 86_400_000).toISOString();
  const list = await db.any(sql.type(
    row,
  )`SELECT id::integer AS id, started_at AS "startedAt", ended_at AS "endedAt", last_error AS "lastError"
    FROM status_incidents WHERE workflow_id = ${workflowId} AND (ended_at IS NULL OR ended_at >= ${from}::timestamptz)
    ORDER BY started_at DESC LIMIT 100`);
  return Promise.all(
    list.map(async (i) => {
      const alerts = await alertsBetween(
        db,
        workflowId,
        new Date(i.startedAt.getTime() - 60_000),
        new Date((i.endedAt ?? now).getTime() + 60_000),
      );
      return {
        id: i.id,
        start: i.startedAt.toISOString(),
        end: i.endedAt?.toISOString() ?? null,
        durationMs: (i.endedAt ?? now).getTime() - i.startedAt.getTime(),
        cause: causeInWords(i.lastError),
        alerts: alerts.map((a) => ({
          at: a.createdAt.toISOString(),
          channel: a.channel,
          kind: a.kind,
          result: a.throttled ? 'throttled' : a.sent ? 'sent' : 'failed',
        })),
      };
    }),
  );
}

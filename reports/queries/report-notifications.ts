// Notification deliveries of a period, per channel: how many failed (not throttled: throttling
// is the policy working as intended) and with which error.
import { z } from 'zod';
import { sql, type CommonQueryMethods } from 'slonik';
import { errorFirstLine, inPeriod, mostFrequent, type Period } from './report-figures.ts';

const deliveryRow = z.object({
  channel: z.string(),
  messages: z.number(),
  sent: z.number(),
  failed: z.number(),
  throttled: z.number(),
  topError: z.string().nullable(),
  topErrorCount: z.number(),
  lastFailedAt: z.date().nullable(),
  lastStatusCode: z.number().nullable(),
});
export type DeliverySummary = z.infer<typeof deliveryRow>;

export async function getDeliverySummaries(db: CommonQueryMethods, period: Period): Promise<DeliverySummary[]> {
  const rows = await db.any(sql.type(deliveryRow)`
    WITH n AS (
      SELECT channel, created_at, sent, throttled, status_code,
        ${errorFirstLine} AS message
      FROM notification_logs
      WHERE ${inPeriod('created_at', period)}
        AND kind <> 'test'
    ),
    errors AS (${mostFrequent('n', 'channel', 'message', 'created_at', sql.fragment`NOT sent AND NOT throttled`)}),
    last_failure AS (
      SELECT DISTINCT ON (channel) channel, created_at, status_code FROM n WHERE NOT sent AND NOT throttled
      ORDER BY channel, created_at DESC
    )
    SELECT c.channel, count(*)::integer AS messages, count(*) FILTER (WHERE c.sent)::integer AS sent,
      count(*) FILTER (WHERE NOT c.sent AND NOT c.throttled)::integer AS failed,
      count(*) FILTER (WHERE c.throttled)::integer AS throttled,
      max(e.message) AS "topError", coalesce(max(e.n), 0) AS "topErrorCount",
      max(l.created_at) AS "lastFailedAt", max(l.status_code) AS "lastStatusCode"
    FROM n c LEFT JOIN errors e USING (channel) LEFT JOIN last_failure l USING (channel)
    GROUP BY c.channel ORDER BY c.channel`);
  return [...rows];
}

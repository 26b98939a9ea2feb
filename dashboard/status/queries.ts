// The status page's reads, bounded for a thousand workflows: daily availability from the hourly
// aggregates (today's hours from the raw rows, so the page is current before the roll-up runs),
// the policy's state per workflow, and the incidents of the last 90 days.
import { z } from 'zod';
import { sql, type CommonQueryMethods } from 'slonik';
import { finalAttempt } from '../../db/tables/execution-stats.ts';
import { notificationLogRow } from '../../db/tables/notification-logs.ts';
import { workflowStateColumns } from '../../db/tables/workflow-states.ts';

const DAY_MS = 86_400_000;
export const startOfUtcDay = (d: Date) => new Date(Math.floor(d.getTime() / DAY_MS) * DAY_MS);

export type DayFigure = { day: string; runs: number; passed: number };
const dayRow = z.object({ workflowId: z.string(), day: z.string(), runs: z.number(), passed: z.number() });

/**
 * Runs and passed runs per workflow and UTC day (`YYYY-MM-DD`) over the last `days` days: the
 * hourly aggregates up to the newest hour rolled up, the raw rows (final attempts) after it, so
 * the page is current while reading only the hour or two the roll-up has not reached yet.
 */
export async function dailyAvailability(
  db: CommonQueryMethods,
  days: number,
  now: Date,
  workflowId?: string,
): Promise<Map<string, DayFigure[]>> {
  const today = startOfUtcDay(now);
  const from = new Date(today.getTime() - (days - 1) * DAY_MS);
  const only = workflowId === undefined ? sql.fragment`TRUE` : sql.fragment`workflow_id = ${workflowId}`;
  // Hours before the newest rolled-up one are complete (roll-ups recompute whole hours); that
  // newest one and later come from the raw rows.
  const newest = await db.maybeOneFirst(sql.type(
    z.object({ h: z.date().nullable() }),
  )`SELECT max(hour) AS h FROM workflow_hourly_aggregates
    WHERE hour >= ${from.toISOString()}::timestamptz AND hour <= ${now.toISOString()}::timestamptz`);
  const rawFrom = new Date(Math.max(from.getTime(), (newest ?? from).getTime()));
  const rows = await db.any(sql.type(dayRow)`
    SELECT "workflowId", day, sum(runs)::integer AS runs, sum(passed)::integer AS passed FROM (
      SELECT workflow_id AS "workflowId", to_char(hour AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, runs, passed
      FROM workflow_hourly_aggregates
      WHERE hour >= ${from.toISOString()}::timestamptz AND hour < ${rawFrom.toISOString()}::timestamptz AND ${only}
      UNION ALL
      SELECT workflow_id, to_char(started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD'), 1, CASE WHEN status = 'passed' THEN 1 ELSE 0 END
      FROM workflow_executions x
      WHERE started_at >= ${rawFrom.toISOString()}::timestamptz AND status <> 'skipped' AND ${only} AND ${finalAttempt('x', rawFrom)}
    ) t GROUP BY 1, 2`);
  const out = new Map<string, DayFigure[]>();
  for (const r of rows) {
    const list = out.get(r.workflowId) ?? [];
    list.push({ day: r.day, runs: r.runs, passed: r.passed });
    out.set(r.workflowId, list);
  }
  return out;
}

/** The same figures computed from the raw rows only (the bench's comparison). */
export async function dailyAvailabilityFromRaw(
  db: CommonQueryMethods,
  days: number,
  now: Date,
  workflowId?: string,
): Promise<Map<string, DayFigure[]>> {
  const from = new Date(startOfUtcDay(now).getTime() - (days - 1) * DAY_MS);
  const only = workflowId === undefined ? sql.fragment`TRUE` : sql.fragment`workflow_id = ${workflowId}`;
  const rows = await db.any(sql.type(dayRow)`
    SELECT workflow_id AS "workflowId", to_char(date_trunc('day', started_at, 'UTC') AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day,
      count(*)::integer AS runs, (count(*) FILTER (WHERE status = 'passed'))::integer AS passed
    FROM workflow_executions x
    WHERE started_at >= ${from.toISOString()}::timestamptz AND status <> 'skipped' AND ${only} AND ${finalAttempt('x', from)}
    GROUP BY 1, 2`);
  const out = new Map<string, DayFigure[]>();
  for (const r of rows)
    out.set(r.workflowId, [...(out.get(r.workflowId) ?? []), { day: r.day, runs: r.runs, passed: r.passed }]);
  return out;
}

const stateRow = workflowStateColumns.pick({ workflowId: true, name: true, priority: true, tags: true }).extend({
  /** As text: model.ts's stateWord compares it with up, down and flaky. */
  state: z.string(),
  flapping: z.boolean(),
  /** DEGRADED by notifiers/assess/ (slow, or over a time budget): workflow_performance_states. */
  slow: z.boolean(),
});
export type PolicyState = z.infer<typeof stateRow>;

export async function policyStates(db: CommonQueryMethods, workflowId?: string): Promise<Map<string, PolicyState>> {
  const only = workflowId === undefined ? sql.fragment`TRUE` : sql.fragment`s.workflow_id = ${workflowId}`;
  const rows = await db.any(sql.type(
    stateRow,
  )`SELECT s.workflow_id AS "workflowId", s.state, s.flapping_since IS NOT NULL AS flapping,
    coalesce(p.degraded, false) AS slow, s.workflow_name AS name, s.priority, s.tags
    FROM workflow_states s LEFT JOIN workflow_performance_states p USING (workflow_id) WHERE ${only}`);
  return new Map(rows.map((r) => [r.workflowId, r]));
}

const episodeRow = z.object({
  id: z.number(),
  workflowId: z.string(),
  startedAt: z.date(),
  endedAt: z.date().nullable(),
  lastError: z.string().nullable(),
});
export type Episode = z.infer<typeof episodeRow>;

/** DOWN episodes that were open at some point in the last `days` days, oldest first. */
export async function episodes(db: CommonQueryMethods, days: number, now: Date): Promise<Episode[]> {
  const from = new Date(now.getTime() - days * DAY_MS).toISOString();
  return [
    ...(await db.any(sql.type(
      episodeRow,
    )`SELECT id::integer AS id, workflow_id AS "workflowId", started_at AS "startedAt",
    ended_at AS "endedAt", last_error AS "lastError" FROM status_incidents
    WHERE ended_at IS NULL OR ended_at >= ${from}::timestamptz ORDER BY started_at, id`)),
  ];
}

const alertRow = notificationLogRow.pick({
  workflowId: true,
  createdAt: true,
  channel: true,
  kind: true,
  sent: true,
  throttled: true,
});
export type AlertSent = z.infer<typeof alertRow>;

/** Alert log rows of one workflow in [from, to] (the dashboard's incident timeline). */
export async function alertsBetween(
  db: CommonQueryMethods,
  workflowId: string,
  from: Date,
  to: Date,
): Promise<AlertSent[]> {
  return [
    ...(await db.any(sql.type(
      alertRow,
    )`SELECT workflow_id AS "workflowId", created_at AS "createdAt", channel, kind, sent, throttled
    FROM notification_logs WHERE created_at >= ${from.toISOString()}::timestamptz AND created_at <= ${to.toISOString()}::timestamptz
      AND workflow_id = ${workflowId} ORDER BY created_at LIMIT 200`)),
  ];
}

// The daemon's capacity figures: each workflow's recent duration (workflow_executions), the live
// daemons sharing the queue (scheduler_daemons) and the one capacity episode row
// (scheduler_capacity_state) whose flip decides which daemon alerts.
import { z } from 'zod';
import { sql, type CommonQueryMethods } from 'slonik';
import { DEFAULT_LOCATION } from '../../core/locations.ts';

const none = z.object({});

/** Recent attempts a duration is the median of. */
export const recentAttempts = 10;

/** Per workflow, the median duration of its last `recentAttempts` attempts in the last 7 days (ms); absent: none. */
export async function recentDurations(
  db: CommonQueryMethods,
  workflowIds: readonly string[],
): Promise<Map<string, number>> {
  if (!workflowIds.length) return new Map();
  const rows = await db.any(sql.type(z.object({ workflowId: z.string(), ms: z.number() }))`
    SELECT w.id AS "workflowId", percentile_cont(0.5) WITHIN GROUP (ORDER BY x.duration_ms)::float8 AS ms
    FROM unnest(${sql.array([...workflowIds], 'text')}) AS w(id)
    CROSS JOIN LATERAL (
      SELECT e.duration_ms FROM workflow_executions e
      WHERE e.workflow_id = w.id AND e.started_at > now() - interval '7 days' AND e.status <> 'skipped'
      ORDER BY e.started_at DESC LIMIT ${recentAttempts}
    ) x
    GROUP BY w.id`);
  return new Map(rows.map((r) => [r.workflowId, r.ms]));
}

export type DaemonBeat = {
  host: string;
  pid: number;
  startedAt: Date;
  workers: number;
  concurrency: number;
  /** MONITOR_LOCATION: the daemons of one location share its slots, so its capacity is theirs. */
  location?: string;
  version?: string | null;
};
export type LiveDaemons = { daemons: number; slots: number };

/** This daemon is alive; returns its location's daemons seen within `staleMs` and their summed workers x concurrency. */
export async function beatDaemon(db: CommonQueryMethods, d: DaemonBeat, staleMs: number): Promise<LiveDaemons> {
  const location = d.location ?? DEFAULT_LOCATION;
  await db.query(sql.type(none)`
    INSERT INTO scheduler_daemons (host, pid, started_at, workers, concurrency, location, version)
    VALUES (${d.host}, ${d.pid}, ${d.startedAt.toISOString()}::timestamptz, ${d.workers}, ${d.concurrency},
      ${location}, ${d.version ?? null})
    ON CONFLICT (host, pid, started_at) DO UPDATE
      SET seen_at = now(), workers = EXCLUDED.workers, concurrency = EXCLUDED.concurrency,
        location = EXCLUDED.location, version = EXCLUDED.version`);
  await db.query(sql.type(none)`DELETE FROM scheduler_daemons WHERE seen_at < now() - interval '1 day'`);
  return db.one(sql.type(z.object({ daemons: z.number(), slots: z.number() }))`
    SELECT count(*)::int AS daemons, coalesce(sum(workers * concurrency), 0)::int AS slots
    FROM scheduler_daemons WHERE seen_at > now() - ${staleMs} * interval '1 millisecond' AND location = ${location}`);
}

/** The daemons seen within `staleMs` (for `list`, which is not one). */
export async function liveDaemons(db: CommonQueryMethods, staleMs: number): Promise<LiveDaemons> {
  return db.one(sql.type(z.object({ daemons: z.number(), slots: z.number() }))`
    SELECT count(*)::int AS daemons, coalesce(sum(workers * concurrency), 0)::int AS slots
    FROM scheduler_daemons WHERE seen_at > now() - ${staleMs} * interval '1 millisecond'`);
}

/** A daemon that stops says so, so the others stop counting it at once. */
export async function forgetDaemon(db: CommonQueryMethods, d: Pick<DaemonBeat, 'host' | 'pid' | 'startedAt'>) {
  await db.query(sql.type(none)`
    DELETE FROM scheduler_daemons WHERE host = ${d.host} AND pid = ${d.pid} AND started_at = ${d.startedAt.toISOString()}::timestamptz`);
}

/**
 * The episode row with hysteresis: over when `ratio` > `enter`, back when it is <= `leave`. Returns
 * the state, its start, and whether this call changed it (that daemon alerts, no other).
 */
export async function updateCapacityState(
  db: CommonQueryMethods,
  ratio: number,
  enter: number,
  leave: number,
): Promise<{ over: boolean; since: Date; changed: boolean }> {
  const row = await db.one(sql.type(z.object({ over: z.boolean(), since: z.date(), was: z.boolean() }))`
    WITH prev AS (SELECT over AS was FROM scheduler_capacity_state WHERE id = 1 FOR UPDATE),
    n AS (SELECT was, CASE WHEN was THEN ${ratio} > ${leave} ELSE ${ratio} > ${enter} END AS now_over FROM prev)
    UPDATE scheduler_capacity_state s
    SET ratio = ${ratio}, over = n.now_over, since = CASE WHEN n.now_over <> n.was THEN now() ELSE s.since END
    FROM n WHERE s.id = 1
    RETURNING s.over, s.since, n.was`);
  return { over: row.over, since: row.since, changed: row.over !== row.was };
}

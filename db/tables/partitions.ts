// Daily partitions of the raw tables (workflow_executions, workflow_steps, workflow_metrics,
// system_health_checks). The DDL itself lives in SQL functions created by the migrations.
import { z } from 'zod';
import { sql, type CommonQueryMethods, type DatabasePool } from 'slonik';

const DAY_MS = 86_400_000;

export function utcDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

// Days already known to have partitions, per pool: the ingest path checks once per day.
const known = new WeakMap<DatabasePool | CommonQueryMethods, Set<string>>();

/** Makes sure every UTC day touched by `dates` has its partitions. */
export async function ensurePartitionsFor(db: CommonQueryMethods, dates: readonly Date[]): Promise<void> {
  let seen = known.get(db);
  if (!seen) {
    seen = new Set();
    known.set(db, seen);
  }
  const days = [...new Set(dates.map(utcDay))].filter((d) => !seen.has(d)).sort();
  for (const day of days) {
    const start = new Date(`${day}T00:00:00.000Z`);
    await db.query(sql.type(z.object({ created: z.number() }))`
      SELECT monitor_ensure_day_partitions(${start.toISOString()}::timestamptz, ${start.toISOString()}::timestamptz) AS created`);
    seen.add(day);
  }
}

/** Retention dropped a day this process still believed in. */
export function forgetPartitions(db: CommonQueryMethods): void {
  known.delete(db);
}

/** Creates partitions ahead, so the first insert of a day runs no DDL. */
export async function ensureUpcomingPartitions(
  db: CommonQueryMethods,
  daysAhead = 2,
  now = new Date(),
): Promise<number> {
  return db.oneFirst(sql.type(z.object({ created: z.number() }))`
    SELECT monitor_ensure_day_partitions(${new Date(now.getTime() - DAY_MS).toISOString()}::timestamptz,
      ${new Date(now.getTime() + daysAhead * DAY_MS).toISOString()}::timestamptz) AS created`);
}

const partitionRow = z.object({ day: z.string(), tableName: z.string() });

/** UTC days that have raw partitions, oldest first. */
export async function listPartitionDays(db: CommonQueryMethods): Promise<string[]> {
  const rows = await db.any(sql.type(partitionRow)`
    SELECT to_char(to_date(right(child.relname, 8), 'YYYYMMDD'), 'YYYY-MM-DD') AS day, child.relname AS "tableName"
    FROM pg_inherits i
    JOIN pg_class child ON child.oid = i.inhrelid
    JOIN pg_class parent ON parent.oid = i.inhparent
    WHERE parent.relname = 'workflow_executions'
      AND parent.relnamespace = current_schema()::regnamespace
      AND child.relname ~ '_p[0-9]{8}$'
    ORDER BY 1`);
  return rows.map((r) => r.day);
}

const detachedRow = z.object({ tableName: z.string(), day: z.string(), rowCount: z.number(), retiredName: z.string() });
export type DroppedPartition = { tableName: string; day: string; rowCount: number };

/** Detaches every raw partition whose whole UTC day ends at or before `before` (a catalog change:
 * the live tables are locked only for that) and renames it *_retired. */
export async function detachPartitionsBefore(db: CommonQueryMethods, before: Date): Promise<DroppedPartition[]> {
  const rows = await db.any(sql.type(detachedRow)`
    SELECT table_name AS "tableName", to_char(day, 'YYYY-MM-DD') AS day, row_count AS "rowCount",
      retired_name AS "retiredName"
    FROM monitor_detach_day_partitions(${before.toISOString()}::timestamptz)`);
  forgetPartitions(db);
  return rows.map(({ tableName, day, rowCount }) => ({ tableName, day, rowCount }));
}

/** Drops detached *_retired tables, including any a crashed cleanup left; returns how many. */
export async function dropRetiredPartitions(db: CommonQueryMethods): Promise<number> {
  const names = await db.anyFirst(sql.type(z.object({ name: z.string() }))`
    SELECT relname AS name FROM pg_class
    WHERE relkind = 'r' AND NOT relispartition AND relnamespace = current_schema()::regnamespace
      AND relname ~ '^(workflow_executions|workflow_steps|workflow_metrics|system_health_checks)_p[0-9]{8}_retired$'`);
  for (const name of names) await db.query(sql.type(z.object({}))`DROP TABLE IF EXISTS ${sql.identifier([name])}`);
  return names.length;
}

/** Retention of raw days: detach, then drop (the slow file removal no longer blocks anyone). */
export async function dropPartitionsBefore(db: CommonQueryMethods, before: Date): Promise<DroppedPartition[]> {
  const detached = await detachPartitionsBefore(db, before);
  await dropRetiredPartitions(db);
  return detached;
}

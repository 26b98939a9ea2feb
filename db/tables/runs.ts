// monitor_runs: one row per `playwright test` invocation.
import { z } from 'zod';
import { sql, type CommonQueryMethods } from 'slonik';
import { DEFAULT_LOCATION } from '../../core/locations.ts';
import { runRecord, type RunRecord, type RunStatus } from '../../core/records.ts';
import { storableText } from './storable.ts';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** Inserts the run, or updates its end and status when it already exists (begin, then end). */
export async function upsertRun(db: CommonQueryMethods, run: RunRecord): Promise<void> {
  await db.query(sql.type(z.object({}))`
    INSERT INTO monitor_runs (run_id, trigger, grep, host, started_at, ended_at, status, ci_url, run_group, shard_index, shard_total, location)
    VALUES (${storableText(run.runId)}, ${run.trigger}, ${storableText(run.grep)}, ${storableText(run.host)},
      ${run.startedAt.toISOString()}::timestamptz, ${iso(run.endedAt)}::timestamptz, ${run.status}, ${storableText(run.ciUrl)},
      ${storableText(run.runGroup ?? null)}, ${run.shardIndex ?? null}, ${run.shardTotal ?? null}, ${storableText(run.location ?? DEFAULT_LOCATION)})
    ON CONFLICT (run_id) DO UPDATE SET ended_at = coalesce(EXCLUDED.ended_at, monitor_runs.ended_at),
      status = CASE WHEN EXCLUDED.status = 'running' THEN monitor_runs.status ELSE EXCLUDED.status END,
      ci_url = coalesce(EXCLUDED.ci_url, monitor_runs.ci_url)`);
}

/** Returns false when the run is unknown. */
export async function finishRun(
  db: CommonQueryMethods,
  runId: string,
  end: { endedAt: Date; status: RunStatus },
): Promise<boolean> {
  const rows = await db.any(sql.type(z.object({ runId: z.string() }))`
    UPDATE monitor_runs SET ended_at = ${end.endedAt.toISOString()}::timestamptz, status = ${end.status}
    WHERE run_id = ${runId} RETURNING run_id AS "runId"`);
  return rows.length > 0;
}

/** The row as read back: location always set (`local` for runs from before locations); shards not read. */
const runRow = runRecord.omit({ runGroup: true, shardIndex: true, shardTotal: true }).required({ location: true });

const runColumns = sql.fragment`run_id AS "runId", trigger, grep, host, started_at AS "startedAt",
  ended_at AS "endedAt", status, ci_url AS "ciUrl", location`;

export async function getRun(db: CommonQueryMethods, runId: string): Promise<RunRecord | null> {
  return db.maybeOne(sql.type(runRow)`SELECT ${runColumns} FROM monitor_runs WHERE run_id = ${runId}`);
}

/** Newest first. */
export async function getRecentRuns(db: CommonQueryMethods, limit = 50): Promise<RunRecord[]> {
  const rows = await db.any(sql.type(runRow)`
    SELECT ${runColumns} FROM monitor_runs ORDER BY started_at DESC LIMIT ${Math.min(Math.max(1, limit), 1000)}`);
  return [...rows];
}

export const saveRun = upsertRun;

// scheduler_slot_runs: at most one execution per (workflow, slot), in order (issue 14 item 5).
// Before a slot runs, its row says whether a run already holds it (and whether that run left an
// execution, stored or spooled), or whether a later slot of the workflow already started.
import { z } from 'zod';
import { sql, type CommonQueryMethods, type DatabasePool } from 'slonik';

export type SlotKey = { workflowId: string; slot: Date };
export type SlotClaim = { runId: string; jobId: string | null; host: string; pid: number };
/** run: go ahead (claimed for this run); done: its execution exists; missed: a later slot started first. */
export type SlotGate =
  | { verdict: 'run' }
  | { verdict: 'done'; runId: string }
  | { verdict: 'missed' }
  /** Another live daemon is running it right now. */
  | { verdict: 'busy'; runId: string };
export type SlotHolder = { host: string; pid: number; runPid: number | null; updatedAt: Date };

const none = z.object({});
const rowType = z.object({
  runId: z.string().nullable(),
  status: z.enum(['started', 'done', 'missed']),
  host: z.string().nullable(),
  pid: z.number().nullable(),
  runPid: z.number().nullable(),
  updatedAt: z.date(),
});
const rowColumns = sql.fragment`run_id AS "runId", status, host, pid, run_pid AS "runPid", updated_at AS "updatedAt"`;
const lock = (workflowId: string) =>
  sql.fragment`pg_advisory_xact_lock(hashtextextended(${`workflow-monitor:slot:${workflowId}`}, 0))`;

/**
 * `hasExecution(runId, workflowId)`: the run left an execution of the workflow (in the database
 * or in the outbox). Called outside the transaction (it may read files).
 */
export async function gateSlot(
  pool: DatabasePool,
  key: SlotKey,
  claim: SlotClaim,
  hasExecution: (runId: string, workflowId: string) => Promise<boolean>,
  holderAlive: (holder: SlotHolder) => boolean = () => false,
): Promise<SlotGate> {
  const at = key.slot.toISOString();
  const existing = await pool.maybeOne(sql.type(rowType)`SELECT ${rowColumns} FROM scheduler_slot_runs
    WHERE workflow_id = ${key.workflowId} AND slot_at = ${at}::timestamptz`);
  if (existing?.status === 'missed') return { verdict: 'missed' };
  if (existing?.runId && (existing.status === 'done' || (await hasExecution(existing.runId, key.workflowId)))) {
    await pool.query(sql.type(none)`UPDATE scheduler_slot_runs SET status = 'done', updated_at = now()
      WHERE workflow_id = ${key.workflowId} AND slot_at = ${at}::timestamptz`);
    return { verdict: 'done', runId: existing.runId };
  }
  return pool.transaction(async (tx) => {
    await tx.query(sql.type(none)`SELECT ${lock(key.workflowId)}`);
    // Another handler (this daemon's pg-boss worker and its restart recovery) claimed it meanwhile: first one wins.
    const now = await tx.maybeOne(sql.type(rowType)`SELECT ${rowColumns} FROM scheduler_slot_runs
      WHERE workflow_id = ${key.workflowId} AND slot_at = ${at}::timestamptz`);
    if (now && now.runId !== (existing?.runId ?? null) && now.runId !== null && now.status !== 'missed')
      return { verdict: 'done', runId: now.runId } as const;
    if (now?.status === 'missed') return { verdict: 'missed' } as const;
    const mine = now?.host === claim.host && now.pid === claim.pid;
    if (
      now?.status === 'started' &&
      now.runId &&
      now.host &&
      now.pid !== null &&
      !mine &&
      holderAlive({ host: now.host, pid: now.pid, runPid: now.runPid, updatedAt: now.updatedAt })
    )
      return { verdict: 'busy', runId: now.runId } as const;
    const later = await tx.exists(sql.type(none)`SELECT 1 FROM scheduler_slot_runs WHERE workflow_id = ${key.workflowId}
      AND slot_at > ${at}::timestamptz AND status IN ('started', 'done')`);
    const status = later ? 'missed' : 'started';
    await tx.query(sql.type(
      none,
    )`INSERT INTO scheduler_slot_runs (workflow_id, slot_at, run_id, status, job_id, host, pid)
      VALUES (${key.workflowId}, ${at}::timestamptz, ${later ? null : claim.runId}, ${status}, ${claim.jobId}, ${claim.host}, ${claim.pid})
      ON CONFLICT (workflow_id, slot_at) DO UPDATE SET run_id = EXCLUDED.run_id, status = EXCLUDED.status, job_id = EXCLUDED.job_id,
        host = EXCLUDED.host, pid = EXCLUDED.pid, run_pid = NULL, updated_at = now()`);
    return later ? ({ verdict: 'missed' } as const) : ({ verdict: 'run' } as const);
  });
}

/**
 * Executions of `workflowId` stored for `runId` that are an outcome: an attempt cut short by a
 * killed run (interrupted) is not, so such a slot may run again.
 */
export async function storedExecutions(db: CommonQueryMethods, runId: string, workflowId: string): Promise<number> {
  return db.oneFirst(sql.type(z.object({ n: z.number() }))`SELECT count(*)::integer AS n FROM workflow_executions
    WHERE run_id = ${runId} AND workflow_id = ${workflowId} AND status <> 'interrupted'`);
}

/** The run's process, once spawned: a restarted daemon waits for it before judging the slot. */
export async function setRunPid(db: CommonQueryMethods, runId: string, runPid: number): Promise<void> {
  await db.query(
    sql.type(none)`UPDATE scheduler_slot_runs SET run_pid = ${runPid}, updated_at = now() WHERE run_id = ${runId}`,
  );
}

/** The run recorded nothing (a pipeline failure): its slots are free for pg-boss's retry, on any daemon. */
export async function releaseRunSlots(db: CommonQueryMethods, runId: string): Promise<void> {
  await db.query(
    sql.type(
      none,
    )`UPDATE scheduler_slot_runs SET pid = NULL, updated_at = now() WHERE run_id = ${runId} AND status = 'started'`,
  );
}

/** The run recorded its rows: its slots are done. */
export async function markRunSlotsDone(db: CommonQueryMethods, runId: string): Promise<void> {
  await db.query(
    sql.type(none)`UPDATE scheduler_slot_runs SET status = 'done', updated_at = now() WHERE run_id = ${runId}`,
  );
}

export type StartedSlot = SlotKey & {
  runId: string | null;
  jobId: string | null;
  pid: number | null;
  runPid: number | null;
};

/** Slots a daemon on `host` started and never finished: a restarted daemon looks at these. */
export async function startedSlotsOn(db: CommonQueryMethods, host: string): Promise<StartedSlot[]> {
  const rows = await db.any(sql.type(
    z.object({
      workflowId: z.string(),
      slot: z.date(),
      runId: z.string().nullable(),
      jobId: z.string().nullable(),
      pid: z.number().nullable(),
      runPid: z.number().nullable(),
    }),
  )`
    SELECT workflow_id AS "workflowId", slot_at AS slot, run_id AS "runId", job_id AS "jobId", pid, run_pid AS "runPid" FROM scheduler_slot_runs
    WHERE host = ${host} AND status = 'started' ORDER BY slot_at`);
  return [...rows];
}

export async function pruneSlotRuns(db: CommonQueryMethods, before: Date): Promise<void> {
  await db.query(
    sql.type(none)`DELETE FROM scheduler_slot_runs WHERE updated_at < ${before.toISOString()}::timestamptz`,
  );
}

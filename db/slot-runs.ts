// scheduler_slot_runs: at most one execution per (workflow, slot, location), in order (issue 14 item 5;
// the location, issue 16: every location runs each slot of its workflows, once).
// Before a slot runs, its row says whether a run already holds it (and whether that run left an
// execution, stored or spooled), or whether a later slot of the workflow already started. A slot
// that no run ever claimed, between two that were, is recorded `missed` with its reason when the
// later one is claimed. A claim is a lease the holding daemon renews; one that ran out is stale.
import { z } from 'zod';
import { sql, type CommonQueryMethods, type DatabasePool } from 'slonik';
import { DEFAULT_LOCATION } from '../core/locations.ts';

/** `location`: whose slot (issue 16: each location runs every slot of its workflows once); default `local`. */
export type SlotKey = { workflowId: string; slot: Date; location?: string };
export type SlotClaim = { runId: string; jobId: string | null; host: string; pid: number };
/** run: go ahead (claimed for this run); done: its execution exists; missed: a later slot started first. */
export type SlotGate =
  /** `gaps`: earlier slots no run had claimed, recorded missed with this claim. */
  | { verdict: 'run'; gaps?: Date[] }
  | { verdict: 'done'; runId: string }
  | { verdict: 'missed' }
  /** Another live daemon is running it right now. */
  | { verdict: 'busy'; runId: string };
/** `leaseLive`: the holder renewed its claim within its lease (the database's clock). */
export type SlotHolder = { host: string; pid: number; runPid: number | null; updatedAt: Date; leaseLive: boolean };

export type GateOptions = {
  /** Is the holder of a `started` claim alive? Default: its lease is live. */
  holderAlive?: (holder: SlotHolder) => boolean;
  /** How long a claim holds without renewal (default 60 s). */
  leaseMs?: number;
  /** The workflow's slots in (from, to]: the ones between the previous row and this slot are gaps. */
  expected?: (from: Date, to: Date) => Date[];
  /** Why a gap was not run, when known (e.g. the daemon could not queue it: the database was down). */
  gapReason?: (slot: Date) => string | null;
};

/** Gaps are looked for this far back at most (a daemon down for a month records a day of them). */
const gapHorizonMs = 24 * 3_600_000;
const defaultLeaseMs = 60_000;
export const reasons = {
  superseded: 'a later slot of the workflow started first; not run out of order',
  leftNothing: (runId: string) => `its run ${runId} left no execution and a later slot already started`,
  gap: 'no run was queued or started for it (the daemon was down, or the queue already held a slot of the workflow)',
};

const none = z.object({});
/** scheduler_slot_runs, its columns as the queries name them (`leaseLive`: each query's reading of lease_until). */
const slotRunColumns = z.object({
  workflowId: z.string(),
  slot: z.date(),
  location: z.string(),
  runId: z.string().nullable(),
  jobId: z.string().nullable(),
  status: z.enum(['started', 'done', 'missed']),
  host: z.string().nullable(),
  pid: z.number().nullable(),
  runPid: z.number().nullable(),
  updatedAt: z.date(),
  leaseLive: z.boolean(),
});
/** A slot's row as the gate reads it (its key is the caller's). */
const rowType = slotRunColumns.omit({ workflowId: true, slot: true, location: true, jobId: true });
const rowColumns = sql.fragment`run_id AS "runId", status, host, pid, run_pid AS "runPid", updated_at AS "updatedAt",
  coalesce(lease_until > now(), false) AS "leaseLive"`;
const loc = (key: { location?: string }) => key.location ?? DEFAULT_LOCATION;
const lock = (key: SlotKey) =>
  sql.fragment`pg_advisory_xact_lock(hashtextextended(${`workflow-monitor:slot:${key.workflowId}:${loc(key)}`}, 0))`;
const leaseUntil = (ms: number) => sql.fragment`now() + ${ms} * interval '1 millisecond'`;

/** Earlier slots of the workflow with no row since the previous row: recorded missed, with their reason. */
async function recordGaps(tx: CommonQueryMethods, key: SlotKey, claim: SlotClaim, o: GateOptions): Promise<Date[]> {
  if (!o.expected) return [];
  const prev = await tx.oneFirst(sql.type(z.object({ at: z.date().nullable() }))`SELECT max(slot_at) AS at
    FROM scheduler_slot_runs WHERE workflow_id = ${key.workflowId} AND location = ${loc(key)}
      AND slot_at < ${key.slot.toISOString()}::timestamptz`);
  if (!prev) return [];
  const from = new Date(Math.max(prev.getTime(), key.slot.getTime() - gapHorizonMs));
  const gaps = o.expected(from, key.slot).filter((d) => d.getTime() < key.slot.getTime());
  if (!gaps.length) return [];
  await tx.query(sql.type(
    none,
  )`INSERT INTO scheduler_slot_runs (workflow_id, slot_at, location, status, reason, host, pid)
    SELECT ${key.workflowId}, u.at, ${loc(key)}, 'missed', u.reason, ${claim.host}, ${claim.pid}
    FROM unnest(${sql.array(
      gaps.map((d) => d.toISOString()),
      'timestamptz',
    )}, ${sql.array(
      gaps.map((d) => o.gapReason?.(d) ?? reasons.gap),
      'text',
    )}) AS u(at, reason)
    ON CONFLICT (workflow_id, slot_at, location) DO NOTHING`);
  return gaps;
}

/**
 * `hasExecution(runId, workflowId)`: the run left an execution of the workflow (in the database
 * or in the outbox). Called outside the transaction (it may read files).
 */
export async function gateSlot(
  pool: DatabasePool,
  key: SlotKey,
  claim: SlotClaim,
  hasExecution: (runId: string, workflowId: string) => Promise<boolean>,
  o: GateOptions = {},
): Promise<SlotGate> {
  const at = key.slot.toISOString();
  const holderAlive = o.holderAlive ?? ((h: SlotHolder) => h.leaseLive);
  const existing = await pool.maybeOne(sql.type(rowType)`SELECT ${rowColumns} FROM scheduler_slot_runs
    WHERE workflow_id = ${key.workflowId} AND slot_at = ${at}::timestamptz AND location = ${loc(key)}`);
  if (existing?.status === 'missed') return { verdict: 'missed' };
  if (existing?.runId && (existing.status === 'done' || (await hasExecution(existing.runId, key.workflowId)))) {
    await pool.query(sql.type(none)`UPDATE scheduler_slot_runs SET status = 'done', updated_at = now()
      WHERE workflow_id = ${key.workflowId} AND slot_at = ${at}::timestamptz AND location = ${loc(key)}`);
    return { verdict: 'done', runId: existing.runId };
  }
  return pool.transaction(async (tx) => {
    await tx.query(sql.type(none)`SELECT ${lock(key)}`);
    // Another handler (this daemon's pg-boss worker and its restart recovery) claimed it meanwhile: first one wins.
    const now = await tx.maybeOne(sql.type(rowType)`SELECT ${rowColumns} FROM scheduler_slot_runs
      WHERE workflow_id = ${key.workflowId} AND slot_at = ${at}::timestamptz AND location = ${loc(key)}`);
    if (now && now.runId !== (existing?.runId ?? null) && now.runId !== null && now.status !== 'missed')
      return { verdict: 'done', runId: now.runId } as const;
    if (now?.status === 'missed') return { verdict: 'missed' } as const;
    const mine = now?.host === claim.host && now.pid === claim.pid;
    if (now?.status === 'started' && now.runId && now.host && now.pid !== null && !mine) {
      const holder = { host: now.host, pid: now.pid, runPid: now.runPid, updatedAt: now.updatedAt };
      if (holderAlive({ ...holder, leaseLive: now.leaseLive })) return { verdict: 'busy', runId: now.runId } as const;
    }
    const later = await tx.exists(sql.type(none)`SELECT 1 FROM scheduler_slot_runs WHERE workflow_id = ${key.workflowId}
      AND location = ${loc(key)} AND slot_at > ${at}::timestamptz AND status IN ('started', 'done')`);
    const reason = later ? (now?.runId ? reasons.leftNothing(now.runId) : reasons.superseded) : null;
    const gaps = later ? [] : await recordGaps(tx, key, claim, o);
    await tx.query(sql.type(
      none,
    )`INSERT INTO scheduler_slot_runs (workflow_id, slot_at, location, run_id, status, reason, job_id, host, pid, lease_until)
      VALUES (${key.workflowId}, ${at}::timestamptz, ${loc(key)}, ${later ? null : claim.runId}, ${later ? 'missed' : 'started'}, ${reason},
        ${claim.jobId}, ${claim.host}, ${claim.pid}, ${later ? null : leaseUntil(o.leaseMs ?? defaultLeaseMs)})
      ON CONFLICT (workflow_id, slot_at, location) DO UPDATE SET run_id = EXCLUDED.run_id, status = EXCLUDED.status,
        reason = EXCLUDED.reason, job_id = EXCLUDED.job_id, host = EXCLUDED.host, pid = EXCLUDED.pid, run_pid = NULL,
        lease_until = EXCLUDED.lease_until, updated_at = now()`);
    if (later) return { verdict: 'missed' } as const;
    return gaps.length ? ({ verdict: 'run', gaps } as const) : ({ verdict: 'run' } as const);
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
  await db.query(sql.type(none)`UPDATE scheduler_slot_runs SET pid = NULL, lease_until = NULL, updated_at = now()
    WHERE run_id = ${runId} AND status = 'started'`);
}

/** The run recorded its rows: its slots are done. */
export async function markRunSlotsDone(db: CommonQueryMethods, runId: string): Promise<void> {
  await db.query(sql.type(none)`UPDATE scheduler_slot_runs SET status = 'done', lease_until = NULL, updated_at = now()
    WHERE run_id = ${runId}`);
}

/** The holder of these runs is alive: their claims hold for another `leaseMs`. */
export async function renewLeases(db: CommonQueryMethods, runIds: readonly string[], leaseMs: number): Promise<void> {
  if (!runIds.length) return;
  await db.query(sql.type(none)`UPDATE scheduler_slot_runs SET lease_until = ${leaseUntil(leaseMs)}
    WHERE run_id = ANY(${sql.array([...runIds], 'text')}) AND status = 'started'`);
}

const startedSlotRow = slotRunColumns
  .omit({ status: true, updatedAt: true })
  .extend({ host: z.string(), pid: z.number() });
/** A claimed slot (a SlotKey with its location) and the claim holding it (a started claim has a host and pid). */
export type StartedSlot = z.infer<typeof startedSlotRow>;

/**
 * Claimed slots that may have lost their holder: those of `host` (the caller checks the pid) and
 * those of any host whose lease ran out. A claim released for pg-boss's retry (no pid) is not one.
 */
export async function staleCandidates(
  db: CommonQueryMethods,
  host: string,
  location: string = DEFAULT_LOCATION,
): Promise<StartedSlot[]> {
  const rows = await db.any(sql.type(startedSlotRow)`
    SELECT workflow_id AS "workflowId", slot_at AS slot, location, run_id AS "runId", job_id AS "jobId", host, pid,
      run_pid AS "runPid", coalesce(lease_until, updated_at + ${defaultLeaseMs} * interval '1 millisecond') > now() AS "leaseLive"
    FROM scheduler_slot_runs
    WHERE status = 'started' AND pid IS NOT NULL AND host IS NOT NULL AND location = ${location}
      AND (host = ${host} OR coalesce(lease_until, updated_at + ${defaultLeaseMs} * interval '1 millisecond') < now())
    ORDER BY slot_at`);
  return [...rows];
}

/** Moves a stale claim to `claim`'s daemon, if no one else took it first (true: it is ours now). */
export async function takeOverClaim(
  db: CommonQueryMethods,
  s: StartedSlot,
  claim: { host: string; pid: number },
  leaseMs: number,
): Promise<boolean> {
  const rows = await db.any(sql.type(z.object({ ok: z.number() }))`UPDATE scheduler_slot_runs
    SET host = ${claim.host}, pid = ${claim.pid}, lease_until = ${leaseUntil(leaseMs)}, updated_at = now()
    WHERE workflow_id = ${s.workflowId} AND slot_at = ${s.slot.toISOString()}::timestamptz AND location = ${s.location}
      AND status = 'started'
      AND host = ${s.host} AND pid = ${s.pid}
    RETURNING 1 AS ok`);
  return rows.length === 1;
}

export type MissedSummary = {
  count: number;
  last: { workflowId: string; slot: Date; reason: string | null } | null;
};

/** Slots recorded missed since `since`, and the latest of them with its reason (/healthz, reports). */
export async function missedSlots(db: CommonQueryMethods, since: Date): Promise<MissedSummary> {
  const count = await db.oneFirst(sql.type(z.object({ n: z.number() }))`SELECT count(*)::integer AS n
    FROM scheduler_slot_runs WHERE status = 'missed' AND updated_at >= ${since.toISOString()}::timestamptz`);
  const last = await db.maybeOne(sql.type(
    z.object({ workflowId: z.string(), slot: z.date(), reason: z.string().nullable() }),
  )`SELECT workflow_id AS "workflowId", slot_at AS slot, reason FROM scheduler_slot_runs
    WHERE status = 'missed' AND updated_at >= ${since.toISOString()}::timestamptz ORDER BY updated_at DESC, slot_at DESC LIMIT 1`);
  return { count, last };
}

export async function pruneSlotRuns(db: CommonQueryMethods, before: Date): Promise<void> {
  await db.query(
    sql.type(none)`DELETE FROM scheduler_slot_runs WHERE updated_at < ${before.toISOString()}::timestamptz`,
  );
}

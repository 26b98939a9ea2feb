// The slot runner's claims (issue 14 item 5): does a run's execution exist (stored, or anywhere
// in the outbox), is a claim's holder alive, leases renewed while runs go on, and stale claims
// (a dead daemon's, on this host at once, on any host once the lease ran out) taken over.
import { readdir, readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import type { Job } from 'pg-boss';
import { deadLetterDir } from '../db/outbox-dead.ts';
import { outboxDir, outboxFileName } from '../db/outbox.ts';
import type { DatabasePool } from '../db/pool.ts';
import {
  markRunSlotsDone,
  missedSlots,
  renewLeases,
  staleCandidates,
  storedExecutions,
  takeOverClaim,
  type SlotHolder,
} from '../db/slot-runs.ts';
import { isAlive } from './process-tree.ts';

/** Runs of this process holding claims (their leases are renewed) and runs whose "done" mark is owed. */
export const activeRuns = new Set<string>();
const owedDone = new Set<string>();
let resuming: Promise<unknown> | null = null;

/** The lease of a claim: renewed every healthy tick, and longer than a run guard takes to stop a run. */
export function leaseMsFor(o: { tickMs: number; killGraceMs: number }): number {
  return Math.max(60_000, 4 * o.tickMs, o.killGraceMs + 30_000);
}

const executionLine = (line: string, workflowId: string) =>
  line.includes('"kind":"execution"') &&
  line.includes(`"workflowId":${JSON.stringify(workflowId)}`) &&
  !line.includes('"status":"interrupted"');

/** An execution line of the run in its outbox file, a file claimed by a replay, or its dead letters. */
async function spooledExecution(stateDir: string, runId: string, workflowId: string): Promise<boolean | null> {
  const name = outboxFileName(runId);
  const dir = outboxDir(stateDir);
  const names = await readdir(dir).catch(() => [] as string[]);
  for (const n of names.filter((x) => x === name || x.startsWith(`${name}.replaying-`))) {
    const text = await readFile(path.join(dir, n), 'utf8').catch(() => null);
    // Renamed or removed by a replay since the listing: the caller looks again.
    if (text === null) return null;
    if (text.split('\n').some((l) => executionLine(l, workflowId))) return true;
  }
  const dead = await readFile(path.join(deadLetterDir(stateDir), name), 'utf8').catch(() => '');
  for (const l of dead.split('\n').filter(Boolean)) {
    try {
      if (executionLine(String((JSON.parse(l) as { line?: unknown }).line ?? ''), workflowId)) return true;
    } catch {
      /* not a dead letter */
    }
  }
  return false;
}

/**
 * The run left an execution of the workflow: stored, or waiting in the outbox. A replay moves
 * lines from the file (renamed while it runs) to the table, so the table is read before and after
 * the files: a line in flight is seen in one of the three looks.
 */
export async function executionExists(
  stateDir: string,
  pool: DatabasePool,
  runId: string,
  workflowId: string,
): Promise<boolean> {
  if ((await storedExecutions(pool, runId, workflowId)) > 0) return true;
  for (let i = 0; i < 5; i++) {
    const spooled = await spooledExecution(stateDir, runId, workflowId);
    if (spooled) return true;
    if (spooled === false) break;
  }
  return (await storedExecutions(pool, runId, workflowId)) > 0;
}

/** Held by a live daemon: on this host its pid (or its run's) answers; elsewhere its lease is live. */
export function holderAlive(h: SlotHolder): boolean {
  return h.host === hostname() ? isAlive(h.pid) || (h.runPid !== null && isAlive(h.runPid)) : h.leaseLive;
}

/** The run's slots are done; when the database is away, the mark is owed and made by a later tick. */
export async function markDone(pool: DatabasePool, runId: string, log: (line: string) => void): Promise<void> {
  await markRunSlotsDone(pool, runId).catch((error: Error) => {
    owedDone.add(runId);
    log(`run ${runId}: could not mark its slots done yet (${error.message}); will retry`);
  });
}

export type ClaimDeps = {
  pool: () => DatabasePool | null;
  leaseMs: number;
  /** Only this location's claims are this daemon's to take over. */
  location?: string;
  log: (line: string) => void;
};

/** Every healthy tick: renew the leases of runs going on, make the owed "done" marks. */
export async function renewClaims(deps: ClaimDeps): Promise<void> {
  const pool = deps.pool();
  if (!pool) return;
  await renewLeases(pool, [...activeRuns], deps.leaseMs);
  for (const runId of [...owedDone]) {
    await markRunSlotsDone(pool, runId);
    owedDone.delete(runId);
  }
}

/**
 * Slots whose holder is gone are handled now instead of when pg-boss's heartbeat supervision and
 * retry delay hand them back: a dead daemon's on this host once its pid and its run's are gone (at
 * start, or the first tick after its run guard stopped the run), any host's once its lease ran out
 * (`remote`: the caller has reached the database for a whole lease, so a live holder had its
 * chance to renew). Each is taken over atomically, then gated like any slot: one whose execution
 * exists is not run again.
 */
export async function resumeOrphanedSlots(
  deps: ClaimDeps,
  handler: (jobs: Job<{ workflowId: string; slot: string }>[]) => Promise<void>,
  complete: (jobId: string) => Promise<unknown>,
  options: { remote?: boolean } = {},
): Promise<number> {
  const pool = deps.pool();
  if (!pool) return 0;
  const me = { host: hostname(), pid: process.pid };
  // A dead daemon's run on this host may still be finishing (its run guard stops it): its slot is
  // judged on the first tick after that run is gone, without holding up this tick's lease renewals.
  const candidates = (await staleCandidates(pool, me.host, deps.location)).filter((o) =>
    o.host === me.host
      ? o.pid !== me.pid && !isAlive(o.pid) && !(o.runPid !== null && isAlive(o.runPid))
      : options.remote === true && !o.leaseLive,
  );
  if (!candidates.length) return 0;
  deps.log(
    `resuming ${candidates.length} slot(s) left running by a dead daemon (${[...new Set(candidates.map((o) => `${o.host} pid ${o.pid}`))].join(', ')})`,
  );
  const mine = [];
  for (const o of candidates) if (await takeOverClaim(pool, o, me, deps.leaseMs)) mine.push(o);
  const jobs = mine.map(
    (o) =>
      ({
        id: o.jobId ?? `orphan:${o.workflowId}@${o.slot.toISOString()}`,
        retryCount: 0,
        data: { workflowId: o.workflowId, slot: o.slot.toISOString() },
      }) as Job<{ workflowId: string; slot: string }>,
  );
  try {
    if (jobs.length) await handler(jobs);
  } catch (error) {
    deps.log(`resumed slot(s) failed: ${(error as Error).message}`);
  }
  for (const o of mine) if (o.jobId) await complete(o.jobId).catch(() => undefined);
  return mine.length;
}

export type MissedSummary = {
  lastDay: number;
  last: { workflowId: string; slot: string; reason: string | null } | null;
};

/**
 * The daemon's every healthy tick: leases renewed, owed marks made, stale claims taken over
 * (`dbUpSince`: since when this daemon has reached the database without a break), and the slots
 * recorded missed in the last day, for /healthz.
 */
export async function keepClaims(
  deps: ClaimDeps,
  handler: (jobs: Job<{ workflowId: string; slot: string }>[]) => Promise<void>,
  complete: (jobId: string) => Promise<unknown>,
  dbUpSince: number,
): Promise<MissedSummary | null> {
  await renewClaims(deps);
  // A resumed slot's run takes a while: it goes on beside the ticks, whose renewals must not wait for it.
  resuming ??= resumeOrphanedSlots(deps, handler, complete, { remote: Date.now() - dbUpSince >= deps.leaseMs })
    .catch((e: Error) => deps.log(`could not resume the slots of a dead daemon: ${e.message}`))
    .finally(() => {
      resuming = null;
    });
  const pool = deps.pool();
  if (!pool) return null;
  const missed = await missedSlots(pool, new Date(Date.now() - 86_400_000));
  const last = missed.last;
  return {
    lastDay: missed.count,
    last: last ? { workflowId: last.workflowId, slot: last.slot.toISOString(), reason: last.reason } : null,
  };
}

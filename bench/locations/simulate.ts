// The daemons of the locations bench, simulated without a browser: each lane is one daemon (one
// location, or a share of one location's workflows in the baseline) doing, per slot, what the
// daemon and its reporter do to PostgreSQL: file the slot's jobs through pg-boss (enqueueSlots,
// slotJobId), fetch them, claim each slot (gateSlot), record the run and its executions
// (upsertRun, insertExecutions in the reporter's batches of 50), apply each result to the alert
// policy (applyExecutionToState), mark the slots done and complete the jobs. Only the browser
// is missing: the results are made up (simulatedResult), everything they pass through is real.
import { hostname } from 'node:os';
import type { PgBoss } from 'pg-boss';
import type { ExecutionRecord } from '../../core/records.ts';
import type { DatabasePool } from '../../db/pool.ts';
import { gateSlot, markRunSlotsDone } from '../../db/slot-runs.ts';
import { insertExecutions } from '../../db/tables/executions.ts';
import { upsertRun } from '../../db/tables/runs.ts';
import type { PolicyEngine } from '../../notifiers/policy/engine.ts';
import { applyExecutionToState } from '../../notifiers/policy/transaction.ts';
import { slotJobId } from '../../scheduler/due-slots.ts';
import { dueQueueFor, enqueueSlots } from '../../scheduler/queue.ts';
import { scheduledRunId } from '../../scheduler/run-ids.ts';
import { executionRecord } from '../../test/helpers/db.ts';

export type Lane = { location: string; workflowIds: string[] };
export const phases = ['enqueue', 'fetch', 'claim', 'record', 'policy', 'done'] as const;
export type Phase = (typeof phases)[number];
export type PhaseMs = Record<Phase, number>;

export type SimOptions = {
  pool: DatabasePool;
  boss: PgBoss;
  engine: PolicyEngine;
  steps: number;
  /** Percent of workflows failing from the first location only (a local network problem). */
  localFailPercent: number;
  /** Percent of workflows failing from every location (an outage). */
  outageFailPercent: number;
};

/**
 * Whether workflow `index` fails at `slotIndex` from location `laneIndex`: two slots failing, two
 * passing (the default rules' two consecutive failures, two passes), the local-failure share from
 * the first location only, the outage share from all of them, so the policy sees episodes begin
 * and end (DOWN, notices, recoveries), not a steady state.
 */
export function fails(o: SimOptions, index: number, laneIndex: number, slotIndex: number): boolean {
  if (Math.floor(slotIndex / 2) % 2 === 1) return false;
  const bucket = index % 100;
  if (bucket < o.outageFailPercent) return true;
  return laneIndex === 0 && bucket < o.outageFailPercent + o.localFailPercent;
}

function simulatedResult(
  o: SimOptions,
  lane: Lane,
  runId: string,
  workflowId: string,
  slot: Date,
  failed: boolean,
): ExecutionRecord {
  const durationMs = 3000 + (workflowId.length % 7) * 100;
  return executionRecord({
    runId,
    testId: `spec-${workflowId}`,
    workflowId,
    name: workflowId,
    priority: 'high',
    status: failed ? 'failed' : 'passed',
    outcome: failed ? 'unexpected' : 'expected',
    startedAt: new Date(slot.getTime() + 500),
    durationMs,
    totalSteps: o.steps,
    passedSteps: failed ? o.steps - 1 : o.steps,
    failedSteps: failed ? 1 : 0,
    error: failed ? 'Error: net::ERR_CONNECTION_REFUSED' : null,
    failedStep: failed ? `step ${o.steps - 1}` : null,
    tags: [`@${workflowId}`],
    steps: Array.from({ length: o.steps }, (_, i) => ({
      index: i,
      title: `step ${i}`,
      durationMs: Math.round(durationMs / o.steps),
      error: failed && i === o.steps - 1 ? 'Error: net::ERR_CONNECTION_REFUSED' : null,
    })),
    ...(lane.location === 'local' ? {} : { location: lane.location }),
  });
}

const timed = async <T>(ms: PhaseMs, phase: Phase, fn: () => Promise<T>): Promise<T> => {
  const t = performance.now();
  try {
    return await fn();
  } finally {
    ms[phase] += performance.now() - t;
  }
};

/**
 * One phase of one slot on every lane at once (the daemons work side by side), its wall time added
 * to `ms`. pg-boss's phases go lane after lane: the lanes share one pg-boss and its 4 connections.
 */
async function allLanes<T>(ms: PhaseMs, phase: Phase, lanes: Lane[], fn: (lane: Lane, i: number) => Promise<T>) {
  if (phase !== 'enqueue' && phase !== 'fetch' && phase !== 'done')
    return timed(ms, phase, () => Promise.all(lanes.map(fn)));
  return timed(ms, phase, async () => {
    const out: T[] = [];
    for (const [i, l] of lanes.entries()) out.push(await fn(l, i));
    return out;
  });
}

/** Drives one slot through every lane, phase by phase; returns the decisions taken and the alerts decided. */
export async function simulateSlot(o: SimOptions, lanes: Lane[], slot: Date, slotIndex: number, ms: PhaseMs) {
  const dues = lanes.map((l) => l.workflowIds.map((workflowId) => ({ workflowId, slot })));
  await allLanes(ms, 'enqueue', lanes, (l, i) =>
    enqueueSlots(
      o.boss,
      dues[i]!,
      dues[i]!.map((d) => slotJobId(d, l.location)),
      dueQueueFor(l.location),
    ),
  );
  const jobs = await allLanes(ms, 'fetch', lanes, async (l) => {
    const got: { id: string; workflowId: string }[] = [];
    // The baseline's lanes share one queue: each takes its share, as several daemons of one location do.
    while (got.length < l.workflowIds.length) {
      const batch = await o.boss.fetch<{ workflowId: string }>(dueQueueFor(l.location), {
        batchSize: Math.min(1000, l.workflowIds.length - got.length),
      });
      if (batch.length === 0) throw new Error(`queue ${dueQueueFor(l.location)}: ${got.length} job(s), expected more`);
      got.push(...batch.map((j) => ({ id: j.id, workflowId: j.data.workflowId })));
    }
    return got;
  });
  const runIds = lanes.map(() => scheduledRunId(slot));
  await allLanes(ms, 'claim', lanes, async (l, i) => {
    const claimOf = (jobId: string) => ({ runId: runIds[i]!, jobId, host: hostname(), pid: process.pid });
    for (const j of jobs[i]!) {
      const key = { workflowId: j.workflowId, slot, location: l.location };
      const g = await gateSlot(o.pool, key, claimOf(j.id), async () => false);
      if (g.verdict !== 'run') throw new Error(`slot ${slot.toISOString()} of ${j.workflowId}: ${g.verdict}`);
    }
  });
  const results = lanes.map((l, i) => {
    const index = (id: string) => Number(id.slice(id.lastIndexOf('-') + 1));
    return jobs[i]!.map((j) =>
      simulatedResult(o, l, runIds[i]!, j.workflowId, slot, fails(o, index(j.workflowId), i, slotIndex)),
    );
  });
  await allLanes(ms, 'record', lanes, async (l, i) => {
    const run = { runId: runIds[i]!, trigger: 'schedule', grep: null, host: hostname() } as const;
    const location = l.location === 'local' ? {} : { location: l.location };
    await upsertRun(o.pool, { ...run, startedAt: slot, endedAt: null, status: 'running', ciUrl: null, ...location });
    for (let k = 0; k < results[i]!.length; k += 50) await insertExecutions(o.pool, results[i]!.slice(k, k + 50));
  });
  const now = new Date(slot.getTime() + 10_000);
  const decided = await allLanes(ms, 'policy', lanes, async (_l, i) => {
    let decisions = 0;
    let alerts = 0;
    for (const r of results[i]!) {
      const out = await applyExecutionToState(o.pool, r, o.engine, now, { willRetry: false });
      if (out.applied) decisions++;
      alerts += out.alerts.length;
    }
    return { decisions, alerts };
  });
  await allLanes(ms, 'done', lanes, async (l, i) => {
    await markRunSlotsDone(o.pool, runIds[i]!);
    const run = { runId: runIds[i]!, trigger: 'schedule', grep: null, host: hostname(), ciUrl: null } as const;
    const location = l.location === 'local' ? {} : { location: l.location };
    await upsertRun(o.pool, { ...run, startedAt: slot, endedAt: now, status: 'passed', ...location });
    await o.boss.complete(
      dueQueueFor(l.location),
      jobs[i]!.map((j) => j.id),
    );
  });
  return {
    decisions: decided.reduce((n, d) => n + d.decisions, 0),
    alerts: decided.reduce((n, d) => n + d.alerts, 0),
  };
}

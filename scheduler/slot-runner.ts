// The worker side: a batch of due slots (pg-boss jobs) becomes one invocation per minute,
// and each invocation is checked for rows afterwards. A pipeline failure throws, so pg-boss
// retries the slots with backoff; the last failed attempt raises one critical alert.
import { access, rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import type { Job } from 'pg-boss';
import { countExecutionsForRun, getExecutions } from '../db/tables/execution-queries.ts';
import { finishRun } from '../db/tables/runs.ts';
import { outboxFile, spooledExecutions } from '../db/outbox.ts';
import type { DatabasePool } from '../db/pool.ts';
import type { AlertSender } from './alerts.ts';
import { coalesce, type Invocation } from './coalesce.ts';
import { pipelineFailureKey, pipelineIncident, resolvePipelineAlerts } from './pipeline-alerts.ts';
import { startInvocation, type RunningInvocation } from './invoke.ts';
import { judgeInvocation, type Verdict } from './judge.ts';
import { finalOutcomes, type SchedulerMetrics } from './metrics.ts';
import { scheduledRunId } from './run-ids.ts';
import { gateSlot, releaseRunSlots, setRunPid } from '../db/slot-runs.ts';
import type { DueSlot } from './due-slots.ts';
import { activeRuns, executionExists, holderAlive, markDone } from './slot-claims.ts';

export type SlotData = { workflowId: string; slot: string };

export type SlotRunnerDeps = {
  env: NodeJS.ProcessEnv;
  stateDir: string;
  runTimeoutMs: number;
  killGraceMs: number;
  retryLimit: number;
  pool: () => DatabasePool | null;
  isScheduled: (workflowId: string) => boolean;
  metrics: SchedulerMetrics;
  alerts: AlertSender;
  running: Map<number, RunningInvocation>;
  log: (line: string) => void;
  /** The spec files that load, when some do not (null: all of them). */
  files?: () => readonly string[] | null;
  /**
   * A run recorded nothing: perhaps a spec file stopped loading since the last discovery (which
   * makes Playwright run nothing at all). Resolves once the suite has been read again, so the
   * retry runs with the files that load.
   */
  onPipelineFailure?: () => Promise<void>;
  /** The daemon is stopping: a run it interrupted is not the pipeline failing (no alert). */
  isStopping?: () => boolean;
  /** How long a claim holds without renewal (`leaseMsFor`; default 60 s). */
  leaseMs?: number;
  /** The workflow's slots in (from, to]: those between two claimed slots that no run claimed are missed. */
  expectedSlots?: (workflowId: string, from: Date, to: Date) => Date[];
  /** Why such a slot was not run, when the daemon knows (it could not queue it). */
  gapReason?: (slot: Date) => string | null;
  /** One minute's due slots into invocations that finish within their slot (capacity.ts `splitDue`); absent: one. */
  split?: (slots: DueSlot[]) => { chunks: DueSlot[][]; fits: boolean; workMs: number };
  /** At most MONITOR_CONCURRENCY invocations at once across the daemon's handlers. */
  limit?: <T>(fn: () => Promise<T>) => Promise<T>;
  /** MONITOR_LOCATION: whose slots these are (the claims in scheduler_slot_runs are per location). */
  location?: string;
  /** Test hook: called with each invocation as it starts. */
  onInvocation?: (event: { runId: string; workflowIds: string[]; pid: number }) => void;
};

async function spooledFor(stateDir: string, runId: string): Promise<boolean> {
  const file = outboxFile(stateDir, runId);
  return access(file).then(
    () => true,
    () => false,
  );
}

async function recordMetrics(deps: SlotRunnerDeps, pool: DatabasePool, runId: string): Promise<void> {
  const attempts = await getExecutions(pool, { runId, limit: 1000 });
  for (const run of finalOutcomes(attempts)) deps.metrics.runs.inc(run);
  for (const e of attempts) {
    deps.metrics.executions.inc({ workflow: e.workflowId, status: e.status });
    deps.metrics.executionDuration.observe({ workflow: e.workflowId }, e.durationMs / 1000);
    if (e.status === 'passed')
      deps.metrics.lastSuccess.set(
        { workflow: e.workflowId },
        Math.max(e.startedAt.getTime() + e.durationMs, 0) / 1000,
      );
  }
}

/**
 * One execution per (workflow, slot), in order: a slot already held by a run that left an
 * execution is not run again (a pg-boss retry after a crash or an outage), a slot whose
 * successor already started is recorded as missed, and so is each slot no run claimed before
 * this one (`gaps`). A slot that cannot be checked (the database went away) is not run now:
 * `unchecked` makes the handler fail, so pg-boss hands it back once the database answers.
 */
async function gate(
  deps: SlotRunnerDeps,
  slots: DueSlot[],
  runId: string,
  jobIds: Map<string, string>,
): Promise<{ runnable: DueSlot[]; unchecked: string[] }> {
  const pool = deps.pool();
  if (!pool) return { runnable: slots, unchecked: [] };
  const runnable: DueSlot[] = [];
  const unchecked: string[] = [];
  for (const s of [...slots].sort((a, b) => a.slot.getTime() - b.slot.getTime())) {
    const at = s.slot.toISOString();
    const claim = { runId, jobId: jobIds.get(`${s.workflowId}@${at}`) ?? null, host: hostname(), pid: process.pid };
    const expected = deps.expectedSlots;
    const key = { ...s, ...(deps.location ? { location: deps.location } : {}) };
    const g = await gateSlot(pool, key, claim, (r, w) => executionExists(deps.stateDir, pool, r, w), {
      holderAlive,
      ...(deps.leaseMs ? { leaseMs: deps.leaseMs } : {}),
      ...(expected ? { expected: (from: Date, to: Date) => expected(s.workflowId, from, to) } : {}),
      ...(deps.gapReason ? { gapReason: deps.gapReason } : {}),
    }).catch((error: Error) => {
      deps.log(
        `slot ${at} of ${s.workflowId}: could not check it (${error.message}); not run now, pg-boss hands it back`,
      );
      unchecked.push(`${s.workflowId}@${at}`);
      return null;
    });
    if (!g) continue;
    if (g.verdict === 'run') {
      runnable.push(s);
      for (const gap of g.gaps ?? [])
        deps.log(`slot ${gap.toISOString()} of ${s.workflowId}: MISSED, no run claimed it before slot ${at}`);
    } else if (g.verdict === 'done')
      deps.log(`slot ${at} of ${s.workflowId}: already ran (run ${g.runId}); not run again`);
    else if (g.verdict === 'busy')
      deps.log(`slot ${at} of ${s.workflowId}: running in another daemon (run ${g.runId}); not run twice`);
    else deps.log(`slot ${at} of ${s.workflowId}: MISSED, a later slot already started; not run out of order`);
  }
  return { runnable, unchecked };
}

async function runOne(deps: SlotRunnerDeps, inv: Invocation, runId: string): Promise<Verdict> {
  const spawnedAt = Date.now();
  const run = await startInvocation({
    runId,
    grep: inv.grep,
    trigger: 'schedule',
    env: deps.env,
    files: deps.files?.() ?? null,
    outputRoot: path.join(deps.stateDir, 'runs'),
    timeoutMs: deps.runTimeoutMs,
    killGraceMs: deps.killGraceMs,
    onOutput: (line) => {
      if (line.trim()) deps.log(`[${runId}] ${line}`);
    },
  });
  for (const s of inv.slots) deps.metrics.tickToSpawn.observe(Math.max(0, spawnedAt - s.slot.getTime()) / 1000);
  const pool0 = deps.pool();
  if (pool0) await setRunPid(pool0, runId, run.pid).catch(() => undefined);
  deps.running.set(run.pid, run);
  activeRuns.add(runId);
  deps.metrics.running.set(deps.running.size);
  const lagMs = Math.max(0, ...inv.slots.map((s) => spawnedAt - s.slot.getTime()));
  deps.log(
    `run ${runId} started (pid ${run.pid}, ${inv.workflowIds.length} workflow(s), lag ${lagMs} ms): ${inv.workflowIds.join(', ')}`,
  );
  deps.onInvocation?.({ runId, workflowIds: inv.workflowIds, pid: run.pid });
  const result = await run.done.finally(() => {
    deps.running.delete(run.pid);
    activeRuns.delete(runId);
    deps.metrics.running.set(deps.running.size);
  });
  deps.metrics.invocationDuration.observe(result.durationMs / 1000);
  const pool = deps.pool();
  let rows: number | null = null;
  if (pool) {
    try {
      rows = await countExecutionsForRun(pool, runId);
      if (result.timedOut) await finishRun(pool, runId, { endedAt: new Date(), status: 'timedout' });
      await recordMetrics(deps, pool, runId);
    } catch (error) {
      deps.log(`run ${runId}: could not check its rows: ${(error as Error).message}`);
    }
  }
  const spooled = await spooledExecutions(deps.stateDir, runId);
  const verdict = judgeInvocation({
    code: result.code,
    signal: result.signal,
    timedOut: result.timedOut,
    rows,
    spooled: await spooledFor(deps.stateDir, runId),
    stderrTail: result.stderrTail,
  });
  // The reporter has copied what is worth keeping (traces, screenshots) to durable storage; a
  // pipeline failure's folder stays for whoever investigates it.
  if (verdict.kind !== 'pipeline-failure')
    await rm(result.outputDir, { recursive: true, force: true }).catch(() => undefined);
  deps.metrics.invocations.inc({
    result: verdict.kind === 'pipeline-failure' ? verdict.kind : result.timedOut ? 'timeout' : verdict.kind,
  });
  // True when printed: rows in PostgreSQL are recorded, rows waiting in the outbox are not (yet).
  deps.log(
    `run ${runId} ended: exit ${result.code ?? result.signal}, executions: ${rows ?? '?'} recorded, ${spooled} spooled to the outbox, ` +
      `${Math.round(result.durationMs / 1000)} s${result.timedOut ? ', stopped at the hard timeout' : ''}` +
      `${verdict.kind === 'pipeline-failure' && deps.isStopping?.() ? ' (interrupted by the daemon stopping)' : ''}` +
      `${verdict.kind === 'pipeline-failure' && !deps.isStopping?.() ? ` -> PIPELINE FAILURE (${verdict.reason}): ${verdict.message}` : ''}`,
  );
  return verdict;
}

export class PipelineFailure extends Error {
  override name = 'PipelineFailure';
}

export function createSlotHandler(deps: SlotRunnerDeps): (jobs: Job<SlotData>[]) => Promise<void> {
  // Pipeline failures in a row per workflow, across slots: when the next slot overtakes a failed
  // slot's retry (a schedule shorter than the retry delay, a loaded machine), the retry is dropped
  // as missed and no slot reaches its last attempt; the streak still raises the alert.
  const inARow = new Map<string, number>();
  return async (jobs) => {
    const current: Job<SlotData>[] = [];
    for (const j of jobs)
      if (deps.isScheduled(j.data.workflowId)) current.push(j);
      else deps.log(`slot ${j.data.slot} of ${j.data.workflowId} dropped: no longer scheduled`);
    const attempt = Math.max(0, ...current.map((j) => j.retryCount));
    const failures: string[] = [];
    const unchecked: string[] = [];
    const jobIds = new Map(current.map((j) => [`${j.data.workflowId}@${new Date(j.data.slot).toISOString()}`, j.id]));
    // A daemon that is stopping starts nothing: a chunk that waited for MONITOR_CONCURRENCY (or a
    // slot pg-boss handed over as the stop began) goes back to pg-boss, for the next daemon up.
    // Checked before the gate (no claim while stopping) and after it (the stop may begin meanwhile).
    const handBack = (slots: DueSlot[]) => {
      const ids = slots.map((s) => `${s.workflowId}@${s.slot.toISOString()}`);
      deps.log(`${ids.join(', ')}: not started, the daemon is stopping; pg-boss hands it back`);
      unchecked.push(...ids);
    };
    const runChunk = async (minute: Date, slots: DueSlot[]): Promise<void> => {
      if (deps.isStopping?.()) return handBack(slots);
      const runId = scheduledRunId(minute);
      const { runnable, unchecked: notChecked } = await gate(deps, slots, runId, jobIds);
      unchecked.push(...notChecked);
      const inv = coalesce(runnable)[0];
      if (!inv) return;
      if (deps.isStopping?.()) {
        const pool = deps.pool();
        if (pool) await releaseRunSlots(pool, runId).catch(() => undefined);
        return handBack(inv.slots);
      }
      const verdict = await runOne(deps, inv, runId);
      const pool = deps.pool();
      // Stored or spooled, the slot has its execution: it is done and never runs again.
      if (verdict.kind === 'recorded' || verdict.kind === 'spooled') {
        for (const w of inv.workflowIds) inARow.delete(w);
        if (pool) {
          await markDone(pool, runId, deps.log);
          await resolvePipelineAlerts(pool, deps.alerts, inv.workflowIds, runId).catch((error: Error) =>
            deps.log(`could not end the pipeline-failure alert: ${error.message}`),
          );
        }
        return;
      }
      if (pool) await releaseRunSlots(pool, runId).catch(() => undefined);
      deps.metrics.pipelineFailures.inc({ reason: verdict.reason });
      failures.push(`${inv.workflowIds.join(', ')}: ${verdict.message}`);
      if (deps.isStopping?.()) return;
      for (const w of inv.workflowIds) inARow.set(w, (inARow.get(w) ?? 0) + 1);
      const tries = Math.max(attempt + 1, Math.min(...inv.workflowIds.map((w) => inARow.get(w) ?? 0)));
      if (tries > deps.retryLimit) {
        const due = inv.minute.toISOString();
        // One alert per workflow set and hour: a spec broken for a day is one page an hour, not one a slot.
        const key = await pipelineFailureKey(pool, inv.workflowIds, inv.minute).catch(
          () => `pipeline:${inv.workflowIds.join(',')}:${due.slice(0, 13)}`,
        );
        await deps.alerts
          .sendOnce(key, {
            // The workflows in the title: each set is its own incident, which their recovery resolves.
            title: pipelineIncident(inv.workflowIds),
            incident: pipelineIncident(inv.workflowIds),
            message:
              `The scheduled run of ${inv.workflowIds.join(', ')} (due ${due}) did not record any execution after ` +
              `${tries} attempt(s)${tries > attempt + 1 ? ' in a row across slots' : ''}. ` +
              `This is the monitor failing, not the workflows: ${verdict.message}`,
            error: verdict.message,
            context: { workflows: inv.workflowIds.join(', '), attempts: tries, reason: verdict.reason },
          })
          .catch((error: Error) => deps.log(`could not send the pipeline-failure alert: ${error.message}`));
      }
    };
    const limit = deps.limit ?? (<T>(fn: () => Promise<T>) => fn());
    for (const group of coalesce(
      current.map((j) => ({ workflowId: j.data.workflowId, slot: new Date(j.data.slot) })),
    )) {
      // Split into invocations that finish within their slot (capacity.ts), run side by side up to
      // MONITOR_CONCURRENCY across the daemon; with no recorded durations, one invocation as before.
      const split = deps.split?.(group.slots) ?? { chunks: [group.slots], fits: true, workMs: 0 };
      if (split.chunks.length > 1 || !split.fits)
        deps.log(
          `slot ${group.minute.toISOString()}: ${group.slots.length} workflow(s), about ${Math.round(split.workMs / 1000)} s of work, ` +
            `${split.chunks.length} invocation(s)${split.fits ? '' : '; some cannot finish within their slot'}`,
        );
      await Promise.all(split.chunks.map((chunk) => limit(() => runChunk(group.minute, chunk))));
    }
    if (failures.length && !deps.isStopping?.())
      await deps.onPipelineFailure?.().catch((e: Error) => deps.log(`rediscovery failed: ${e.message}`));
    if (failures.length) throw new PipelineFailure(failures.join('; '));
    if (unchecked.length) throw new Error(`slot(s) not checked, handed back to pg-boss: ${unchecked.join(', ')}`);
  };
}

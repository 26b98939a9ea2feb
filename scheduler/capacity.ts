// Capacity you can see (pure): the work the schedules bring against what the live daemons can run.
// A workflow's work is its recent duration (median of its last attempts); one worker runs one
// workflow at a time; a daemon runs MONITOR_CONCURRENCY invocations of MONITOR_WORKERS workers.
// ratio = (sum over workflows of duration / interval) / (workers x concurrency, summed over the live
// daemons), or a workflow's own duration / interval when larger (it cannot be split): the work due
// per slot over what can run in the slot. Over 1, some schedule cannot be met.
import type { Cron } from 'croner';
import { cronOf } from './cron.ts';
import type { DueSlot } from './due-slots.ts';
import type { ResolvedSchedule } from './schedules.ts';

/** An episode starts above this ratio and ends at or below `leaveRatio` (no flapping around 1). */
export const enterRatio = 1;
export const leaveRatio = 0.9;

// The shortest gap between the next occurrences: the slot a run must finish in. Per expression.
const gaps = new Map<Cron, number>();
export function slotMs(cron: string, timezone: string | undefined, from = new Date()): number {
  const c = cronOf(cron, timezone);
  let gap = gaps.get(c);
  if (gap === undefined) {
    const runs = c.nextRuns(9, from);
    gap = Infinity;
    for (let i = 1; i < runs.length; i++) gap = Math.min(gap, runs[i]!.getTime() - runs[i - 1]!.getTime());
    if (!Number.isFinite(gap)) gap = 60_000;
    gaps.set(c, gap);
  }
  return gap;
}

export type CapacityInput = {
  schedules: readonly ResolvedSchedule[];
  /** Recent duration per workflow id (ms); a workflow without one counts as no work. */
  durations: ReadonlyMap<string, number>;
  /** Workers x concurrent invocations, summed over the live daemons (this one at least). */
  slots: number;
  daemons: number;
  timezone?: string | undefined;
};

export type Capacity = {
  ratio: number;
  slots: number;
  daemons: number;
  /** Workflows with a recorded duration. */
  known: number;
  /** Worker-seconds the schedules bring per hour, and what the daemons have per hour. */
  workSecondsPerHour: number;
  capacitySecondsPerHour: number;
  /** Workflows whose recent duration is longer than their own interval (none can help them). */
  tooLong: { workflowId: string; durationMs: number; slotMs: number }[];
  /** Null when the schedules can be met; else one line for people. */
  warning: string | null;
};

export function assessCapacity(input: CapacityInput, over = (ratio: number) => ratio > enterRatio): Capacity {
  let perMs = 0;
  let single = 0;
  let known = 0;
  const tooLong: Capacity['tooLong'] = [];
  for (const s of input.schedules) {
    const d = input.durations.get(s.workflowId);
    if (d === undefined) continue;
    known++;
    const slot = slotMs(s.cron, input.timezone);
    perMs += d / slot;
    single = Math.max(single, d / slot);
    if (d > slot) tooLong.push({ workflowId: s.workflowId, durationMs: d, slotMs: slot });
  }
  const slots = Math.max(1, input.slots);
  const ratio = Math.round(Math.max(perMs / slots, single) * 1000) / 1000;
  const need = Math.ceil(perMs);
  const longest = tooLong
    .slice(0, 3)
    .map((t) => `${t.workflowId} (${Math.round(t.durationMs / 1000)} s every ${Math.round(t.slotMs / 1000)} s)`)
    .join(', ');
  const warning = over(ratio)
    ? `schedules cannot be met: due work is ${ratio.toFixed(2)}x what ${input.daemons} daemon(s) can run ` +
      `(${slots} worker(s) in parallel, about ${need} needed)` +
      (tooLong.length ? `; ${tooLong.length} workflow(s) take longer than their interval: ${longest}` : '')
    : null;
  return {
    ratio,
    slots,
    daemons: input.daemons,
    known,
    workSecondsPerHour: Math.round(perMs * 3_600),
    capacitySecondsPerHour: slots * 3_600,
    tooLong,
    warning,
  };
}

/**
 * One minute's due slots split into invocations that each finish within the shortest slot of
 * their workflows: first fit, in order (each workflow joins the first invocation it fits in, else
 * opens a new one), so a workflow that cannot share (one longer than its own slot, or one with a
 * short slot) does not also split the workflows after it from those before it. Workflows without
 * a recorded duration add nothing, so with no history it is one invocation, as before. `fits` is
 * false when some invocation cannot finish in its slot (a workflow longer than it).
 */
export function splitDue(
  slots: readonly DueSlot[],
  durationOf: (workflowId: string) => number | undefined,
  slotOf: (workflowId: string) => number,
  workers: number,
): { chunks: DueSlot[][]; fits: boolean; workMs: number } {
  const open: { slots: DueSlot[]; sum: number; max: number; budget: number }[] = [];
  let fits = true;
  let workMs = 0;
  const wall = (s: number, m: number) => Math.max(m, s / Math.max(1, workers));
  for (const s of slots) {
    const d = durationOf(s.workflowId) ?? 0;
    workMs += d;
    const own = slotOf(s.workflowId);
    if (d > own) fits = false;
    const into = open.find((c) => wall(c.sum + d, Math.max(c.max, d)) <= Math.min(c.budget, own));
    if (into) {
      into.slots.push(s);
      into.sum += d;
      into.max = Math.max(into.max, d);
      into.budget = Math.min(into.budget, own);
    } else open.push({ slots: [s], sum: d, max: d, budget: own });
  }
  return { chunks: open.map((c) => c.slots), fits, workMs };
}

/** At most `n` at once, the rest in order: MONITOR_CONCURRENCY invocations across the daemon's handlers. */
export function createLimit(n: number): <T>(fn: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async (fn) => {
    // A finished one hands its place to the next waiting (no count in between to race for).
    if (active >= n) await new Promise<void>((r) => waiting.push(r));
    else active++;
    try {
      return await fn();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else active--;
    }
  };
}

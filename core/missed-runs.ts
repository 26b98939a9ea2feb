// What a missed run is, once, for the scheduler's alert and the reports: a slot of a workflow's
// schedule is missed when no run started for it, a run counting for a slot when it starts at most
// `missedRunGraceMs` after it (queueing, spawn time) or at most `earlyToleranceMs` before it (a
// scheduler firing a little early). A workflow is overdue when its last due slot (more than the
// grace ago) has no run at or after it, less the tolerance. Pure: the caller brings the
// schedule, the runs it knows of and the time.
import { Cron } from 'croner';

/** A run may start this late and still count for its slot. */
export const missedRunGraceMs = 2 * 60_000;
/** A run may start this early and still stand for its slot. */
export const earlyToleranceMs = 30_000;

export type Slots = { count: number; last: Date | null };

const maxOccurrences = 100_000;
const occurrenceCache = new Map<string, Slots>();

/** Slots of `schedule` in [from, to). Cached: a thousand workflows usually share a few schedules. */
export function countOccurrences(schedule: string, timezone: string | undefined, from: Date, to: Date): Slots {
  const key = `${schedule}\u0000${timezone ?? 'UTC'}\u0000${from.getTime()}\u0000${to.getTime()}`;
  const cached = occurrenceCache.get(key);
  if (cached) return cached;
  // croner's zone arithmetic costs ~15x more per step than a fixed offset; UTC needs none.
  const utc = timezone === undefined || timezone === 'UTC' || timezone === 'Etc/UTC';
  const cron = new Cron(schedule, utc ? { paused: true, utcOffset: 0 } : { paused: true, timezone });
  let count = 0;
  let last: Date | null = null;
  for (let t = cron.nextRun(new Date(from.getTime() - 1)); t && t < to && count < maxOccurrences; t = cron.nextRun(t)) {
    count++;
    last = t;
  }
  const result = { count, last };
  if (occurrenceCache.size > 1000) occurrenceCache.clear();
  occurrenceCache.set(key, result);
  return result;
}

/**
 * The slots whose runs land in [from, until): those in [from - grace, until - grace), since a run
 * due at t starts within [t, t + grace). Counting first attempts of that range against them is
 * robust to the scheduler's jitter.
 */
export function dueSlots(schedule: string, timezone: string | undefined, from: Date, until: Date): Slots {
  return countOccurrences(
    schedule,
    timezone,
    new Date(from.getTime() - missedRunGraceMs),
    new Date(until.getTime() - missedRunGraceMs),
  );
}

/** Whether the last run (null: none) stands for `slot`: it started at or after it, less the tolerance. */
export function ranFor(slot: Date, lastRunAt: Date | null): boolean {
  return lastRunAt !== null && lastRunAt.getTime() >= slot.getTime() - earlyToleranceMs;
}

export type OverdueInput = {
  schedule: string;
  timezone?: string | undefined;
  /** The latest run from any runner (daemon, CI, a person), or null when there is none. */
  lastRunAt: Date | null;
  /** Slots before this say nothing (a fresh install, a new workflow, the start of a period). */
  since: Date;
  now: Date;
};

/**
 * The due slots (of `dueSlots(since, now)`) with no run for them (`ranFor`) since the last run:
 * how many, and the last. Only the slots after the last run are walked, so a daemon asking every
 * minute costs what the workflow has missed, not its history.
 */
export function missedSinceLastRun(input: OverdueInput): Slots {
  const from = Math.max(
    input.since.getTime() - missedRunGraceMs,
    input.lastRunAt === null ? -Infinity : input.lastRunAt.getTime() + earlyToleranceMs + 1,
  );
  const to = input.now.getTime() - missedRunGraceMs;
  return from < to
    ? countOccurrences(input.schedule, input.timezone, new Date(from), new Date(to))
    : { count: 0, last: null };
}

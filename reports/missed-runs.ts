// Missed runs: a workflow that did not run as often as its schedule says it should have. The
// schedules come from the caller's workflow catalog (the daemon discovers them with
// `playwright test --list`; executions carry no annotations). Without a catalog entry, a
// workflow that ran regularly in the previous period and not at all in this one is reported too.
import { Cron } from 'croner';
import type { WorkflowFiguresRow } from '../db/report-figures.ts';
import type { Priority } from '../core/workflow.ts';

export type CatalogEntry = {
  id: string;
  name?: string;
  priority?: Priority;
  /** Five-field cron expression, as in `workflow({ schedule })`. */
  schedule?: string;
  /** IANA zone the schedule is read in; default UTC. */
  timezone?: string;
};

export type MissedRunsOptions = {
  /** A run may start this late and still count for its slot (scheduler queueing, spawn time). */
  graceMs: number;
  /** Reported when at least this share of the expected runs is missing... */
  minShare: number;
  /** ...and at least this many. An overdue workflow (no run since its last due slot) always is. */
  minMissed: number;
  /** "Stopped running" without a catalog entry needs at least this many runs in the previous period. */
  stoppedMinPreviousRuns: number;
};

export const defaultMissedRunsOptions: MissedRunsOptions = {
  graceMs: 2 * 60_000,
  minShare: 0.1,
  minMissed: 1,
  stoppedMinPreviousRuns: 3,
};

export type MissedRuns = {
  workflowId: string;
  name: string;
  priority: Priority | null;
  /** null: inferred from the previous period (no catalog entry). */
  schedule: string | null;
  expected: number;
  actual: number;
  missed: number;
  lastRunAt: Date | null;
  /** The last due slot with no run at or after it, when the period ends overdue. */
  overdueSince: Date | null;
};

const maxOccurrences = 100_000;
const earlyToleranceMs = 30_000;
const occurrenceCache = new Map<string, { count: number; last: Date | null }>();

/** Slots of `schedule` in [from, to). Cached: a thousand workflows usually share a few schedules. */
export function countOccurrences(
  schedule: string,
  timezone: string | undefined,
  from: Date,
  to: Date,
): { count: number; last: Date | null } {
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
 * Expected slots are those in [start - grace, end - grace): a run due at t starts within
 * [t, t + grace), so each slot is matched with the period its run lands in. Counting first
 * attempts (retry 0) of the period against them is robust to the scheduler's jitter.
 */
export function findMissedRuns(
  catalog: readonly CatalogEntry[],
  current: readonly WorkflowFiguresRow[],
  previous: readonly WorkflowFiguresRow[],
  period: { start: Date; end: Date },
  o: MissedRunsOptions = defaultMissedRunsOptions,
  now: Date = period.end,
): MissedRuns[] {
  // A period that has not ended yet expects only the slots already due.
  const until = Math.min(period.end.getTime(), now.getTime());
  const byId = new Map(current.map((w) => [w.workflowId, w]));
  const found: MissedRuns[] = [];
  const scheduled = new Set<string>();
  for (const entry of catalog) {
    if (!entry.schedule) continue;
    scheduled.add(entry.id);
    const slots = countOccurrences(
      entry.schedule,
      entry.timezone,
      new Date(period.start.getTime() - o.graceMs),
      new Date(until - o.graceMs),
    );
    if (slots.count === 0) continue;
    const figures = byId.get(entry.id);
    const actual = figures?.firstAttempts ?? 0;
    const lastRunAt = figures?.lastStartedAt ?? null;
    const missed = Math.max(0, slots.count - actual);
    // A scheduler may fire a little early: a run just before the last slot stands for it.
    const overdue =
      slots.last !== null && (lastRunAt === null || lastRunAt.getTime() < slots.last.getTime() - earlyToleranceMs);
    if (!overdue && (missed < o.minMissed || missed < o.minShare * slots.count)) continue;
    found.push({
      workflowId: entry.id,
      name: entry.name ?? figures?.name ?? entry.id,
      priority: entry.priority ?? figures?.priority ?? null,
      schedule: entry.schedule,
      expected: slots.count,
      actual,
      missed,
      lastRunAt,
      overdueSince: overdue ? slots.last : null,
    });
  }
  for (const before of previous) {
    if (scheduled.has(before.workflowId) || byId.has(before.workflowId)) continue;
    if (before.firstAttempts < o.stoppedMinPreviousRuns) continue;
    found.push({
      workflowId: before.workflowId,
      name: before.name,
      priority: before.priority,
      schedule: null,
      expected: before.firstAttempts,
      actual: 0,
      missed: before.firstAttempts,
      lastRunAt: before.lastStartedAt,
      overdueSince: null,
    });
  }
  return found.sort((a, b) => a.workflowId.localeCompare(b.workflowId));
}

// Missed runs: a workflow that did not run as often as its schedule says it should have, by the one
// definition of a missed slot and of overdue (core/missed-runs.ts, which the daemon alerts on). The
// schedules come from the caller's workflow catalog (the daemon discovers them with
// `playwright test --list`; executions carry no annotations). Without a catalog entry, a
// workflow that ran regularly in the previous period and not at all in this one is reported too.
import { dueSlots, ranFor } from '../core/missed-runs.ts';
import type { WorkflowFiguresRow } from './queries/report-figures.ts';
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
  /** Reported when at least this share of the expected runs is missing... */
  minShare: number;
  /** ...and at least this many. An overdue workflow (no run since its last due slot) always is. */
  minMissed: number;
  /** "Stopped running" without a catalog entry needs at least this many runs in the previous period. */
  stoppedMinPreviousRuns: number;
};

export const defaultMissedRunsOptions: MissedRunsOptions = {
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

/**
 * Expected slots are `dueSlots` of the period (each slot matched with the period its run lands
 * in, the grace being core's); first attempts (retry 0) of the period are counted against them.
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
    const slots = dueSlots(entry.schedule, entry.timezone, period.start, new Date(until));
    if (slots.count === 0) continue;
    const figures = byId.get(entry.id);
    const actual = figures?.firstAttempts ?? 0;
    const lastRunAt = figures?.lastStartedAt ?? null;
    const missed = Math.max(0, slots.count - actual);
    // Overdue: the last due slot has no run for it (a run a little early stands for it).
    const overdue = slots.last !== null && !ranFor(slots.last, lastRunAt);
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

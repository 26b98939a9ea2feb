// A workflow that has not run for twice its interval is itself an incident: the daemon may be
// down elsewhere, the queue stuck, or the spec silently filtered out. Pure, so the rule is tested
// without a clock or a database.
import { cronIntervalMs } from './cron.ts';
import type { ResolvedSchedule } from './schedules.ts';

export type MissedRun = {
  workflowId: string;
  title: string;
  priority: string;
  intervalMs: number;
  /** The latest attempt from any runner (daemon, CI, a person), or null when there is none. */
  lastRunAt: Date | null;
  overdueMs: number;
};

export type MissedRunInput = {
  schedules: readonly ResolvedSchedule[];
  /** Latest attempt per workflow id. */
  latest: ReadonlyMap<string, Date>;
  /** Before this, absence of rows says nothing (a fresh install, a new workflow). */
  watchingSince: Date;
  now: Date;
  timezone?: string | undefined;
};

export function detectMissedRuns(input: MissedRunInput): MissedRun[] {
  const out: MissedRun[] = [];
  for (const s of input.schedules) {
    const intervalMs = cronIntervalMs(s.cron, input.now, input.timezone);
    const last = input.latest.get(s.workflowId) ?? null;
    const reference = Math.max(last?.getTime() ?? 0, input.watchingSince.getTime());
    const overdueMs = input.now.getTime() - reference - 2 * intervalMs;
    if (overdueMs > 0)
      out.push({
        workflowId: s.workflowId,
        title: s.title,
        priority: s.priority,
        intervalMs,
        lastRunAt: last,
        overdueMs,
      });
  }
  return out;
}

/** The key under which one missed-run episode alerts once, whichever daemon notices it. */
export function missedRunKey(m: MissedRun): string {
  return `missed-run:${m.workflowId}:${m.lastRunAt ? m.lastRunAt.toISOString() : 'never'}`;
}

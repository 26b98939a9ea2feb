// A workflow that has missed its last two due slots in a row is itself an incident: the daemon may
// be down elsewhere, the queue stuck, or the spec silently filtered out. "Missed" is
// core/missed-runs.ts, the same notion the reports count; one missed slot alone (a run that
// overran its slot, a restart) is counted there but does not page. The alert is once per episode
// (`missedRunKey`). Pure, so the rule is tested without a clock or a database.
import { missedSinceLastRun } from '../core/missed-runs.ts';
import { cronIntervalMs } from './cron.ts';
import type { ResolvedSchedule } from './schedules.ts';

/** Missed slots in a row that make a missed-run alert (one alone is noise: a run that overran its slot). */
export const missedSlotsBeforeAlert = 2;

export type MissedRun = {
  workflowId: string;
  title: string;
  priority: string;
  /** The schedule's longest gap, for the message ("it should run every N min"). */
  intervalMs: number;
  /** The latest attempt from any runner (daemon, CI, a person), or null when there is none. */
  lastRunAt: Date | null;
  /** The last of the due slots in a row that have no run for them. */
  overdueSince: Date;
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
    const last = input.latest.get(s.workflowId) ?? null;
    const missed = missedSinceLastRun({
      schedule: s.cron,
      timezone: input.timezone,
      lastRunAt: last,
      since: input.watchingSince,
      now: input.now,
    });
    const since = missed.count >= missedSlotsBeforeAlert ? missed.last : null;
    if (since)
      out.push({
        workflowId: s.workflowId,
        title: s.title,
        priority: s.priority,
        intervalMs: cronIntervalMs(s.cron, input.now, input.timezone),
        lastRunAt: last,
        overdueSince: since,
      });
  }
  return out;
}

export const missedRunPrefix = 'missed-run:';

/** The key under which one missed-run episode alerts once, whichever daemon notices it. */
export function missedRunKey(m: Pick<MissedRun, 'workflowId' | 'lastRunAt'>): string {
  return `${missedRunPrefix}${m.workflowId}:${m.lastRunAt ? m.lastRunAt.toISOString() : 'never'}`;
}

/** The episode a `missedRunKey` names: its workflow and the last run before it (null: it had never run). */
export function missedRunEpisode(key: string): Pick<MissedRun, 'workflowId' | 'lastRunAt'> {
  const rest = key.slice(missedRunPrefix.length);
  const at = rest.indexOf(':');
  const since = rest.slice(at + 1);
  return { workflowId: rest.slice(0, at), lastRunAt: since === 'never' ? null : new Date(since) };
}

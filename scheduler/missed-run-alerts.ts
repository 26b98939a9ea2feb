// The missed-run alert's episode (housekeeping's `wm-missed-runs`, every 5 min): one alert when a
// workflow misses two due slots in a row (missed-runs.ts), and one recovery when it runs again.
// Both carry the same `incident`, so PagerDuty resolves what the alert opened, and the people the
// alert woke hear that the workflow runs again instead of finding out from the dashboard.
//
// Keys (scheduler_alert_marks, shared by every daemon on the database, so each goes out once):
// `missed-run:<id>:<last run>` per episode; `resumed:<that key>` ends it, once the workflow has
// an attempt later than the episode's last run. Only the newest episode of a workflow is
// announced, and only while its end is fresh (`staleAfterMs`): an older one, or one that ended
// long before anyone looked (an upgrade from a version without recoveries, every daemon down), is
// closed without a message, as news of a past that the channels have moved on from would be noise.
// A workflow taken out of the schedules keeps its episode open (it still does not run); retention
// forgets the mark.
import type { DatabasePool } from '../db/pool.ts';
import { firstAttemptAfter, getLatestExecutions } from '../db/tables/execution-queries.ts';
import { claimAlertMark, openAlertMarks, type AlertMark } from '../db/tables/scheduler-alert-marks.ts';
import type { AlertSender } from './alerts.ts';
import { detectMissedRuns, missedRunEpisode, missedRunKey, missedRunPrefix as prefix } from './missed-runs.ts';
import type { ResolvedSchedule } from './schedules.ts';

const done = 'resumed:';
/** Six missed-run checks (every 5 min): a recovery later than this is not sent. */
export const staleAfterMs = 30 * 60_000;

/** Alert and recovery of one workflow's missed runs are one incident (its PagerDuty dedup key). */
export const missedRunIncident = (workflowId: string) => `Missed runs: ${workflowId}`;

export type MissedRunDeps = {
  schedules: () => readonly ResolvedSchedule[];
  watchingSince: Date;
  timezone?: string | undefined;
  alerts: AlertSender;
  log: (line: string) => void;
};

/** Recoveries first (an episode whose workflow ran again), then new alerts; returns how many went out. */
export async function checkMissedRuns(
  deps: MissedRunDeps,
  pool: DatabasePool,
  now = new Date(),
): Promise<{ alerts: number; recoveries: number }> {
  const latest = new Map((await getLatestExecutions(pool)).map((e) => [e.workflowId, e.startedAt]));
  const schedules = deps.schedules();
  let recoveries = 0;
  const open = await openAlertMarks(pool, prefix, done);
  const newest = new Map<string, AlertMark>(open.map((m) => [missedRunEpisode(m.markKey).workflowId, m]));
  for (const mark of open) {
    const episode = missedRunEpisode(mark.markKey);
    const latestRun = latest.get(episode.workflowId);
    if (!latestRun || (episode.lastRunAt && latestRun <= episode.lastRunAt)) continue;
    const close = `${done}${mark.markKey}`;
    const ran = (await firstAttemptAfter(pool, episode.workflowId, episode.lastRunAt)) ?? latestRun;
    const older = newest.get(episode.workflowId) !== mark;
    if (older || now.getTime() - ran.getTime() > staleAfterMs) {
      const why = older ? 'a later episode followed it' : `it ended over ${staleAfterMs / 60_000} min ago`;
      if (await claimAlertMark(pool, close))
        deps.log(
          `missed runs of ${episode.workflowId} ended at ${ran.toISOString()}: closed without a message (${why})`,
        );
      continue;
    }
    const title = schedules.find((s) => s.workflowId === episode.workflowId)?.title ?? episode.workflowId;
    const sent = await deps.alerts.sendOnce(close, {
      kind: 'recovery',
      incident: missedRunIncident(episode.workflowId),
      title: `Runs resumed: ${title}`,
      message:
        `Workflow ${episode.workflowId} ran again at ${ran.toISOString()}: the missed runs first alerted at ` +
        `${mark.createdAt.toISOString()} are over.`,
      context: { workflow: episode.workflowId },
    });
    if (sent) recoveries++;
  }
  const missed = detectMissedRuns({
    schedules,
    latest,
    watchingSince: deps.watchingSince,
    now,
    timezone: deps.timezone,
  });
  let alerts = 0;
  for (const m of missed) {
    const last = m.lastRunAt ? `last ran ${m.lastRunAt.toISOString()}` : 'has never run';
    const ok = await deps.alerts.sendOnce(missedRunKey(m), {
      title: `Missed runs: ${m.title}`,
      message:
        `Workflow ${m.workflowId} ${last}; it should run every ${Math.round(m.intervalMs / 60_000)} min. ` +
        'Is a daemon running, and is the workflow still selected?',
      priority: 'critical',
      incident: missedRunIncident(m.workflowId),
      context: { workflow: m.workflowId, intervalMinutes: Math.round(m.intervalMs / 60_000) },
    });
    if (ok) alerts++;
  }
  return { alerts, recoveries };
}

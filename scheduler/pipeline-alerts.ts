// The pipeline-failure alert's episode: which mark (scheduler_alert_marks) a failure claims, and
// the recovery that ends it once the workflows record again. Failure and recovery carry the same
// `incident`, so PagerDuty resolves the incident the failure opened (before, it stayed open for
// good), and every channel hears that monitoring works again.
//
// Keys: `pipeline:<ids>:<hour>` while an episode lasts (one alert per set and hour); a failure
// after a recovery within the same hour opens a new episode as `pipeline:<ids>:<minute>`; the
// recovery closes every open mark of the set with `recovered:<key>`. Marks are shared by every
// daemon on the database, so each alert and each recovery goes out once.
import type { DatabasePool } from '../db/pool.ts';
import { alertMarkExists, claimAlertMark, openAlertMarks } from '../db/tables/scheduler-alert-marks.ts';
import type { AlertSender } from './alerts.ts';

const done = 'recovered:';
const prefixOf = (ids: readonly string[]) => `pipeline:${ids.join(',')}:`;

/** Failure and recovery of one workflow set are one incident (its PagerDuty dedup key). */
export const pipelineIncident = (ids: readonly string[]) => `Monitoring pipeline failure: ${ids.join(', ')}`;

/** The mark a pipeline-failure alert for `ids`, due at `due`, goes out under (without a database: the hour's). */
export async function pipelineFailureKey(
  pool: DatabasePool | null,
  ids: readonly string[],
  due: Date,
): Promise<string> {
  const iso = due.toISOString();
  const hourKey = `${prefixOf(ids)}${iso.slice(0, 13)}`;
  if (!pool) return hourKey;
  if ((await openAlertMarks(pool, prefixOf(ids), done)).length) return hourKey;
  // No episode is open: a new one, under the hour's key unless an earlier (recovered) one used it.
  return (await alertMarkExists(pool, hourKey)) ? `${prefixOf(ids)}${iso.slice(0, 16)}` : hourKey;
}

/**
 * `recorded` (a run's workflows) recorded executions: every open pipeline-failure episode of a set
 * made of those workflows ends, with one recovery alert per set.
 */
export async function resolvePipelineAlerts(
  pool: DatabasePool,
  alerts: AlertSender,
  recorded: readonly string[],
  runId: string,
): Promise<string[]> {
  const open = await openAlertMarks(pool, 'pipeline:', done);
  const bySet = new Map<string, typeof open>();
  for (const m of open) {
    const set = m.markKey.slice('pipeline:'.length, m.markKey.indexOf(':', 'pipeline:'.length));
    bySet.set(set, [...(bySet.get(set) ?? []), m]);
  }
  const resolved: string[] = [];
  for (const [set, marks] of bySet) {
    const ids = set.split(',');
    if (!ids.every((id) => recorded.includes(id))) continue;
    const first = marks[0]!.createdAt;
    const last = marks.at(-1)!.markKey;
    for (const m of marks.slice(0, -1)) await claimAlertMark(pool, `${done}${m.markKey}`);
    const sent = await alerts.sendOnce(`${done}${last}`, {
      kind: 'recovery',
      incident: pipelineIncident(ids),
      title: `Monitoring pipeline recovered: ${ids.join(', ')}`,
      message:
        `The scheduled run ${runId} of ${ids.join(', ')} recorded its executions again: the pipeline failure ` +
        `first alerted at ${first.toISOString()} is over.`,
      runId,
      context: { workflows: ids.join(', ') },
    });
    if (sent) resolved.push(set);
  }
  return resolved;
}

// The pipeline-failure episode's marks on a real PostgreSQL: one alert per set and hour while it
// lasts, one recovery when the set records again, and a failure after that recovery (even within
// the same hour) is a new alert, never silenced by the hour's earlier mark.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { claimAlertMark } from '../db/tables/scheduler-alert-marks.ts';
import type { AlertSender, CriticalAlert } from './alerts.ts';
import { pipelineFailureKey, resolvePipelineAlerts } from './pipeline-alerts.ts';
import { freshDatabase } from '../test/helpers/db.ts';

test('a pipeline failure episode: alerted, resolved once, and a new failure in the same hour alerts again', async (t) => {
  const db = await freshDatabase();
  t.after(() => db.drop());
  const sent: { key: string; alert: CriticalAlert }[] = [];
  // sendOnce as the daemon's: the mark decides, across daemons, whether this call sends.
  const alerts = {
    async sendOnce(key: string, alert: CriticalAlert) {
      if (!(await claimAlertMark(db.pool, key))) return false;
      sent.push({ key, alert });
      return true;
    },
  } as unknown as AlertSender;
  const fail = async (ids: string[], due: string) => {
    await alerts.sendOnce(await pipelineFailureKey(db.pool, ids, new Date(due)), {
      title: `failure ${ids.join(',')}`,
      message: '',
    });
  };
  const titles = () => sent.map((s) => s.alert.title);

  await fail(['a'], '2026-12-03T10:05:00Z');
  await fail(['a'], '2026-12-03T10:06:00Z');
  assert.deepEqual(titles(), ['failure a'], 'one alert per set and hour while it lasts');
  await fail(['a'], '2026-12-03T11:01:00Z');
  assert.deepEqual(titles(), ['failure a', 'failure a'], 'the next hour alerts again, into the same incident');

  // Another set is its own episode; a run of `b` alone ends nothing of `a`'s.
  await fail(['b', 'c'], '2026-12-03T11:01:00Z');
  assert.deepEqual(await resolvePipelineAlerts(db.pool, alerts, ['b'], 'run-1'), []);
  assert.deepEqual(await resolvePipelineAlerts(db.pool, alerts, ['a'], 'run-2'), ['a']);
  assert.deepEqual(await resolvePipelineAlerts(db.pool, alerts, ['a'], 'run-3'), [], 'resolved once');
  const recovery = sent.at(-1)!.alert;
  assert.equal(recovery.kind, 'recovery');
  assert.equal(recovery.incident, 'Monitoring pipeline failure: a', "the failure's incident");
  assert.match(recovery.message, /run-2 of a recorded its executions again.*first alerted at/);

  // Broken again within the hour whose mark the first episode used: a new alert, then its own recovery.
  await fail(['a'], '2026-12-03T11:20:00Z');
  await fail(['a'], '2026-12-03T11:21:00Z');
  assert.equal(titles().filter((x) => x === 'failure a').length, 3, 'a new episode alerts once');
  assert.deepEqual((await resolvePipelineAlerts(db.pool, alerts, ['a', 'b', 'c'], 'run-4')).sort(), ['a', 'b,c']);
  assert.deepEqual(
    sent.filter((s) => s.alert.kind === 'recovery').map((s) => s.alert.title),
    ['Monitoring pipeline recovered: a', 'Monitoring pipeline recovered: b, c', 'Monitoring pipeline recovered: a'],
  );
});

// The runner registry (issue 16): locations stay when their daemons stop, a silent one flips
// offline once however many daemons look at the same moment, and back once when it beats again;
// each location's capacity counts only its own daemons.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'slonik';
import { z } from 'zod';
import { activeLocations, beatLocation, flagOfflineLocations, listLocations } from './locations.ts';
import { beatDaemon, forgetDaemon } from './scheduler-capacity.ts';
import { freshDatabase } from '../../test/helpers/db.ts';

test('registry: one offline flip and one recovery per episode across concurrent daemons; a stopped daemon leaves its location', async (t) => {
  const db = await freshDatabase();
  t.after(() => db.drop());
  const beat = (location: string, intervalMs = 1_000) =>
    beatLocation(db.pool, { location, host: `h-${location}`, version: '1.2.3', intervalMs });
  assert.equal(await beat('eu'), null);
  assert.equal(await beat('us'), null);
  const d = {
    host: 'h-eu',
    pid: 1,
    startedAt: new Date(),
    workers: 1,
    concurrency: 2,
    location: 'eu',
    version: '1.2.3',
  };
  const u = { ...d, host: 'h-us', pid: 2, location: 'us', workers: 3 };
  assert.deepEqual(await beatDaemon(db.pool, d, 60_000), { daemons: 1, slots: 2 });
  assert.deepEqual(await beatDaemon(db.pool, u, 60_000), { daemons: 1, slots: 6 }, 'us counts only its own daemon');
  await forgetDaemon(db.pool, u);

  assert.deepEqual(await flagOfflineLocations(db.pool, 1_000), [], 'both seen just now');
  // us has been silent for 3 s: more than two of its 1 s intervals.
  await db.pool.query(
    sql.type(z.object({}))`UPDATE monitor_locations SET seen_at = now() - interval '3 seconds' WHERE location = 'us'`,
  );
  assert.deepEqual(await flagOfflineLocations(db.pool, 2_000), [], 'bounded below: two 2 s cadences are 4 s');
  const flips = await Promise.all([1, 2, 3, 4].map(() => flagOfflineLocations(db.pool, 1_000)));
  const flagged = flips.flat();
  assert.equal(flagged.length, 1, 'one daemon of four flips it');
  assert.equal(flagged[0]!.location, 'us');
  assert.ok(flagged[0]!.silentMs >= 3_000);
  assert.deepEqual(await flagOfflineLocations(db.pool, 1_000), [], 'still the same episode');
  assert.deepEqual(await activeLocations(db.pool), ['eu']);

  const rows = await listLocations(db.pool, 60_000);
  assert.deepEqual(
    rows.map((r) => [r.location, r.offline, r.daemons, r.host, r.version, r.intervalMs]),
    [
      ['eu', false, 1, 'h-eu', '1.2.3', 1000],
      ['us', true, 0, 'h-us', '1.2.3', 1000],
    ],
    'the stopped daemon is gone from scheduler_daemons, its location stays',
  );

  const backs = await Promise.all([1, 2, 3].map(() => beat('us')));
  assert.equal(backs.filter(Boolean).length, 1, 'one recovery');
  assert.equal(backs.find(Boolean)!.location, 'us');
  assert.deepEqual(await activeLocations(db.pool), ['eu', 'us']);
  assert.equal(await beat('us'), null);
});

// Issue 16, real daemons on one PostgreSQL in several locations (trivial specs, no browser).
// (a) Three daemons, two in location "a" and one in "b": every (workflow, slot, location) runs
//     exactly once, a workflow assigned to "a" only never runs in "b". Five scheduled minutes: the
//     schedules are every minute (`* * * * *`) and the test waits for at least five done slots of
//     every (workflow, location) pair, five to six minutes of wall clock that mostly wait, then
//     proves "exactly once" with SQL over the rows.
// (b), a stopped location, is scheduler/daemon-location-offline.test.ts: apart, the two run side by
//     side in npm test instead of one after the other.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'slonik';
import { z } from 'zod';
import type { FreshDatabase } from '../test/helpers/db.ts';
import { tempDir, trivialSpec, waitUntil } from '../test/helpers/daemon-harness.ts';
import { daemonRig } from '../test/helpers/rig.ts';

const doneSlots = (db: FreshDatabase) =>
  db.pool.any(sql.type(z.object({ workflowId: z.string(), location: z.string(), n: z.number() }))`
    SELECT workflow_id AS "workflowId", location, count(*)::int AS n FROM scheduler_slot_runs
    WHERE status = 'done' GROUP BY 1, 2 ORDER BY 1, 2`);

test(
  'three daemons, two in one location: every (workflow, slot, location) executed exactly once',
  { timeout: 540_000 },
  async (t) => {
    const { db, own, start } = await daemonRig(t, {
      specs: {
        'alpha.spec.ts': trivialSpec({ id: 'alpha', sleepMs: 200 }),
        'beta.spec.ts': trivialSpec({ id: 'beta', sleepMs: 200 }),
      },
      secondCron: true,
    });
    // Each daemon its own state folder, as on its own host.
    const inLocation = async (location: string) =>
      start({
        MONITOR_STATE_DIR: own(await tempDir('wm-loc-state-'), (s) => s.remove()).dir,
        MONITOR_LOCATION: location,
        MONITOR_SCHEDULE_ALPHA: '* * * * *',
        MONITOR_SCHEDULE_BETA: '* * * * *',
        MONITOR_LOCATIONS_BETA: 'a',
        MONITOR_CATCH_UP_SECONDS: '0',
      });
    const daemons = await Promise.all(['a', 'a', 'b'].map(inLocation));
    const all = () => daemons.flatMap((d) => d.lines);
    await waitUntil(
      'five done slots of alpha@a, alpha@b and beta@a',
      450_000,
      async () => {
        const done = await doneSlots(db);
        return ['alpha:a', 'alpha:b', 'beta:a'].every(
          (k) => (done.find((r) => `${r.workflowId}:${r.location}` === k)?.n ?? 0) >= 5,
        );
      },
      all,
    );
    for (const d of daemons) d.signal('SIGTERM');
    for (const d of daemons) assert.equal(await d.exited, 0);

    // Exactly once, from the rows: each done slot has one execution, of its own location, and no
    // execution belongs to two slots or to none.
    const perSlot = await db.pool.any(sql.type(
      z.object({ workflowId: z.string(), slot: z.date(), location: z.string(), executions: z.number() }),
    )`
      SELECT s.workflow_id AS "workflowId", s.slot_at AS slot, s.location, count(e.id)::int AS executions
      FROM scheduler_slot_runs s
      LEFT JOIN workflow_executions e ON e.run_id = s.run_id AND e.workflow_id = s.workflow_id AND e.location = s.location
      WHERE s.status = 'done' GROUP BY 1, 2, 3 ORDER BY 3, 1, 2`);
    assert.ok(perSlot.length >= 15, JSON.stringify(perSlot));
    const notOnce = perSlot.filter((r) => r.executions !== 1);
    assert.deepEqual(notOnce, [], 'every done (workflow, slot, location) has exactly one execution');
    const orphans = await db.pool.oneFirst(sql.type(z.object({ n: z.number() }))`
      SELECT count(*)::int AS n FROM workflow_executions e WHERE (
        SELECT count(*) FROM scheduler_slot_runs s
        WHERE s.run_id = e.run_id AND s.workflow_id = e.workflow_id AND s.location = e.location AND s.status = 'done') <> 1`);
    assert.equal(orphans, 0, 'every execution belongs to exactly one done slot');
    const jobs = await db.pool.any(sql.type(z.object({ name: z.string(), n: z.number() }))`
      SELECT name, count(*)::int AS n FROM pgboss.job WHERE name LIKE 'wm-due%'
      GROUP BY name, data->>'workflowId', data->>'slot' HAVING count(*) <> 1`);
    assert.deepEqual(jobs, [], 'one job per (workflow, slot) in each location queue');
    const byPair = await doneSlots(db);
    assert.deepEqual(
      byPair.map((r) => `${r.workflowId}:${r.location}`),
      ['alpha:a', 'alpha:b', 'beta:a'],
      'beta is assigned to a only (MONITOR_LOCATIONS_BETA)',
    );
    const runLocations = await db.pool.anyFirst(sql.type(z.object({ location: z.string() }))`
      SELECT DISTINCT location FROM monitor_runs ORDER BY location`);
    assert.deepEqual(runLocations, ['a', 'b'], 'each run records the location of the daemon that started it');
    const registry = await db.pool.any(sql.type(z.object({ location: z.string(), offline: z.boolean() }))`
      SELECT location, offline FROM monitor_locations ORDER BY location`);
    assert.deepEqual(registry, [
      { location: 'a', offline: false },
      { location: 'b', offline: false },
    ]);
  },
);

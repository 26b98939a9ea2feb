// Issue 16, real daemons on one PostgreSQL in several locations (trivial specs, no browser).
// (a) Three daemons, two in location "a" and one in "b": every (workflow, slot, location) runs
//     exactly once, a workflow assigned to "a" only never runs in "b". Five scheduled minutes: the
//     schedules are every minute (`* * * * *`) and the test waits for at least five done slots of
//     every (workflow, location) pair, five to six minutes of wall clock that mostly wait, then
//     proves "exactly once" with SQL over the rows.
// (b) Location "b"'s only daemon stopped cleanly: one "runner offline" alert at an HTTP sink after
//     two of its intervals, one recovery when it starts again; location "a" never paused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'slonik';
import { z } from 'zod';
import { freshDatabase, type FreshDatabase } from '../test/helpers/db.ts';
import {
  daemonTestEnv,
  specDir,
  startDaemonProcess,
  tempDir,
  trivialSpec,
  type DaemonProcess,
} from '../test/helpers/daemon-harness.ts';
import { startHttpSink, type RecordedRequest } from '../test/sinks/http-sink.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const doneSlots = (db: FreshDatabase) =>
  db.pool.any(sql.type(z.object({ workflowId: z.string(), location: z.string(), n: z.number() }))`
    SELECT workflow_id AS "workflowId", location, count(*)::int AS n FROM scheduler_slot_runs
    WHERE status = 'done' GROUP BY 1, 2 ORDER BY 1, 2`);

async function waitUntil(what: string, timeoutMs: number, check: () => Promise<boolean>, lines: () => string[]) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}\n${lines().slice(-30).join('\n')}`);
    await sleep(500);
  }
}

test(
  'three daemons, two in one location: every (workflow, slot, location) executed exactly once',
  { timeout: 540_000 },
  async (t) => {
    const db = await freshDatabase();
    const specs = await specDir({
      'alpha.spec.ts': trivialSpec({ id: 'alpha', sleepMs: 200 }),
      'beta.spec.ts': trivialSpec({ id: 'beta', sleepMs: 200 }),
    });
    const states = await Promise.all([1, 2, 3].map(() => tempDir('wm-loc-state-')));
    const daemons: DaemonProcess[] = [];
    t.after(async () => {
      for (const d of daemons) await d.destroy();
      await specs.remove();
      for (const s of states) await s.remove();
      await db.drop();
    });
    const env = (i: number, location: string) => ({
      ...daemonTestEnv(
        { databaseUrl: db.url, stateDir: states[i]!.dir, workflowsDir: specs.dir },
        { secondCron: true },
      ),
      MONITOR_LOCATION: location,
      MONITOR_SCHEDULE_ALPHA: '* * * * *',
      MONITOR_SCHEDULE_BETA: '* * * * *',
      MONITOR_LOCATIONS_BETA: 'a',
      MONITOR_CATCH_UP_SECONDS: '0',
    });
    daemons.push(
      ...(await Promise.all([
        startDaemonProcess(env(0, 'a')),
        startDaemonProcess(env(1, 'a')),
        startDaemonProcess(env(2, 'b')),
      ])),
    );
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

const titled = (requests: readonly RecordedRequest[], re: RegExp) => requests.filter((r) => re.test(r.body));

test(
  'a stopped location: one "runner offline" alert after two intervals, one recovery when it returns; the other location never paused',
  { timeout: 300_000 },
  async (t) => {
    const db = await freshDatabase();
    const specs = await specDir({ 'alpha.spec.ts': trivialSpec({ id: 'alpha', sleepMs: 100 }) });
    const states = await Promise.all([1, 2].map(() => tempDir('wm-loc-state-')));
    const sink = await startHttpSink();
    const daemons: DaemonProcess[] = [];
    t.after(async () => {
      for (const d of daemons) await d.destroy();
      await sink.close();
      await specs.remove();
      for (const s of states) await s.remove();
      await db.drop();
    });
    const env = (i: number, location: string) => ({
      ...daemonTestEnv(
        { databaseUrl: db.url, stateDir: states[i]!.dir, workflowsDir: specs.dir },
        { secondCron: true },
      ),
      MONITOR_LOCATION: location,
      MONITOR_SCHEDULE_ALPHA: '*/5 * * * * *',
      MONITOR_CATCH_UP_SECONDS: '0',
      ALERT_WEBHOOK_URL: sink.url,
    });
    const a = await startDaemonProcess(env(0, 'a'));
    daemons.push(a);
    let b = await startDaemonProcess(env(1, 'b'));
    daemons.push(b);
    const lines = () => daemons.flatMap((d) => d.lines);
    const ran = async (location: string) =>
      db.pool.oneFirst(sql.type(z.object({ n: z.number() }))`
        SELECT count(*)::int AS n FROM workflow_executions WHERE location = ${location}`);
    await waitUntil(
      'both locations ran alpha',
      120_000,
      async () => (await ran('a')) > 0 && (await ran('b')) > 0,
      lines,
    );

    b.signal('SIGTERM');
    assert.equal(await b.exited, 0);
    // b's interval: its 5 s schedule, bounded below by the 10 s heartbeat cadence: offline after 20 s.
    await waitUntil(
      'the runner offline alert',
      90_000,
      async () => titled(sink.requests, /Runner offline: b/).length > 0,
      lines,
    );
    // Silence counts from b's last heartbeat (up to one cadence before its stop), in the database's clock.
    const silentMs = await db.pool.oneFirst(sql.type(z.object({ ms: z.number() }))`
      SELECT (extract(epoch FROM offline_since - seen_at) * 1000)::float8 AS ms FROM monitor_locations WHERE location = 'b'`);
    assert.ok(silentMs >= 20_000, `not before two intervals of silence: ${silentMs} ms`);
    const aDuringOutage = await ran('a');
    await sleep(25_000);
    assert.equal(titled(sink.requests, /Runner offline/).length, 1, 'one alert for the episode');
    assert.ok((await ran('a')) > aDuringOutage, 'a kept running while b was offline');

    b = await startDaemonProcess(env(1, 'b'));
    daemons.push(b);
    await waitUntil('the recovery', 60_000, async () => titled(sink.requests, /Runner back: b/).length > 0, lines);
    const restartedAt = new Date();
    await waitUntil(
      'a slot of b done after its restart',
      60_000,
      async () =>
        db.pool.exists(sql.type(z.object({}))`SELECT 1 FROM scheduler_slot_runs
          WHERE location = 'b' AND status = 'done' AND slot_at > ${restartedAt.toISOString()}::timestamptz`),
      lines,
    );
    await sleep(12_000);
    assert.equal(titled(sink.requests, /Runner back/).length, 1, 'one recovery');
    assert.equal(titled(sink.requests, /Runner offline/).length, 1);

    // a never paused: b's outage, from the rows, is the gap between its done slots around the stop;
    // a's longest gap between done slots stays shorter (a slot of a may be recorded missed when its
    // previous run overran on a loaded machine, which is not a pause).
    const slots = async (location: string) =>
      (
        await db.pool.anyFirst(sql.type(z.object({ slot: z.date() }))`
          SELECT slot_at AS slot FROM scheduler_slot_runs WHERE location = ${location} AND status = 'done' ORDER BY slot_at`)
      ).map((d) => d.getTime());
    const longestGap = (xs: number[]) => Math.max(0, ...xs.slice(1).map((x, i) => x - xs[i]!));
    const [aSlots, bSlots] = [await slots('a'), await slots('b')];
    const outageMs = longestGap(bSlots);
    assert.ok(outageMs >= 40_000, `b was away for two intervals and more: ${outageMs} ms`);
    const inOutage = aSlots.filter((x) => x > bSlots[0]! && x < bSlots.at(-1)!).length;
    assert.ok(inOutage >= 3, `a ran ${inOutage} slots while b was away`);
    assert.ok(longestGap(aSlots) < outageMs / 2, `a's longest gap ${longestGap(aSlots)} ms, b's outage ${outageMs} ms`);
    for (const d of [a, b]) d.signal('SIGTERM');
    for (const d of [a, b]) assert.equal(await d.exited, 0);
  },
);

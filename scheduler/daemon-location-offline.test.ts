// Issue 16, real daemons on one PostgreSQL in two locations (trivial specs, no browser), part (b)
// of scheduler/daemon-locations.test.ts: location "b"'s only daemon stopped cleanly gives one
// "runner offline" alert at an HTTP sink after two of its intervals and one recovery when it
// starts again; location "a" never paused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'slonik';
import { z } from 'zod';
import { tempDir, trivialSpec, waitUntil, type DaemonProcess } from '../test/helpers/daemon-harness.ts';
import { daemonRig } from '../test/helpers/rig.ts';
import type { RecordedRequest } from '../test/sinks/http-sink.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const titled = (requests: readonly RecordedRequest[], re: RegExp) => requests.filter((r) => re.test(r.body));

test(
  'a stopped location: one "runner offline" alert after two intervals, one recovery when it returns; the other location never paused',
  { timeout: 300_000 },
  async (t) => {
    const { db, sink, own, start } = await daemonRig(t, {
      specs: { 'alpha.spec.ts': trivialSpec({ id: 'alpha', sleepMs: 100 }) },
      secondCron: true,
      sink: {},
    });
    // Each location its own state folder, as on its own host; b keeps its folder when it restarts.
    const states = await Promise.all(
      ['a', 'b'].map(async () => own(await tempDir('wm-loc-state-'), (s) => s.remove())),
    );
    const daemons: DaemonProcess[] = [];
    const inLocation = async (location: 'a' | 'b') => {
      const d = await start({
        MONITOR_STATE_DIR: states[location === 'a' ? 0 : 1]!.dir,
        MONITOR_LOCATION: location,
        MONITOR_SCHEDULE_ALPHA: '*/5 * * * * *',
        MONITOR_CATCH_UP_SECONDS: '0',
        ALERT_WEBHOOK_URL: sink.url,
      });
      daemons.push(d);
      return d;
    };
    const a = await inLocation('a');
    let b = await inLocation('b');
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
    // a's runs (one every 5 s) took more than 25 s each at load 46: its next one is waited for.
    await waitUntil('a kept running while b was offline', 90_000, async () => (await ran('a')) > aDuringOutage, lines);

    b = await inLocation('b');
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

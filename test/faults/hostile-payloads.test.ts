// Issue 14, item 8: hostile or odd target payloads. The real Health Check workflow against a tiny
// target whose /api/health answers, in turn, 50 MB of valid JSON, `checks.cache: null`, an array,
// `{}` and a healthy body of 200 KB, recorded in an embedded PostgreSQL of the test's own: every
// odd shape is a clear "unhealthy: <what was wrong>" verdict (no TypeError), nothing stored is
// over the payload cap, and the dashboard API never sends a payload whole.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'slonik';
import { z } from 'zod';
import { createDbPool } from '../../db/pool.ts';
import { maxPayloadBytes } from '../../db/tables/storable.ts';
import { addDashboardRoutes } from '../../dashboard/routes.ts';
import { createHttpServer } from '../../scheduler/http-server.ts';
import { allSpecs, removeRun, runPlaywright } from '../helpers/playwright-run.ts';
import { ledger } from './helpers/counts.ts';
import { startPayloadTarget } from './helpers/payload-target.ts';
import { ownPostgres } from './helpers/pg-freeze.ts';

const healthy = { status: 'healthy', checks: { database: { status: 'healthy' }, cache: { status: 'healthy' } } };
const big = (mb: number) =>
  `{"status":"healthy","checks":{"database":{"status":"healthy"}},"padding":"${'x'.repeat(mb * 1024 * 1024)}"}`;

test('hostile /api/health bodies: clear unhealthy verdicts, capped storage, a bounded dashboard API; 5 executions, 0 lost, 0 duplicated', async () => {
  const pg = await ownPostgres();
  const target = await startPayloadTarget({
    health: [
      { body: big(50) },
      { body: JSON.stringify({ ...healthy, checks: { ...healthy.checks, cache: null } }) },
      { body: '[1,2,3]' },
      { body: '{}' },
      { body: JSON.stringify({ ...healthy, padding: 'y'.repeat(200 * 1024) }) },
    ],
  });
  const pool = await createDbPool(pg.url);
  const server = createHttpServer();
  try {
    const runId = 'hostile_run_1';
    const run = await runPlaywright(
      ['test', '--retries=0', '--workers=1', '--repeat-each=5', '--grep', '@health-check(?![-\\w])'],
      { BASE_URL: target.url, DATABASE_URL: '', MONITOR_STATE_DIR: pg.stateDir, MONITOR_RUN_ID: runId },
      { monitor: true },
    );
    try {
      assert.equal(target.hits.get('/api/health'), 5, 'each repeat asked once');
      const results = allSpecs(run.report!).flatMap((s) => s.tests.flatMap((t) => t.results));
      assert.equal(results.length, 5);
      const failures = results.filter((r) => r.status !== 'passed').map((r) => r.error?.message ?? '');
      assert.equal(failures.length, 4, 'the four odd bodies fail, the large healthy one passes');
      const expected = [
        /^Error: unhealthy: \/api\/health answered HTTP 200 with a body over 1048576 bytes \(5242\d{4} read or declared\); not read further/,
        /^Error: unhealthy: \/api\/health \(HTTP 200\): checks\.cache is null, expected an object with a status/,
        /^Error: unhealthy: \/api\/health \(HTTP 200\): the body is an array, not a JSON object/,
        /^Error: unhealthy: \/api\/health \(HTTP 200\): status is missing/,
      ];
      for (const pattern of expected)
        assert.ok(
          failures.some((m) => pattern.test(m)),
          `a failure matches ${pattern}:\n${failures.join('\n---\n')}`,
        );
      assert.ok(
        failures.every((m) => !/TypeError|Cannot read properties/.test(m)),
        'no TypeError',
      );
      assert.match(run.stderr, new RegExp(`run ${runId}: 5 execution\\(s\\): 5 recorded\\n`));
    } finally {
      await removeRun(run);
    }

    assert.deepEqual(
      await ledger(pool, pg.stateDir, [runId]),
      { stored: 5, storedKeys: 5, spooled: 0, dead: 0 },
      '5 expected: 0 lost, 0 duplicated',
    );
    const rows = await pool.any(sql.type(
      z.object({
        id: z.number(),
        at: z.date(),
        healthy: z.boolean(),
        status: z.string(),
        bytes: z.number().nullable(),
        original: z.number().nullable(),
      }),
    )`
      SELECT execution_id AS id, started_at AS at, healthy, status, octet_length(payload::text)::int AS bytes,
        (payload ->> 'originalBytes')::int AS original FROM system_health_checks WHERE run_id = ${runId}`);
    assert.equal(rows.length, 5);
    assert.ok(
      rows.every((r) => (r.bytes ?? 0) <= maxPayloadBytes),
      `every stored payload within ${maxPayloadBytes} bytes: ${rows.map((r) => r.bytes).join(', ')}`,
    );
    assert.equal(rows.filter((r) => r.healthy).length, 1);
    assert.equal(
      rows.filter((r) => r.status === 'invalid').length,
      4,
      'the odd shapes are recorded as invalid, not healthy',
    );
    const capped = rows.find((r) => r.healthy)!;
    assert.ok(capped.original! > 200 * 1024, 'the large healthy body is stored as a marker with its original size');

    // The dashboard API: every attempt's detail is small, also for a payload stored whole before the cap.
    await pool.query(sql.type(
      z.object({}),
    )`UPDATE system_health_checks SET payload = jsonb_build_object('padding', repeat('z', 300000))
      WHERE execution_id = ${rows[0]!.id} AND started_at = ${rows[0]!.at.toISOString()}::timestamptz`);
    addDashboardRoutes(server, {
      pool: () => pool,
      schedules: () => [],
      daemon: () => ({}),
      artifactsDir: pg.stateDir,
      token: null,
    });
    const address = await server.listen(0, '127.0.0.1');
    for (const r of rows) {
      const response = await fetch(
        `http://127.0.0.1:${address.port}/api/execution?id=${r.id}&at=${encodeURIComponent(r.at.toISOString())}`,
      );
      assert.equal(response.status, 200);
      const text = await response.text();
      assert.ok(
        Buffer.byteLength(text) < maxPayloadBytes + 16 * 1024,
        `the detail of ${r.id} is ${Buffer.byteLength(text)} bytes`,
      );
    }
    const legacy = (await (
      await fetch(
        `http://127.0.0.1:${address.port}/api/execution?id=${rows[0]!.id}&at=${encodeURIComponent(rows[0]!.at.toISOString())}`,
      )
    ).json()) as { health: { payload: { truncated?: string; originalBytes?: number } } };
    assert.match(legacy.health.payload.truncated ?? '', /not sent: over the 65536-byte limit/);
    assert.ok((legacy.health.payload.originalBytes ?? 0) > 300_000);
  } finally {
    await server.close();
    await pool.end();
    await target.close();
    await pg.stop();
  }
});

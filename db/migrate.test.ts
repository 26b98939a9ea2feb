import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'slonik';
import { z } from 'zod';
import { freshDatabase } from '../test/helpers/db.ts';
import { readdirSync } from 'node:fs';
import { runner } from 'node-pg-migrate';
import { migrate, migrationsDir, schemaIsCurrent } from './migrate.ts';
import { openDatabase } from './open.ts';

const files = readdirSync(migrationsDir)
  .filter((f) => f.endsWith('.sql'))
  .map((f) => f.slice(0, -4))
  .sort();

const tables = [
  'monitor_runs',
  'workflow_executions',
  'workflow_steps',
  'workflow_metrics',
  'system_health_checks',
  'notification_logs',
  'workflow_states',
  'monitoring_reports',
  'workflow_hourly_aggregates',
  'workflow_last_executions',
  'workflow_window_stats',
];

test('migrations create every table and a second run is a no-op', async (t) => {
  const db = await freshDatabase({ migrated: false });
  t.after(() => db.drop());
  assert.ok(files.length >= 3);
  assert.deepEqual(await migrate(db.url), files);
  assert.deepEqual(await migrate(db.url), []);
  const present = await db.pool.anyFirst(sql.type(z.object({ name: z.string() }))`
    SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public'`);
  for (const table of tables) assert.ok(present.includes(table), `${table} exists`);
  const applied = await db.pool.oneFirst(sql.type(z.object({ n: z.number() }))`
    SELECT count(*)::integer AS n FROM schema_migrations`);
  assert.equal(applied, files.length);
});

test('two concurrent migrate calls on a fresh database both succeed', async (t) => {
  const db = await freshDatabase({ migrated: false });
  t.after(() => db.drop());
  const results = await Promise.all([migrate(db.url), migrate(db.url), migrate(db.url)]);
  assert.deepEqual(results.flat().sort(), files, 'exactly one caller applied each migration');
  const partitions = await db.pool.oneFirst(sql.type(z.object({ n: z.number() }))`
    SELECT count(*)::integer AS n FROM pg_inherits WHERE inhparent = 'workflow_executions'::regclass`);
  assert.ok(partitions >= 3, 'yesterday, today and the next days have partitions');
});

test('1780000000900: the policy state stored as degraded (rows, change log) reads as flaky after it', async (t) => {
  const db = await freshDatabase({ migrated: false });
  t.after(() => db.drop());
  const before = files.indexOf('1780000000900_flaky-state');
  assert.ok(before > 0);
  await runner({
    databaseUrl: db.url,
    dir: migrationsDir,
    migrationsTable: 'schema_migrations',
    direction: 'up',
    count: before,
    logger: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
  });
  await db.pool.query(
    sql.type(z.object({}))`INSERT INTO workflow_states (workflow_id, state) VALUES ('f', 'degraded')`,
  );
  await db.pool.query(sql.type(z.object({}))`INSERT INTO alert_state_changes (workflow_id, at, from_state, to_state)
    VALUES ('f', now(), 'degraded', 'down'), ('f', now(), 'down', 'degraded')`);
  await migrate(db.url);
  assert.equal(
    await db.pool.oneFirst(sql.type(z.object({ s: z.string() }))`SELECT state AS s FROM workflow_states`),
    'flaky',
  );
  const changes = await db.pool.anyFirst(sql.type(z.object({ c: z.string() }))`
    SELECT from_state || '>' || to_state AS c FROM alert_state_changes ORDER BY id`);
  assert.deepEqual(changes, ['flaky>down', 'down>flaky']);
  await assert.rejects(
    db.pool.query(sql.type(z.object({}))`UPDATE workflow_states SET state = 'degraded'`),
    /check integrity constraint/,
  );
});

test('the version check: a database never migrated, or missing one migration, is not current; openDatabase migrates it', async (t) => {
  const db = await freshDatabase({ migrated: false });
  t.after(() => db.drop());
  assert.equal(await schemaIsCurrent(db.pool), false, 'no schema_migrations yet');
  const opened = await openDatabase({ databaseUrl: db.url, stateDir: '/nonexistent' });
  await opened.pool.end();
  assert.deepEqual(opened.applied, files, 'the first open runs the migrator');
  assert.equal(await schemaIsCurrent(db.pool), true);
  const again = await openDatabase({ databaseUrl: db.url, stateDir: '/nonexistent' });
  await again.pool.end();
  assert.deepEqual(again.applied, [], 'an up-to-date schema is only checked');
  // A migration that is missing below the newest (a branch merged late) is seen too.
  const older = files[files.length - 2]!;
  await db.pool.query(sql.type(z.object({}))`DELETE FROM schema_migrations WHERE name = ${older}`);
  assert.equal(await schemaIsCurrent(db.pool), false, 'one applied migration fewer than files');
});

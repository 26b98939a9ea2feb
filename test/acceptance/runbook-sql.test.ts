// Issue 12.11: the runbook's SQL runs unchanged against our schema. The queries are copied
// verbatim from the runbook ("Query database directly", and the size check of "Database Growing
// Too Large"); the reports they read are made the way a user makes them.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import pg from 'pg';
import { startDemoApp } from '../../demo-app/app.ts';
import { freshDatabase, type FreshDatabase } from '../helpers/db.ts';
import { scratchCopy, type Scratch } from './helpers/scratch.ts';

const queryDatabaseDirectly = `SELECT 
  timestamp,
  success_rate,
  total_workflows,
  failed_workflows
FROM monitoring_reports
ORDER BY timestamp DESC
LIMIT 20;`;

const databaseSize = `SELECT 
  schemaname,
  tablename,
  pg_size_pretty(pg_total_relation_size(schemaname||'.'||tablename)) AS size
FROM pg_tables
WHERE schemaname NOT IN ('pg_catalog', 'information_schema')
ORDER BY pg_total_relation_size(schemaname||'.'||tablename) DESC;`;

let s: Scratch;
let db: FreshDatabase;
let demo: Awaited<ReturnType<typeof startDemoApp>>;
before(async () => {
  [s, db, demo] = await Promise.all([
    scratchCopy(),
    freshDatabase(),
    startDemoApp({ port: 0, host: '127.0.0.1', faults: 'login-broken' }),
  ]);
});
after(async () => {
  await Promise.all([s.cleanup(), db.drop(), demo.close()]);
});

async function query(text: string): Promise<Record<string, unknown>[]> {
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    return (await client.query(text)).rows as Record<string, unknown>[];
  } finally {
    await client.end();
  }
}

test('the runbook\'s "Query database directly" SQL, verbatim, lists the reports with their figures', async () => {
  const env = { DATABASE_URL: db.url, BASE_URL: demo.url, MONITOR_RETRIES: '0' };
  const run = await s.run('npx', ['playwright', 'test', '--grep', '@health-check|@user-login'], { env });
  assert.equal(run.code, 1, run.output);
  const gen = await s.run('npm', ['run', '--silent', 'monitor:reports', '--', '--generate', 'hourly', '--json'], {
    env,
  });
  assert.equal(gen.code, 0, gen.output);
  const report = JSON.parse(gen.stdout) as {
    periodEnd: string;
    totals: { executions: number; failed: number; successRate: number };
  };
  const rows = await query(queryDatabaseDirectly);
  assert.equal(rows.length, 1);
  assert.deepEqual(rows[0], {
    timestamp: new Date(report.periodEnd),
    success_rate: report.totals.successRate,
    total_workflows: report.totals.executions,
    failed_workflows: report.totals.failed,
  });
  assert.deepEqual([rows[0]!.total_workflows, rows[0]!.failed_workflows, rows[0]!.success_rate], [2, 1, 0.5]);
});

test("the runbook's database size SQL, verbatim, lists our tables", async () => {
  const rows = await query(databaseSize);
  const tables = rows.map((r) => r.tablename);
  for (const t of ['monitoring_reports', 'workflow_executions', 'notification_logs']) assert.ok(tables.includes(t), t);
});

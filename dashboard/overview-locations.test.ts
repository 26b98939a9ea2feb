// Issue 16 on the overview: a tile run from several locations carries each location's latest
// attempt (its state there and when it last ran), read per page from the attempts; a tile run
// from one location is exactly as before. Real PostgreSQL, the real ingest path, real HTTP.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { insertExecutions } from '../db/tables/executions.ts';
import { dashboardServer } from '../test/helpers/dashboard-server.ts';
import { executionRecord, freshDatabase } from '../test/helpers/db.ts';

const MIN = 60_000;
const schedules = ['checkout', 'login'].map((id) => ({
  workflowId: id,
  title: id,
  priority: 'high',
  tags: [`@${id}`],
  cron: '*/5 * * * *',
  description: 'every 5 minutes',
}));
type Tile = { id: string; locations?: { location: string; status: string; startedAt: string }[] };

test('per-location state and last run on a tile run from two locations; none on a one-location tile', async (t) => {
  const db = await freshDatabase();
  t.after(() => db.drop());
  const now = Date.now();
  const attempt = (workflowId: string, minutesAgo: number, status: 'passed' | 'failed', location?: string) =>
    executionRecord({
      runId: `r-${workflowId}-${minutesAgo}-${location ?? 'local'}`,
      testId: `test-${workflowId}`,
      workflowId,
      name: workflowId,
      startedAt: new Date(now - minutesAgo * MIN),
      status,
      outcome: status === 'passed' ? 'expected' : 'unexpected',
      ...(location ? { location } : {}),
    });
  await insertExecutions(db.pool, [
    // checkout: eu-west passes throughout; us-east passed, then failed its latest run.
    attempt('checkout', 20, 'passed', 'eu-west'),
    attempt('checkout', 10, 'passed', 'eu-west'),
    attempt('checkout', 19, 'passed', 'us-east'),
    attempt('checkout', 9, 'failed', 'us-east'),
    attempt('login', 12, 'passed'),
    attempt('login', 2, 'failed'),
  ]);
  const port = await dashboardServer(t, db.pool, () => schedules);
  const page = (await (await fetch(`http://127.0.0.1:${port}/api/overview`)).json()) as { workflows: Tile[] };
  const tile = (id: string) => page.workflows.find((w) => w.id === id)!;
  assert.deepEqual(
    tile('checkout').locations?.map((l) => [l.location, l.status, l.startedAt]),
    [
      ['eu-west', 'passed', new Date(now - 10 * MIN).toISOString()],
      ['us-east', 'failed', new Date(now - 9 * MIN).toISOString()],
    ],
  );
  assert.equal('locations' in tile('login'), false, 'one location: the tile as before');
});

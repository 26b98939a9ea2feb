// Issue 18.6: the overview is fresh on every request, reused while nothing changed (ETag → 304),
// paged and filtered by the server, and its read model follows stored attempts, replays of older
// ones and attempts leaving the window. Real PostgreSQL, the real ingest path, real HTTP.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { insertExecutions } from '../db/tables/executions.ts';
import { dashboardServer } from '../test/helpers/dashboard-server.ts';
import { executionRecord, freshDatabase } from '../test/helpers/db.ts';
import { overview } from './queries.ts';

const MIN = 60_000;
const id = (n: number) => `wf-${String(n).padStart(2, '0')}`;
const schedules = Array.from({ length: 30 }, (_, n) => ({
  workflowId: id(n),
  title: `Workflow ${n}`,
  priority: n % 2 ? 'high' : 'low',
  tags: [`@${id(n)}`],
  cron: '*/5 * * * *',
  description: 'every 5 minutes',
}));
type Page = {
  total: number;
  matching: number;
  page: number;
  pages: number;
  tags: string[];
  workflows: {
    id: string;
    runs24h: number;
    successRate24h: number | null;
    beats: [number, number, number, string][];
  }[];
};

test('the overview is fresh, paged, filtered, and answers 304 while nothing changed', async (t) => {
  const db = await freshDatabase();
  t.after(() => db.drop());
  const now = Date.now();
  const attempt = (
    n: number,
    minutesAgo: number,
    status: 'passed' | 'failed' = 'passed',
    runId = `r-${n}-${minutesAgo}`,
  ) =>
    executionRecord({
      runId,
      testId: `test-${id(n)}`,
      workflowId: id(n),
      name: `Workflow ${n}`,
      startedAt: new Date(now - minutesAgo * MIN),
      status,
      outcome: status === 'passed' ? 'expected' : 'unexpected',
    });
  await insertExecutions(
    db.pool,
    schedules.flatMap((_, n) => [attempt(n, 20), attempt(n, 10)]),
  );
  const port = await dashboardServer(t, db.pool, () => schedules);
  const get = async (path: string, etag?: string) => {
    const res = await fetch(`http://127.0.0.1:${port}${path}`, { headers: etag ? { 'if-none-match': etag } : {} });
    const text = await res.text();
    return {
      status: res.status,
      etag: res.headers.get('etag') ?? '',
      text,
      page: text ? (JSON.parse(text) as Page) : null,
    };
  };

  const first = await get('/api/overview?size=10');
  assert.equal(first.status, 200);
  assert.deepEqual(
    { total: first.page?.total, pages: first.page?.pages, shown: first.page?.workflows.length },
    { total: 30, pages: 3, shown: 10 },
  );
  assert.equal(first.page?.tags.length, 30, 'the filter lists every tag, not only the page’s');
  const tile = first.page?.workflows[0];
  assert.equal(tile?.id, id(0));
  assert.equal(tile?.runs24h, 2);
  assert.equal(tile?.beats.length, 2, 'the beat bar of each tile on the page');
  const third = await get('/api/overview?size=10&page=3');
  assert.deepEqual(
    third.page?.workflows.map((w) => w.id),
    schedules.slice(20).map((s) => s.workflowId),
  );
  const high = await get('/api/overview?size=10&priority=high');
  assert.equal(high.page?.matching, 15);
  assert.ok(high.page?.workflows.every((w) => Number(w.id.slice(3)) % 2 === 1));

  // Nothing changed: the same body, and 304 for its ETag.
  const again = await get('/api/overview?size=10');
  assert.equal(again.text, first.text);
  const notModified = await get('/api/overview?size=10', first.etag);
  assert.equal(notModified.status, 304);
  assert.equal(notModified.text, '');

  // A failure stored now shows on the next request, with its beat.
  await insertExecutions(db.pool, [attempt(0, 1, 'failed')]);
  const fresh = await get('/api/overview?size=10', first.etag);
  assert.equal(fresh.status, 200, 'the data changed: not 304');
  assert.notEqual(fresh.etag, first.etag);
  const failed = fresh.page?.workflows[0];
  assert.equal(failed?.runs24h, 3);
  assert.equal(failed?.successRate24h, 2 / 3);
  assert.equal(failed?.beats.at(-1)?.[3], 'failed', 'the newest beat is the failure');

  // A replayed older attempt (outbox) moves no latest-attempt row, and still counts at once.
  await insertExecutions(db.pool, [attempt(1, 300, 'failed')]);
  const replayed = (await get('/api/overview?size=10')).page?.workflows[1];
  assert.equal(replayed?.runs24h, 3);
  assert.equal(replayed?.beats[0]?.[3], 'failed', 'the replay is the oldest beat');
});

test('an attempt leaving the 24 h window leaves the figures when it does', async (t) => {
  const db = await freshDatabase();
  t.after(() => db.drop());
  const now = Date.now();
  await insertExecutions(db.pool, [
    executionRecord({
      runId: 'old',
      startedAt: new Date(now - 24 * 60 * MIN + 2 * MIN),
      status: 'failed',
      outcome: 'unexpected',
    }),
    executionRecord({ runId: 'new', startedAt: new Date(now - 5 * MIN) }),
  ]);
  const before = (await overview(db.pool, [], new Date(now))).workflows[0];
  assert.deepEqual([before?.runs24h, before?.successRate24h], [2, 0.5]);
  const later = (await overview(db.pool, [], new Date(now + 3 * MIN))).workflows[0];
  assert.deepEqual([later?.runs24h, later?.successRate24h], [1, 1], 'the failure is older than 24 h now');
  assert.equal(later?.successRate7d, 0.5, 'and still in the 7 days');
});

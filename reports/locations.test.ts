// Reports per location (issue 16): a workflow run from two locations gets one line per location
// with its own success rate and p95 (percentile_cont over that location's attempts), in the JSON
// and in the Markdown; a history from one location has no such section (every report as before).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { executionRecord, freshDatabase } from '../test/helpers/db.ts';
import { insertExecutions } from '../db/tables/executions.ts';
import { insertAlertEvent } from '../db/alert-rows.ts';
import { computeReport } from './compute.ts';
import { renderMarkdown } from './render-markdown.ts';

const period = { start: new Date('2026-11-14T00:00:00Z'), end: new Date('2026-11-15T00:00:00Z') };
const attempt = (i: number, location: string | undefined, durationMs: number, passed: boolean) =>
  executionRecord({
    runId: `run-${location ?? 'none'}-${i}`,
    workflowId: 'checkout',
    name: 'Checkout',
    startedAt: new Date(period.start.getTime() + (i + 1) * 60_000),
    durationMs,
    status: passed ? 'passed' : 'failed',
    outcome: passed ? 'expected' : 'unexpected',
    error: passed ? null : 'Error: net::ERR_CONNECTION_REFUSED',
    ...(location ? { location } : {}),
  });

test('two locations: one line per location with its success rate and p95; Markdown shows them', async (t) => {
  const db = await freshDatabase();
  t.after(() => db.drop());
  // eu-west: 10 passes of 1,000..1,900 ms; us-east: 8 passes of 3,000 ms and 2 failures of 5,000 ms.
  const eu = Array.from({ length: 10 }, (_, i) => attempt(i, 'eu-west', 1000 + i * 100, true));
  const us = Array.from({ length: 10 }, (_, i) => attempt(i, 'us-east', i < 8 ? 3000 : 5000, i < 8));
  await insertExecutions(db.pool, [...eu, ...us]);
  const report = await computeReport(db.pool, { kind: 'daily', period, now: new Date('2026-11-15T00:05:00Z') });
  assert.deepEqual(report.locations, [
    // percentile_cont(0.95) over 1000..1900: 1855; over eight 3000 and two 5000: 5000.
    {
      workflowId: 'checkout',
      location: 'eu-west',
      executions: 10,
      passed: 10,
      failed: 0,
      successRate: 1,
      p95DurationMs: 1855,
    },
    {
      workflowId: 'checkout',
      location: 'us-east',
      executions: 10,
      passed: 8,
      failed: 2,
      successRate: 0.8,
      p95DurationMs: 5000,
    },
  ]);
  const md = renderMarkdown(report);
  assert.match(md, /## By location/);
  assert.match(md, /\| `checkout` \| eu-west \| 10 \| 100(\.0)?% \| 0 \| 1\.85s \|/);
  assert.match(md, /\| `checkout` \| us-east \| 10 \| 80(\.0)?% \| 2 \| 5\.00s \|/);
});

test('one location: no per-location section, the report as before', async (t) => {
  const db = await freshDatabase();
  t.after(() => db.drop());
  await insertExecutions(
    db.pool,
    Array.from({ length: 5 }, (_, i) => attempt(i, undefined, 1000, true)),
  );
  const report = await computeReport(db.pool, { kind: 'daily', period, now: new Date('2026-11-15T00:05:00Z') });
  assert.equal('locations' in report, false);
  assert.doesNotMatch(renderMarkdown(report), /By location/);
});

test('a "failing from" episode of the period is in the report and its Markdown; one outside it is not', async (t) => {
  const db = await freshDatabase();
  t.after(() => db.drop());
  await insertExecutions(db.pool, [attempt(0, 'eu-west', 1000, true), attempt(0, 'us-east', 1000, false)]);
  const partial = (key: string, at: Date) =>
    insertAlertEvent(
      db.pool,
      {
        workflowId: 'checkout',
        kind: 'partial',
        key,
        runId: null,
        channels: ['slack'],
        payload: { kind: 'partial', locations: { failing: ['us-east'], passing: ['eu-west'] } },
        releaseAt: null,
      },
      at,
    );
  await partial('in', new Date('2026-11-14T06:00:00Z'));
  await partial('before', new Date('2026-11-13T06:00:00Z'));
  const report = await computeReport(db.pool, { kind: 'daily', period, now: new Date('2026-11-15T00:05:00Z') });
  assert.deepEqual(report.failingFrom, [
    { workflowId: 'checkout', at: '2026-11-14T06:00:00.000Z', locations: ['us-east'] },
  ]);
  assert.match(
    renderMarkdown(report),
    /## Failing from some locations[\s\S]*- `checkout` from us-east since 2026-11-14T06:00:00.000Z/,
  );
});

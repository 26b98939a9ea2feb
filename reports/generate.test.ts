// generateReport end to end: the row, the files, the summary in Slack and Discord (real local
// HTTP sinks), the GitHub step summary; and the edge periods: empty, no previous period.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { insertExecutions } from '../db/tables/executions.ts';
import { getReports } from '../db/tables/reports.ts';
import { loadChannelConfig } from '../notifiers/config.ts';
import { createNotifier } from '../notifiers/delivery/deliver.ts';
import { executionRecord, freshDatabase, type FreshDatabase } from '../test/helpers/db.ts';
import { startHttpSink, type HttpSink } from '../test/sinks/http-sink.ts';
import { computeReport, periodFor } from './compute.ts';
import { generateReport } from './generate.ts';
import { defaultThresholds } from './recommendations.ts';
import type { ReportBody } from './report-body.ts';

const periodEnd = new Date('2026-11-21T00:00:00Z');
const dayStart = periodEnd.getTime() - 86_400_000;

describe('generateReport', () => {
  let db: FreshDatabase;
  let dir: string;
  const sinks: HttpSink[] = [];
  before(async () => {
    db = await freshDatabase();
    dir = mkdtempSync(path.join(tmpdir(), 'wm-reports-'));
  });
  after(async () => {
    await Promise.all(sinks.map((s) => s.close()));
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('an empty period: zeros, no trends, one recommendation to check the monitor itself', async () => {
    const body = await computeReport(db.pool, { kind: 'daily', period: periodFor('daily', periodEnd), now: periodEnd });
    assert.deepEqual(body.totals, {
      executions: 0,
      passed: 0,
      failed: 0,
      flaky: 0,
      runs: 0,
      failedRuns: 0,
      successRate: null,
      errorRate: null,
      avgDurationMs: null,
      p95DurationMs: null,
    });
    assert.equal(body.previous, null);
    assert.deepEqual(body.trends, { successRate: null, performance: null, errorRate: null, p95: null });
    assert.deepEqual(body.workflows, []);
    assert.deepEqual(body.criticalIssues, { count: 0, failedCriticalExecutions: 0, critical: [], down: [] });
    assert.deepEqual(
      body.recommendations.map((r) => [r.severity, r.rule]),
      [['info', 'no-executions']],
    );
    // With a catalog, silence is a problem.
    const known = await computeReport(db.pool, {
      kind: 'daily',
      period: periodFor('daily', periodEnd),
      now: periodEnd,
      catalog: [{ id: 'user-login', priority: 'critical', schedule: '*/15 * * * *' }],
    });
    assert.deepEqual(
      known.recommendations.map((r) => [r.severity, r.rule, r.workflowId]),
      [
        ['critical', 'no-executions', null],
        ['critical', 'missed-runs', 'user-login'],
      ],
    );
  });

  test('a period with no previous period: figures, no trends, no "slower" rule; a workflow that never passed', async () => {
    await insertExecutions(db.pool, [
      ...[1000, 2000, 3000].map((ms, i) =>
        executionRecord({ runId: `a${i}`, startedAt: new Date(dayStart + i * 3_600_000), durationMs: ms }),
      ),
      ...[0, 1].map((i) =>
        executionRecord({
          runId: `b${i}`,
          workflowId: 'broken',
          name: 'Broken',
          priority: 'low',
          testId: 'tb',
          startedAt: new Date(dayStart + i * 3_600_000),
          durationMs: 500,
          status: 'failed',
          outcome: 'unexpected',
          error: 'Error: nope',
          failedStep: 'Sign in',
        }),
      ),
    ]);
    const body = await computeReport(db.pool, { kind: 'daily', period: periodFor('daily', periodEnd), now: periodEnd });
    assert.equal(body.previous, null);
    assert.deepEqual(body.trends, { successRate: null, performance: null, errorRate: null, p95: null });
    assert.equal(body.totals.executions, 5);
    assert.equal(body.totals.successRate, 3 / 5);
    assert.equal(body.totals.errorRate, 2 / 5);
    assert.equal(body.totals.avgDurationMs, 7000 / 5);
    assert.deepEqual(
      body.recommendations.map((r) => [r.severity, r.rule, r.workflowId]),
      [['critical', 'failing', 'broken']],
    );
    assert.match(
      body.recommendations[0]!.finding,
      /^never passed: all 2 runs failed\. Most frequent error \(2×\): "Error: nope"\. Failing step: "Sign in" \(2×\)\.$/,
    );
    assert.ok(!body.recommendations.some((r) => r.rule === 'slower'));
  });

  test('row, files, Slack and Discord summary in the runbook layout, GitHub step summary; regenerating replaces', async () => {
    const slack = await startHttpSink();
    const discord = await startHttpSink();
    sinks.push(slack, discord);
    const channels = loadChannelConfig({
      SLACK_WEBHOOK_URL: slack.urlFor('/services/T0/B0/x'),
      DISCORD_WEBHOOK_URL: discord.urlFor('/api/webhooks/1/x'),
    });
    assert.ok(channels.ok);
    const notifier = createNotifier({ channels: channels.channels, warn: () => undefined });
    const stepSummary = path.join(dir, 'step-summary.md');
    writeFileSync(stepSummary, '# earlier step\n');
    const config = { reportsDir: path.join(dir, 'out'), githubStepSummary: stepSummary, thresholds: defaultThresholds };

    const result = await generateReport(db.pool, {
      kind: 'daily',
      periodEnd: new Date(periodEnd.getTime() + 25 * 60_000),
      notifier,
      config,
      now: new Date(periodEnd.getTime() + 25 * 60_000),
    });
    assert.deepEqual(result.problems, []);
    assert.equal(result.body.reportId, 'daily-2026-11-21T0000Z');
    const [row] = await getReports(db.pool, { kind: 'daily' });
    assert.equal(row?.reportId, 'daily-2026-11-21T0000Z');
    assert.deepEqual(
      [row?.totalExecutions, row?.passedExecutions, row?.failedExecutions, row?.successRate, row?.criticalIssues],
      [5, 3, 2, 3 / 5, 0],
    );
    assert.equal(row?.recommendations.length, 1);
    assert.equal((row?.body as ReportBody).title, 'Daily Workflow Monitoring Summary');

    const json = JSON.parse(readFileSync(result.files!.json, 'utf8')) as ReportBody;
    assert.deepEqual(json, row?.body);
    const markdown = readFileSync(result.files!.markdown, 'utf8');
    assert.match(markdown, /^# 🌟 Daily Workflow Monitoring Summary/);
    assert.match(markdown, /\| Success Rate \| 60\.0% \| - \| - \|/);
    assert.match(markdown, /\*\*Broken \(broken\)\*\* never passed: all 2 runs failed/);
    assert.equal(readFileSync(stepSummary, 'utf8'), `# earlier step\n${markdown}\n`);

    type Block = { type: string; text?: { text: string }; fields?: { text: string }[] };
    const blocks = slack.requests[0]!.json<{ blocks: Block[] }>().blocks;
    assert.equal(blocks[0]?.text?.text, '🌟 Daily Workflow Monitoring Summary');
    assert.match(
      blocks[1]?.text?.text ?? '',
      /^Period: Nov 20, 2026 - Nov 21, 2026\nSuccess Rate: 60\.0%\nRecommendations:\n• \[critical\] Broken \(broken\) never passed/,
    );
    assert.deepEqual(
      blocks[2]?.fields?.map((f) => f.text),
      [
        '*Total Workflows:*\n5',
        '*Success Rate:*\n60.0%',
        '*Passed:*\n✅ 3',
        '*Failed:*\n❌ 2',
        '*Avg Duration:*\n⏱️ 1.40s',
        '*Critical Issues:*\n✅ 0',
      ],
    );
    const embed = discord.requests[0]!.json<{
      embeds: { title: string; fields?: { name: string; value: string }[] }[];
    }>().embeds[0]!;
    assert.match(embed.title, /Daily Workflow Monitoring Summary/);
    assert.deepEqual(embed.fields?.find((f) => f.name === 'Total Workflows')?.value, '5');

    await generateReport(db.pool, {
      kind: 'daily',
      periodEnd,
      config: { ...config, githubStepSummary: null },
      now: periodEnd,
    });
    assert.equal((await getReports(db.pool, { kind: 'daily' })).length, 1, 'the same period is one row');
  });

  test('a part that fails is reported, the row is still stored', async () => {
    const blocked = path.join(dir, 'a-file');
    writeFileSync(blocked, 'not a folder');
    const result = await generateReport(db.pool, {
      kind: 'hourly',
      periodEnd,
      now: periodEnd,
      config: { reportsDir: path.join(blocked, 'sub'), githubStepSummary: null, thresholds: defaultThresholds },
    });
    assert.equal(result.files, null);
    assert.match(result.problems[0] ?? '', /could not write the report files/);
    assert.equal((await getReports(db.pool, { kind: 'hourly' }))[0]?.reportId, 'hourly-2026-11-21T0000Z');
  });
});

// Per-attempt assessment against a real database, the way the reporter would call it after
// storing each attempt: budgets and slow-down make a workflow DEGRADED once per episode.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'slonik';
import { z } from 'zod';
import { insertExecutions } from '../../db/tables/executions.ts';
import { getBudgetOverrunSummary, getDegradedWorkflows } from '../../reports/queries/report-performance.ts';
import type { ExecutionRecord } from '../../core/records.ts';
import { executionRecord, freshDatabase, type FreshDatabase } from '../../test/helpers/db.ts';
import { assessExecution } from './assess-execution.ts';
import type { Budgets } from '../../core/workflow.ts';
import { budgetsFromAnnotations } from './budgets.ts';
import type { DegradationEvent } from './degradation.ts';
import { seededRandom } from '../../test/helpers/seeded-random.ts';

const start = Date.UTC(2026, 10, 20);

function attempt(
  workflowId: string,
  i: number,
  open: number,
  signIn: number,
  extra: Partial<ExecutionRecord> = {},
): ExecutionRecord {
  return executionRecord({
    runId: `${workflowId}-${i}`,
    testId: `t-${workflowId}`,
    workflowId,
    startedAt: new Date(start + i * 300_000),
    durationMs: open + signIn,
    metrics: null,
    steps: [
      { index: 0, title: 'Open login page', durationMs: open, error: null },
      { index: 1, title: 'Sign in', durationMs: signIn, error: null },
    ],
    ...extra,
  });
}

/** Stores each attempt, then assesses it: what the reporter does per attempt. */
async function feed(
  db: FreshDatabase,
  attempts: readonly ExecutionRecord[],
  budgets: Budgets | null = null,
): Promise<DegradationEvent[]> {
  const events: DegradationEvent[] = [];
  for (const a of attempts) {
    await insertExecutions(db.pool, [a]);
    const result = await assessExecution(db.pool, a, { budgets });
    events.push(...(result?.events ?? []));
  }
  return events;
}

describe('assessExecution', () => {
  let db: FreshDatabase;
  before(async () => {
    db = await freshDatabase();
  });
  after(() => db?.drop());

  test('normal ±20 % jitter over 500 runs: no event', async () => {
    const random = seededRandom(11);
    const j = () => 1 + 0.2 * (2 * random() - 1);
    const attempts = Array.from({ length: 500 }, (_, i) =>
      attempt('steady', i, Math.round(400 * j()), Math.round(600 * j())),
    );
    assert.deepEqual(await feed(db, attempts), []);
    const [state] = await db.pool.any(sql.type(z.object({ degraded: z.boolean(), episode: z.number() }))`
      SELECT degraded, episode FROM workflow_performance_states WHERE workflow_id = 'steady'`);
    assert.deepEqual(state, { degraded: false, episode: 0 });
  });

  test('a steady 2x slow-down injected into the recent history: DEGRADED, one alert', async () => {
    const random = seededRandom(12);
    const j = () => 1 + 0.2 * (2 * random() - 1);
    const attempts = Array.from({ length: 120 }, (_, i) => {
      const f = i >= 80 ? 2 : 1;
      return attempt('slowing', i, Math.round(400 * f * j()), Math.round(600 * f * j()));
    });
    const events = await feed(db, attempts);
    assert.deepEqual(
      events.map((e) => [e.type, e.workflowId, e.episode, e.reasons]),
      [['degraded', 'slowing', 1, ['slowdown']]],
    );
    assert.equal(events[0]!.runId, 'slowing-82');
    const degraded = await getDegradedWorkflows(db.pool);
    assert.deepEqual(
      degraded.map((d) => [d.workflowId, d.reasons]),
      [['slowing', ['slowdown']]],
    );
    // Assessing the same attempt again (a replay) announces nothing new.
    const again = await assessExecution(db.pool, attempts[119]!, { budgets: null });
    assert.deepEqual(again?.events, []);
  });

  test('budgets: a passing attempt over budget is DEGRADED, the next within budget recovers, failures change nothing', async () => {
    const parsed = budgetsFromAnnotations([
      { type: 'budgets', description: JSON.stringify({ totalMs: 1500, steps: { 'Sign in': 900 } }) },
    ]);
    assert.ok(parsed.ok && parsed.budgets);
    const budgets = parsed.budgets;
    const events = await feed(
      db,
      [
        attempt('budgeted', 0, 400, 600),
        attempt('budgeted', 1, 400, 1000),
        attempt('budgeted', 2, 700, 1000),
        attempt('budgeted', 3, 300, 300, { status: 'failed', outcome: 'unexpected', error: 'boom' }),
        attempt('budgeted', 4, 400, 600),
      ],
      budgets,
    );
    assert.deepEqual(
      events.map((e) => [e.type, e.runId, e.reasons]),
      [
        ['degraded', 'budgeted-1', ['budget']],
        ['recovered-from-degraded', 'budgeted-4', ['budget']],
      ],
    );
    assert.match(events[0]!.summary, /over budget: step "Sign in" 1000 ms > 900 ms budget/);
    const period = { start: new Date(start), end: new Date(start + 86_400_000) };
    assert.deepEqual(
      (await getBudgetOverrunSummary(db.pool, period)).map((s) => [
        s.workflowId,
        s.overruns,
        s.topTarget,
        s.topCount,
        s.topMaxActualMs,
      ]),
      [['budgeted', 2, 'Sign in', 2, 1000]],
    );
  });

  test('a failed attempt costs no query and returns nothing', async () => {
    assert.equal(
      await assessExecution(db.pool, attempt('x', 0, 1, 1, { status: 'failed', outcome: 'unexpected' }), {
        budgets: null,
      }),
      null,
    );
  });
});

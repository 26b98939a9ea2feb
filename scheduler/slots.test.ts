import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exactTagGrep as fixturesGrep } from '../fixtures/workflow.ts';
import { exactTagGrep } from '../core/workflow.ts';
import { coalesce } from './coalesce.ts';
import { dueSlots, slotJobId } from './due-slots.ts';
import { judgeInvocation } from './judge.ts';
import { detectMissedRuns, missedRunEpisode, missedRunKey } from './missed-runs.ts';
import { createTimekeeper } from './timekeeper.ts';
import { schedule } from '../test/helpers/schedules.ts';

const s = schedule;
const at = (iso: string) => new Date(iso);

test('due slots: (from, to], only the latest slot of a workflow that missed several', () => {
  const slots = dueSlots(
    [s('five', '*/5 * * * *'), s('hourly', '0 * * * *'), s('minute', '* * * * *')],
    at('2025-01-01T10:00:00Z'),
    at('2025-01-01T10:12:30Z'),
    'UTC',
  );
  assert.deepEqual(
    slots.map((x) => [x.workflowId, x.slot.toISOString()]),
    [
      ['five', '2025-01-01T10:10:00.000Z'],
      ['minute', '2025-01-01T10:12:00.000Z'],
    ],
  );
  assert.deepEqual(dueSlots([s('five', '*/5 * * * *')], at('2025-01-01T10:05:00Z'), at('2025-01-01T10:05:00Z')), []);
});

test('slot job ids: same pair, same uuid; any other pair, another', () => {
  const a = slotJobId({ workflowId: 'a', slot: at('2025-01-01T10:00:00Z') });
  assert.match(a, /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.equal(a, slotJobId({ workflowId: 'a', slot: at('2025-01-01T10:00:00Z') }));
  assert.notEqual(a, slotJobId({ workflowId: 'a', slot: at('2025-01-01T10:01:00Z') }));
  assert.notEqual(a, slotJobId({ workflowId: 'b', slot: at('2025-01-01T10:00:00Z') }));
  // The ids of jobs already filed by earlier versions: a changed derivation would file a slot twice.
  assert.equal(a, '25f6348f-2b0f-5e94-b2a1-dceda0da5cc7');
  assert.equal(
    slotJobId({ workflowId: 'checkout-flow', slot: at('2026-12-01T10:05:00Z') }),
    'b73e21c5-6296-5121-9b48-676b1bfeb827',
  );
});

test('coalescing: one invocation per minute with an exact grep, oldest minute first', () => {
  const groups = coalesce([
    { workflowId: 'user-login', slot: at('2025-01-01T10:05:00Z') },
    { workflowId: 'health-check', slot: at('2025-01-01T10:05:00Z') },
    { workflowId: 'late', slot: at('2025-01-01T10:04:00Z') },
  ]);
  assert.deepEqual(
    groups.map((g) => [g.minute.toISOString(), g.workflowIds]),
    [
      ['2025-01-01T10:04:00.000Z', ['late']],
      ['2025-01-01T10:05:00.000Z', ['health-check', 'user-login']],
    ],
  );
  const grep = new RegExp(groups[1]!.grep);
  assert.ok(grep.test('Login @critical @user-login'));
  assert.ok(!grep.test('SSO @high @user-login-sso'));
  assert.equal(exactTagGrep(['a-b', 'critical']), fixturesGrep(['a-b', 'critical']));
});

test('missed runs: the last two due slots have no run for them, from any runner; one alone is not alerted; nothing before watching started', () => {
  const now = at('2025-01-01T12:00:00Z');
  const input = {
    schedules: [
      s('ok', '*/15 * * * *'),
      s('early', '*/15 * * * *'),
      s('stale', '*/15 * * * *'),
      s('never', '*/15 * * * *'),
    ],
    now,
    timezone: 'UTC',
    latest: new Map([
      // Missed one slot (11:45): counted by the reports, not alerted.
      ['ok', at('2025-01-01T11:40:00Z')],
      // The 11:45 slot is due at 11:47 (grace): a run 20 s early stands for it.
      ['early', at('2025-01-01T11:44:40Z')],
      ['stale', at('2025-01-01T11:20:00Z')],
    ]),
    watchingSince: at('2025-01-01T08:00:00Z'),
  };
  const missed = detectMissedRuns(input);
  assert.deepEqual(
    missed.map((m) => m.workflowId),
    ['stale', 'never'],
  );
  assert.equal(missedRunKey(missed[0]!), 'missed-run:stale:2025-01-01T11:20:00.000Z');
  // The recovery reads the episode back from its key.
  assert.deepEqual(missedRunEpisode(missedRunKey(missed[0]!)), {
    workflowId: 'stale',
    lastRunAt: at('2025-01-01T11:20:00Z'),
  });
  assert.deepEqual(missedRunEpisode(missedRunKey(missed[1]!)), { workflowId: 'never', lastRunAt: null });
  assert.deepEqual(
    detectMissedRuns({ ...input, watchingSince: at('2025-01-01T11:50:00Z') }).map((m) => m.workflowId),
    [],
  );
});

test('judging an invocation: rows mean recorded, only an outbox means spooled (not recorded), nothing is a pipeline failure', () => {
  const base = { code: 1, signal: null, timedOut: false, rows: 2, spooled: false, stderrTail: '' };
  assert.deepEqual(judgeInvocation(base), { kind: 'recorded', timedOut: false });
  assert.equal(judgeInvocation({ ...base, rows: null, spooled: true }).kind, 'spooled');
  assert.equal(judgeInvocation({ ...base, rows: 0, spooled: true }).kind, 'spooled');
  const crash = judgeInvocation({ ...base, code: 2, rows: 0, stderrTail: 'SyntaxError: Unexpected token\n' });
  assert.ok(crash.kind === 'pipeline-failure' && crash.reason === 'crash' && /SyntaxError/.test(crash.message));
  assert.equal((judgeInvocation({ ...base, rows: 0, timedOut: true }) as { reason: string }).reason, 'timeout');
  assert.equal((judgeInvocation({ ...base, rows: 0 }) as { reason: string }).reason, 'nothing-recorded');
});

test('timekeeper: a window it could not file (database down) names the reason for its slots; the latest slot is queued', async () => {
  let clock = at('2026-12-01T10:00:05Z');
  let down = true;
  const queued: string[] = [];
  const tk = createTimekeeper({
    schedules: () => [s('w', '*/10 * * * * *')],
    enqueue: async (slots) => {
      if (down) throw new Error('connect ECONNREFUSED');
      queued.push(...slots.map((x) => x.slot.toISOString()));
    },
    onTick: () => undefined,
    tickMs: 1000,
    catchUpMs: 0,
    now: () => clock,
    log: () => undefined,
  });
  clock = at('2026-12-01T10:00:25Z');
  await tk.tickNow();
  clock = at('2026-12-01T10:00:45Z');
  await tk.tickNow();
  assert.match(tk.unfiledReason(at('2026-12-01T10:00:40Z')) ?? '', /could not queue it: connect ECONNREFUSED/);
  down = false;
  clock = at('2026-12-01T10:00:52Z');
  await tk.tickNow();
  assert.deepEqual(queued, ['2026-12-01T10:00:50.000Z']);
  assert.match(tk.unfiledReason(at('2026-12-01T10:00:10Z')) ?? '', /could not queue it/);
  assert.equal(tk.unfiledReason(at('2026-12-01T10:00:00Z')), null, 'before the window');
  clock = at('2026-12-01T10:01:01Z');
  await tk.tickNow();
  assert.equal(tk.unfiledReason(at('2026-12-01T10:01:00Z')), null, 'a slot filed on time');
});

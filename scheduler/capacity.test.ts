import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assessCapacity, createLimit, slotMs, splitDue } from './capacity.ts';
import { schedule } from '../test/helpers/schedules.ts';

const s = schedule;
const slot = new Date('2026-12-01T10:05:00Z');

test('capacity: 1,000 journeys of 30 s every 5 minutes need 100 workers; 4 run them at 25x', () => {
  const schedules = Array.from({ length: 1000 }, (_, i) => s(`w${i}`, '*/5 * * * *'));
  const durations = new Map(schedules.map((x) => [x.workflowId, 30_000]));
  const c = assessCapacity({ schedules, durations, slots: 4, daemons: 2 });
  assert.equal(c.ratio, 25);
  assert.equal(c.known, 1000);
  assert.deepEqual(c.tooLong, []);
  assert.match(
    c.warning ?? '',
    /due work is 25\.00x what 2 daemon\(s\) can run \(4 worker\(s\) in parallel, about 100 needed\)/,
  );
  // 25 daemons of 2 x 2 share the queue: exactly full, no warning.
  assert.equal(assessCapacity({ schedules, durations, slots: 100, daemons: 25 }).warning, null);
});

test('capacity: a workflow longer than its own interval is over whatever the workers; no duration, no work', () => {
  const c = assessCapacity({
    schedules: [s('slow', '* * * * *'), s('new', '* * * * *')],
    durations: new Map([['slow', 90_000]]),
    slots: 64,
    daemons: 1,
  });
  assert.equal(c.ratio, 1.5);
  assert.equal(c.known, 1);
  assert.deepEqual(c.tooLong, [{ workflowId: 'slow', durationMs: 90_000, slotMs: 60_000 }]);
  assert.match(c.warning ?? '', /1 workflow\(s\) take longer than their interval: slow \(90 s every 60 s\)/);
  assert.equal(slotMs('0 9 * * 1-5', undefined, new Date('2026-12-01T00:00:00Z')), 86_400_000, 'the shortest gap');
});

test('splitting due work: invocations that finish within their slot; no history, one invocation', () => {
  const due = ['a', 'b', 'c', 'd', 'e'].map((workflowId) => ({ workflowId, slot }));
  const ids = (chunks: { workflowId: string }[][]) => chunks.map((c) => c.map((x) => x.workflowId).join(''));
  // 2 workers, 60 s slots, 40 s each: three fit in one invocation (60 s wall), a fourth would not.
  const forty = splitDue(
    due,
    () => 40_000,
    () => 60_000,
    2,
  );
  assert.deepEqual(ids(forty.chunks), ['abc', 'de']);
  assert.equal(forty.fits, true);
  assert.equal(forty.workMs, 200_000);
  assert.deepEqual(
    ids(
      splitDue(
        due,
        () => undefined,
        () => 60_000,
        2,
      ).chunks,
    ),
    ['abcde'],
  );
  const long = splitDue(
    due.slice(0, 2),
    () => 120_000,
    () => 60_000,
    2,
  );
  assert.deepEqual(ids(long.chunks), ['a', 'b']);
  assert.equal(long.fits, false);
  // The shortest slot among a chunk's workflows is its budget: b (30 s slot) cannot join a, and c
  // joins a again (first fit), instead of b splitting c from a.
  const mixed = splitDue(
    due.slice(0, 3),
    () => 30_000,
    (id) => (id === 'b' ? 30_000 : 600_000),
    1,
  );
  assert.deepEqual(ids(mixed.chunks), ['ac', 'b']);
  // A workflow longer than its own slot runs alone and does not split the others (the order of
  // pg-boss's batch put it between two workflows due together: they stayed one invocation).
  const overlong = splitDue(
    ['a', 'b', 'c'].map((workflowId) => ({ workflowId, slot })),
    (id) => (id === 'b' ? 5_000 : 300),
    (id) => (id === 'b' ? 3_000 : 6_000),
    2,
  );
  assert.deepEqual(ids(overlong.chunks), ['ac', 'b']);
  assert.equal(overlong.fits, false);
});

test('the invocation limit: never more than n at once, all run, in order', async () => {
  const limit = createLimit(2);
  let active = 0;
  let peak = 0;
  const order: number[] = [];
  await Promise.all(
    Array.from({ length: 7 }, (_, i) =>
      limit(async () => {
        active++;
        peak = Math.max(peak, active);
        await new Promise((r) => setTimeout(r, 5 + (i % 3) * 5));
        order.push(i);
        active--;
      }),
    ),
  );
  assert.equal(peak, 2);
  assert.equal(order.length, 7);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nextOccurrence, occurrencesBetween } from './cron.ts';
import { slotJobId } from './due-slots.ts';
import { FireQueue } from './fire-queue.ts';
import { createTimekeeper } from './timekeeper.ts';
import type { ResolvedSchedule } from './schedules.ts';
import { seededRandom } from '../test/helpers/seeded-random.ts';
import { schedule } from '../test/helpers/schedules.ts';

const s = schedule;
const crons = [
  '*/5 * * * *',
  '*/15 * * * *',
  '0 * * * *',
  '* * * * *',
  '7 */2 * * *',
  '*/10 * * * * *',
  '30 9 * * 1-5',
];

// What every tick used to compute: each schedule's occurrences in (from, to], the latest.
function reference(schedules: readonly ResolvedSchedule[], from: Date, to: Date, tz?: string) {
  const out: string[] = [];
  if (to.getTime() <= from.getTime()) return out;
  for (const x of schedules) {
    const latest = occurrencesBetween(x.cron, from, to, tz).at(-1);
    if (latest) out.push(`${latest.toISOString()} ${x.workflowId}`);
  }
  return out.sort();
}

test('fire queue: tick after tick, the same slots as computing every schedule, and the next wake-up', () => {
  const random = seededRandom(18);
  const schedules = Array.from({ length: 60 }, (_, i) => s(`w${i}`, crons[i % crons.length]!));
  for (const tz of [undefined, 'Europe/Paris']) {
    let from = new Date('2026-03-29T00:40:00.250Z'); // across the Paris DST change
    const q = new FireQueue(schedules, from, tz);
    for (let i = 0; i < 150; i++) {
      // Mostly short ticks, sometimes a long gap (a stalled loop), sometimes none.
      const step = random() < 0.1 ? 3_600_000 * random() : random() < 0.1 ? 0 : 20_000 * random();
      const to = new Date(from.getTime() + step);
      const take = q.take(to);
      const got = take.slots.map((x) => `${x.slot.toISOString()} ${x.workflowId}`);
      assert.deepEqual([...got].sort(), got, 'by slot, then id');
      assert.deepEqual(got, reference(schedules, from, to, tz), `window ${from.toISOString()}..${to.toISOString()}`);
      if (random() < 0.2) {
        take.rollback(); // the database was away: the same window comes back whole
        continue;
      }
      take.commit();
      from = to;
      const next = Math.min(...schedules.map((x) => nextOccurrence(x.cron, to, tz)!.getTime()));
      assert.equal(q.nextAfter(to), next);
    }
    assert.equal(q.size, schedules.length);
  }
});

test('fire queue: while a window waits (ticks failing), the next wake-up is still after now', () => {
  const from = new Date('2026-12-01T10:00:00Z');
  const q = new FireQueue([s('a', '*/10 * * * * *'), s('b', '0 * * * *')], from);
  const now = new Date('2026-12-01T10:00:45Z');
  q.take(now).rollback();
  assert.equal(new Date(q.nextAfter(now)!).toISOString(), '2026-12-01T10:00:50.000Z');
  const take = q.take(now);
  assert.deepEqual(
    take.slots.map((x) => x.slot.toISOString()),
    ['2026-12-01T10:00:40.000Z'],
  );
  assert.throws(() => q.take(now), /still open/);
  take.commit();
  assert.deepEqual(q.take(now).slots, [], 'nothing twice');
});

test('a tick of 2,500 due slots files them all, with their ids, and lets the event loop turn while hashing', async () => {
  const schedules = Array.from({ length: 2500 }, (_, i) => s(`w-${String(i).padStart(4, '0')}`, '*/5 * * * *'));
  let clock = new Date('2026-12-01T10:04:59.000Z');
  const filed: { slots: { workflowId: string; slot: Date }[]; ids: string[] }[] = [];
  const tk = createTimekeeper({
    schedules: () => schedules,
    enqueue: async (slots, ids) => void filed.push({ slots, ids }),
    onTick: () => undefined,
    tickMs: 15_000,
    catchUpMs: 0,
    now: () => clock,
    log: () => undefined,
  });
  tk.wakeDelay();
  clock = new Date('2026-12-01T10:05:00.001Z');
  let turned = false;
  setImmediate(() => (turned = true));
  await tk.tickNow();
  assert.ok(turned, 'the loop turned during the tick');
  assert.equal(filed.length, 1);
  const [{ slots, ids }] = filed as [(typeof filed)[number]];
  assert.equal(slots.length, 2500);
  assert.deepEqual(
    ids,
    slots.map((x) => slotJobId(x)),
  );
  assert.equal(new Set(ids).size, 2500);
  assert.ok(slots.every((x) => x.slot.toISOString() === '2026-12-01T10:05:00.000Z'));
});

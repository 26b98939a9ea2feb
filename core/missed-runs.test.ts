// The one definition of a missed run at its boundaries: the grace after a slot, the tolerance
// before it, and nothing before watching started.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dueSlots, earlyToleranceMs, missedRunGraceMs, missedSinceLastRun, ranFor } from './missed-runs.ts';

const at = (iso: string) => new Date(iso);
const slot = at('2026-11-14T10:15:00Z');
const plus = (d: Date, ms: number) => new Date(d.getTime() + ms);

test('a slot is due once more than its grace has passed; a run counts for it from the tolerance before it', () => {
  assert.equal(missedRunGraceMs, 120_000);
  assert.equal(earlyToleranceMs, 30_000);
  const from = at('2026-11-14T10:00:00Z');
  assert.deepEqual(dueSlots('*/15 * * * *', undefined, from, plus(slot, missedRunGraceMs + 1)), {
    count: 2,
    last: slot,
  });
  assert.equal(dueSlots('*/15 * * * *', undefined, from, plus(slot, missedRunGraceMs)).count, 1);
  assert.ok(ranFor(slot, plus(slot, -earlyToleranceMs)));
  assert.ok(!ranFor(slot, plus(slot, -earlyToleranceMs - 1)));
  assert.ok(!ranFor(slot, null));
});

test('overdue: the last due slot has no run for it; before watching started nothing is', () => {
  const base = { schedule: '*/15 * * * *', since: at('2026-11-14T09:00:00Z') };
  const due = plus(slot, missedRunGraceMs + 1);
  assert.deepEqual(missedSinceLastRun({ ...base, lastRunAt: at('2026-11-14T10:00:10Z'), now: due }).last, slot);
  assert.equal(missedSinceLastRun({ ...base, lastRunAt: at('2026-11-14T10:00:10Z'), now: plus(due, -1) }).last, null);
  assert.equal(missedSinceLastRun({ ...base, lastRunAt: plus(slot, -earlyToleranceMs), now: due }).last, null);
  assert.deepEqual(missedSinceLastRun({ ...base, lastRunAt: null, now: due }).last, slot);
  assert.deepEqual(
    missedSinceLastRun({ ...base, lastRunAt: at('2026-11-14T09:30:05Z'), now: due }).last,
    slot,
    'the last one',
  );
  assert.equal(
    missedSinceLastRun({ ...base, since: at('2026-11-14T10:18:00Z'), lastRunAt: null, now: due }).last,
    null,
  );
  // The same answer as the reports' reading: the last of the due slots, not run for.
  const slots = dueSlots(base.schedule, undefined, base.since, due);
  assert.equal(!ranFor(slots.last!, at('2026-11-14T10:00:10Z')), true);
});

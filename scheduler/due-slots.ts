// The timekeeper's arithmetic: which (workflow, slot) pairs came due since the last tick, and
// the job id each slot is filed under. The id is a pure function of the pair, so any number of
// daemons (or one daemon after a restart) sending the same slot create one job between them.
import { hash } from 'node:crypto';
import { DEFAULT_LOCATION } from '../core/locations.ts';
import { FireQueue } from './fire-queue.ts';
import type { ResolvedSchedule } from './schedules.ts';

export type DueSlot = { workflowId: string; slot: Date };

/**
 * Slots in (from, to]. When several slots of one workflow fall in the window (a daemon that was
 * down, a stalled loop), only the latest runs: a monitor wants the current state, not a replay
 * of every slot it missed. By slot, then workflow id. The timekeeper keeps one FireQueue across
 * ticks instead (fire-queue.ts); this builds one for a single window.
 */
export function dueSlots(schedules: readonly ResolvedSchedule[], from: Date, to: Date, timezone?: string): DueSlot[] {
  return new FireQueue(schedules, from, timezone).take(to).slots;
}

// A tick files every due slot at once (10,000 on one minute at the most), and the slots of a tick
// share a few instants: the last instant's ISO text is kept, and the hash is taken as hex (a
// Buffer result costs four times as much), its version and variant nibbles set in the text.
let lastInstant = NaN;
let lastIso = '';
const variantNibble = '89ab89ab89ab89ab';

/**
 * A UUID (version-5 layout, SHA-256 based) derived from the workflow, its slot and the location
 * whose slot it is (the default location's ids are those filed before locations existed).
 */
export function slotJobId(slot: DueSlot, location: string = DEFAULT_LOCATION): string {
  const t = slot.slot.getTime();
  if (t !== lastInstant) {
    lastIso = slot.slot.toISOString();
    lastInstant = t;
  }
  const where = location === DEFAULT_LOCATION ? '' : `${location}|`;
  const x = hash('sha256', `workflow-monitor|${where}${slot.workflowId}|${lastIso}`, 'hex');
  // Byte 6: version 5 in its high nibble; byte 8: variant 10xx in its high nibble.
  const v = variantNibble[parseInt(x[16]!, 16)]!;
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-5${x.slice(13, 16)}-${v}${x.slice(17, 20)}-${x.slice(20, 32)}`;
}

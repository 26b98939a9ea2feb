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

/**
 * A UUID (version-5 layout, SHA-256 based) derived from the workflow, its slot and the location
 * whose slot it is (the default location's ids are those filed before locations existed).
 */
export function slotJobId(slot: DueSlot, location: string = DEFAULT_LOCATION): string {
  const where = location === DEFAULT_LOCATION ? '' : `${location}|`;
  // One-shot hash: half the cost of createHash per id, and a tick files up to one id per schedule.
  const h = hash('sha256', `workflow-monitor|${where}${slot.workflowId}|${slot.slot.toISOString()}`, 'buffer');
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}

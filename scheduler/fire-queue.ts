// The timekeeper's next-fire times in a priority queue (tinyqueue's binary heap), so a tick costs
// what is due, not what exists: the earliest next slot is read in O(1), each due workflow is
// popped and pushed back with its next slot in O(log n), and each cron expression is parsed once
// (cron.ts `cronOf`). Same answer as computing every schedule's occurrences in (from, to]: only
// the latest slot of a workflow that has several in the window, at most 1000 occurrences looked at.
import TinyQueue from 'tinyqueue';
import type { Cron } from 'croner';
import { cronOf } from './cron.ts';
import type { DueSlot } from './due-slots.ts';
import type { ResolvedSchedule } from './schedules.ts';

type Entry = { workflowId: string; cron: Cron; next: number };

/** Occurrences looked at per workflow and window, as `occurrencesBetween` (its `limit`). */
const maxOccurrences = 1000;

export type Take = {
  slots: DueSlot[];
  /** The window was filed: each taken workflow waits for its first slot after `to`. */
  commit(): void;
  /** It was not (the database away): the same window is taken again by the next tick. */
  rollback(): void;
};

/**
 * From a slot `first` <= `end`: the latest slot <= `end` (at most `maxOccurrences` looked at) and
 * the first one after `end` (null when the expression never fires again).
 */
function walkFrom(cron: Cron, first: number, end: number): { latest: number; after: number | null } {
  let latest = first;
  let cursor: Date | null = new Date(first);
  for (let seen = 1; ; seen++) {
    cursor = cron.nextRun(cursor);
    if (!cursor) return { latest, after: null };
    if (cursor.getTime() > end) return { latest, after: cursor.getTime() };
    latest = cursor.getTime();
    if (seen + 1 >= maxOccurrences) return { latest, after: cron.nextRun(new Date(end))?.getTime() ?? null };
  }
}

export class FireQueue {
  private heap: TinyQueue<Entry>;
  private from: number;
  private taking = false;

  /** Every schedule's first slot after `from`. */
  constructor(schedules: readonly ResolvedSchedule[], from: Date, timezone?: string) {
    this.from = from.getTime();
    const entries: Entry[] = [];
    // One first slot per expression (cronOf returns one Cron per expression), not per schedule.
    const firsts = new Map<Cron, number | undefined>();
    for (const s of schedules) {
      const cron = cronOf(s.cron, timezone);
      if (!firsts.has(cron)) firsts.set(cron, cron.nextRun(from)?.getTime());
      const next = firsts.get(cron);
      if (next !== undefined) entries.push({ workflowId: s.workflowId, cron, next });
    }
    this.heap = new TinyQueue(entries, (a, b) => a.next - b.next);
  }

  /**
   * The earliest slot after `t` (ms), or null when no schedule has one. O(1) while the window is
   * filed up to `t`; while ticks fail (slots of the window still waiting) it looks at each schedule.
   */
  nextAfter(t: Date): number | null {
    const top = this.heap.peek();
    if (!top) return null;
    if (top.next > t.getTime()) return top.next;
    let min: number | null = null;
    for (const e of this.heap.data) {
      const at = e.next > t.getTime() ? e.next : e.cron.nextRun(t)?.getTime();
      if (at !== undefined && (min === null || at < min)) min = at;
    }
    return min;
  }

  get size(): number {
    return this.heap.length;
  }

  /**
   * The slots in (from, to], the latest per workflow, by slot then workflow id; the window moves
   * to `to` on commit. One take at a time.
   */
  take(to: Date): Take {
    if (this.taking) throw new Error('FireQueue: a take is still open');
    const end = to.getTime();
    const taken: Entry[] = [];
    const after: number[] = [];
    const slots: DueSlot[] = [];
    // Workflows often share an expression (1,000 on `*/5 * * * *`): one walk per expression and slot.
    const walks = new Map<Cron, Map<number, { latest: number; after: number | null }>>();
    if (end > this.from) {
      for (let top = this.heap.peek(); top && top.next <= end; top = this.heap.peek()) {
        const entry = this.heap.pop()!;
        let byStart = walks.get(entry.cron);
        if (!byStart) walks.set(entry.cron, (byStart = new Map()));
        let walk = byStart.get(entry.next);
        if (!walk) {
          walk = walkFrom(entry.cron, entry.next, end);
          byStart.set(entry.next, walk);
        }
        slots.push({ workflowId: entry.workflowId, slot: new Date(walk.latest) });
        taken.push(entry);
        after.push(walk.after ?? -1);
      }
    }
    slots.sort((a, b) => a.slot.getTime() - b.slot.getTime() || (a.workflowId < b.workflowId ? -1 : 1));
    this.taking = true;
    const settle = (moved: boolean) => {
      if (!this.taking) return;
      this.taking = false;
      for (let i = 0; i < taken.length; i++) {
        const entry = taken[i]!;
        if (moved) {
          // The first slot after `to`, found by the walk (none: the expression never fires again).
          if (after[i]! < 0) continue;
          entry.next = after[i]!;
        }
        this.heap.push(entry);
      }
      if (moved) this.from = Math.max(this.from, end);
    };
    return { slots, commit: () => settle(true), rollback: () => settle(false) };
  }
}

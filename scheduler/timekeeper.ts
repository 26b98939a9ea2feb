// The scheduling loop. Each tick files the slots that came due since the previous tick as
// pg-boss jobs whose ids derive from (workflow, slot), so every daemon on the database can tick
// and each slot still becomes one job. It wakes at the next due slot (or after one tick length,
// whichever is sooner), so a slot is queued within milliseconds of falling due.
//
// Why not pg-boss's own schedule() per workflow: its cron pass files occurrences in fixed
// 60-second slots and runs every cronMonitorIntervalSeconds (30 s by default), so a slot is
// queued up to half a minute late, seconds-level schedules are impossible (tests would need
// minutes per cycle), and it parses cron with cron-parser while specs are validated with croner.
// pg-boss still provides the parts that need the database: the exactly-once job, the
// per-workflow "stately" policy (one running, one waiting), retries with backoff, heartbeats that
// hand a killed daemon's slots to a live one. Housekeeping, hourly at most, uses schedule().
import { nextOccurrence } from './cron.ts';
import { dueSlots, slotJobId, type DueSlot } from './due-slots.ts';
import type { ResolvedSchedule } from './schedules.ts';

export type TimekeeperDeps = {
  schedules: () => readonly ResolvedSchedule[];
  enqueue: (slots: DueSlot[], ids: string[]) => Promise<void>;
  onTick: (ok: boolean, error: string | null, queued: number) => void;
  tickMs: number;
  catchUpMs: number;
  timezone?: string | undefined;
  now?: () => Date;
  log: (line: string) => void;
};

export type Timekeeper = {
  start(): void;
  stop(): Promise<void>;
  tickNow(): Promise<void>;
  /**
   * Why a slot was not queued when it fell due, if it fell in a window this daemon could not
   * file (the database away): only the latest slot of such a window is queued, the others are
   * recorded missed with this reason.
   */
  unfiledReason(slot: Date): string | null;
};

type Unfiled = { from: number; to: number; error: string };

export function createTimekeeper(deps: TimekeeperDeps): Timekeeper {
  const now = deps.now ?? (() => new Date());
  let checkedUntil: Date = new Date(now().getTime() - deps.catchUpMs);
  let timer: NodeJS.Timeout | undefined;
  let stopped = true;
  let ticking: Promise<void> = Promise.resolve();
  // Windows whose ticks failed, (from, to]; the open one while ticks still fail.
  const unfiled: Unfiled[] = [];
  let failing: Unfiled | null = null;

  async function tick(): Promise<void> {
    const to = now();
    try {
      const slots = dueSlots(deps.schedules(), checkedUntil, to, deps.timezone);
      if (slots.length) await deps.enqueue(slots, slots.map(slotJobId));
      // Only a tick that reached the database moves the window: a failed one is retried whole.
      if (failing) unfiled.push({ ...failing, to: to.getTime() });
      if (unfiled.length > 50) unfiled.shift();
      failing = null;
      checkedUntil = to;
      deps.onTick(true, null, slots.length);
    } catch (error) {
      const message = (error as Error).message;
      failing = { from: failing?.from ?? checkedUntil.getTime(), to: Infinity, error: message };
      deps.log(`tick failed (will retry the same window): ${message}`);
      deps.onTick(false, message, 0);
    }
  }

  function wakeDelay(): number {
    const from = now();
    let next = from.getTime() + deps.tickMs;
    for (const s of deps.schedules()) {
      const at = nextOccurrence(s.cron, from, deps.timezone)?.getTime();
      if (at !== undefined && at < next) next = at;
    }
    // A few ms past the slot, so the tick that wakes sees it as due.
    return Math.max(5, next - from.getTime() + 5);
  }

  function loop(): void {
    if (stopped) return;
    ticking = tick().finally(() => {
      if (!stopped) timer = setTimeout(loop, wakeDelay());
    });
  }

  return {
    start() {
      if (!stopped) return;
      stopped = false;
      loop();
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await ticking;
    },
    tickNow: () => tick(),
    unfiledReason(slot) {
      const t = slot.getTime();
      const w = [...unfiled, ...(failing ? [failing] : [])].find((u) => t > u.from && t <= u.to);
      return w ? `the daemon could not queue it: ${w.error}` : null;
    },
  };
}

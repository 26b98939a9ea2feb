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
import { slotJobId, type DueSlot } from './due-slots.ts';
import { FireQueue } from './fire-queue.ts';
import type { ResolvedSchedule } from './schedules.ts';

export type TimekeeperDeps = {
  schedules: () => readonly ResolvedSchedule[];
  enqueue: (slots: DueSlot[], ids: string[]) => Promise<void>;
  onTick: (ok: boolean, error: string | null, queued: number) => void;
  tickMs: number;
  catchUpMs: number;
  /** MONITOR_LOCATION: the job ids are this location's (due-slots.ts slotJobId). */
  location?: string;
  timezone?: string | undefined;
  now?: () => Date;
  log: (line: string) => void;
};

export type Timekeeper = {
  start(): void;
  stop(): Promise<void>;
  tickNow(): Promise<void>;
  /** How long the loop sleeps now: until the next due slot, at most one tick length (and the bench's clock). */
  wakeDelay(): number;
  /**
   * Why a slot was not queued when it fell due, if it fell in a window this daemon could not
   * file (the database away): only the latest slot of such a window is queued, the others are
   * recorded missed with this reason.
   */
  unfiledReason(slot: Date): string | null;
};

type Unfiled = { from: number; to: number; error: string };

/** Slots whose job ids are hashed in one go before the loop is let go (about 1-2 ms of SHA-256). */
const idChunk = 1000;

/**
 * The job ids of a tick's slots, yielding to the event loop between chunks: when 10,000 schedules
 * fall due in one minute, hashing their ids at once would hold every other callback (HTTP, heartbeats) for tens of ms.
 */
async function jobIdsOf(slots: readonly DueSlot[], location: string | undefined): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < slots.length; i++) {
    if (i > 0 && i % idChunk === 0) await new Promise((resolve) => setImmediate(resolve));
    ids.push(slotJobId(slots[i]!, location));
  }
  return ids;
}

export function createTimekeeper(deps: TimekeeperDeps): Timekeeper {
  const now = deps.now ?? (() => new Date());
  let checkedUntil: Date = new Date(now().getTime() - deps.catchUpMs);
  let timer: NodeJS.Timeout | undefined;
  let stopped = true;
  let ticking: Promise<void> = Promise.resolve();
  // Windows whose ticks failed, (from, to]; the open one while ticks still fail.
  const unfiled: Unfiled[] = [];
  let failing: Unfiled | null = null;
  // The next-fire times (fire-queue.ts), rebuilt from the window's start when the schedules change
  // (a rediscovery hands a new array): a tick then costs what is due, not what exists.
  let queue: FireQueue | null = null;
  let queuedFor: readonly ResolvedSchedule[] | null = null;
  const fireQueue = (): FireQueue => {
    const list = deps.schedules();
    if (!queue || list !== queuedFor) {
      queue = new FireQueue(list, checkedUntil, deps.timezone);
      queuedFor = list;
    }
    return queue;
  };

  async function tick(): Promise<void> {
    const to = now();
    let take: ReturnType<FireQueue['take']> | null = null;
    try {
      take = fireQueue().take(to);
      const slots = take.slots;
      if (slots.length) await deps.enqueue(slots, await jobIdsOf(slots, deps.location));
      take.commit();
      // Only a tick that reached the database moves the window: a failed one is retried whole.
      if (failing) unfiled.push({ ...failing, to: to.getTime() });
      if (unfiled.length > 50) unfiled.shift();
      failing = null;
      checkedUntil = to;
      deps.onTick(true, null, slots.length);
    } catch (error) {
      take?.rollback();
      const message = (error as Error).message;
      failing = { from: failing?.from ?? checkedUntil.getTime(), to: Infinity, error: message };
      deps.log(`tick failed (will retry the same window): ${message}`);
      deps.onTick(false, message, 0);
    }
  }

  function wakeDelay(): number {
    const from = now();
    let next = from.getTime() + deps.tickMs;
    const at = fireQueue().nextAfter(from);
    if (at !== null && at < next) next = at;
    // A few ms past the slot, so the tick that wakes sees it as due.
    return Math.max(5, next - from.getTime() + 5);
  }

  // One tick at a time (the loop's and tickNow's): a take of the fire queue is open until its enqueue settles.
  let last: Promise<void> = Promise.resolve();
  const serialTick = (): Promise<void> => (last = last.catch(() => undefined).then(tick));

  function loop(): void {
    if (stopped) return;
    ticking = serialTick().finally(() => {
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
    tickNow: () => serialTick(),
    wakeDelay,
    unfiledReason(slot) {
      const t = slot.getTime();
      const w = [...unfiled, ...(failing ? [failing] : [])].find((u) => t > u.from && t <= u.to);
      return w ? `the daemon could not queue it: ${w.error}` : null;
    },
  };
}

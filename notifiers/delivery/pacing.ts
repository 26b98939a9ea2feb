// Keeps a burst under each platform's rate per target (Slack about 1/s per webhook, Discord
// 5 per 2 s, Teams 4/s). Requests wait in arrival order; one may start while fewer than
// `limit` requests are in flight or finished within the last `windowMs`. Counting from when a
// request *finished* (not when it started) guarantees the spacing where the platform measures
// it, whatever the network's jitter. A burst is delayed, never dropped, unless its wait would
// exceed the queue bound. Within one process only: across processes, 429 + Retry-After is the
// backstop.
import type { Rate } from '../channel.ts';

/** Call when the request is over (answered, failed or abandoned). Idempotent. */
export type Release = () => void;

export type SlotResult = Release | 'throttled' | 'aborted';

export type Pacer = {
  acquire(key: string, rate: Rate, options: { maxWaitMs: number; signal?: AbortSignal }): Promise<SlotResult>;
  /** The platform said "wait" (429 Retry-After): nothing starts for this key before then. */
  pause(key: string, ms: number): void;
};

type Waiter = { start: () => void };

type KeyState = {
  rate: Rate;
  active: number;
  finished: number[];
  queue: Waiter[];
  timer: NodeJS.Timeout | null;
  holdUntil: number;
};

export function createPacer(clock: () => number = () => performance.now()): Pacer {
  const keys = new Map<string, KeyState>();

  function recent(state: KeyState, now: number): number[] {
    state.finished = state.finished.filter((t) => t > now - state.rate.windowMs);
    return state.finished;
  }

  /** A lower bound of the wait for a newcomer: refuse at once what cannot make it in time. */
  function leastWait(state: KeyState, now: number): number {
    const limit = Math.max(1, state.rate.limit);
    const done = recent(state, now);
    const ahead = state.queue.length + state.active + done.length;
    const held = Math.max(0, state.holdUntil - now);
    if (ahead < limit) return held;
    const freed = done[0] === undefined ? 0 : Math.max(0, done[0] + state.rate.windowMs - now);
    return Math.max(held, (Math.floor(ahead / limit) - 1) * state.rate.windowMs + freed);
  }

  function pump(state: KeyState): void {
    if (state.timer) {
      clearTimeout(state.timer);
      state.timer = null;
    }
    const limit = Math.max(1, state.rate.limit);
    while (state.queue.length > 0) {
      const now = clock();
      if (now < state.holdUntil) {
        state.timer = setTimeout(() => pump(state), Math.ceil(state.holdUntil - now) + 1);
        state.timer.unref();
        return;
      }
      const done = recent(state, now);
      if (state.active + done.length < limit) {
        state.active += 1;
        state.queue.shift()?.start();
        continue;
      }
      // Full: a finished request ageing out of the window frees a place; an active one
      // finishing calls pump again.
      const oldest = done[0];
      if (oldest !== undefined) {
        // +1: timers may fire a hair early, and the platform counts on its own clock.
        state.timer = setTimeout(() => pump(state), Math.ceil(oldest + state.rate.windowMs - now) + 1);
        // The waiters' own deadlines keep the process alive while anyone waits; this need not.
        state.timer.unref();
      }
      return;
    }
  }

  function stateOf(key: string, rate: Rate): KeyState {
    let state = keys.get(key);
    if (!state) {
      state = { rate, active: 0, finished: [], queue: [], timer: null, holdUntil: 0 };
      keys.set(key, state);
    }
    return state;
  }

  return {
    pause(key, ms) {
      const state = keys.get(key);
      if (state) state.holdUntil = Math.max(state.holdUntil, clock() + ms);
    },
    acquire(key, rate, { maxWaitMs, signal }) {
      if (signal?.aborted) return Promise.resolve('aborted');
      const s = stateOf(key, rate);
      s.rate = rate;
      if (leastWait(s, clock()) > maxWaitMs) return Promise.resolve('throttled');

      return new Promise<SlotResult>((resolve) => {
        let settled = false;
        const waiter: Waiter = {
          start: () => {
            settled = true;
            cleanup();
            let released = false;
            resolve(() => {
              if (released) return;
              released = true;
              s.active -= 1;
              s.finished.push(clock());
              pump(s);
            });
          },
        };
        const leave = (result: 'throttled' | 'aborted') => {
          if (settled) return;
          settled = true;
          cleanup();
          const i = s.queue.indexOf(waiter);
          if (i >= 0) s.queue.splice(i, 1);
          if (s.queue.length === 0 && s.timer) {
            clearTimeout(s.timer);
            s.timer = null;
          }
          resolve(result);
        };
        const onAbort = () => leave('aborted');
        const deadline = setTimeout(() => leave('throttled'), maxWaitMs);
        function cleanup() {
          clearTimeout(deadline);
          signal?.removeEventListener('abort', onAbort);
        }
        signal?.addEventListener('abort', onAbort, { once: true });
        s.queue.push(waiter);
        pump(s);
      });
    },
  };
}

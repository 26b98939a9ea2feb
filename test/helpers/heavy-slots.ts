// Machine-wide slots for the heaviest work of the suite (a real `playwright test` with Chromium):
// test/run.ts runs many files at once, most of which mostly wait (schedules, timeouts, sinks),
// and hands its children TEST_HEAVY_SLOTS, the address of a tiny slot server it runs. A test that
// starts browsers takes a slot first (withHeavySlot), so that no more than N suites drive
// Chromium at once, whatever the files' concurrency. A slot is a TCP connection: granted when the
// server writes a line, given back when it closes, so a test process that dies frees its slot.
// Without TEST_HEAVY_SLOTS (a file run with plain `node --test`) nothing waits.
import { createConnection, createServer, type Socket } from 'node:net';

export type SlotStats = { granted: number; heldSeconds: number; waitedSeconds: number; longestWaitSeconds: number };
export type SlotServer = { address: string; stats: () => SlotStats; close: () => Promise<void> };

export type SlotOptions = {
  /**
   * Whether one more slot may be granted now, beyond the first (test/helpers/load-gate.ts);
   * `previousHeld`: the holder granted last still holds its slot (a file that already ended
   * needs no time for the load samples to see what it started).
   */
  admit?: (previousHeld: boolean) => boolean;
  /** A free slot held back this long by `admit` is granted whatever it says (default 60 s). */
  maxWaitMs?: number;
};

export async function startSlotServer(slots: number, options: SlotOptions = {}): Promise<SlotServer> {
  const maxWaitMs = options.maxWaitMs ?? 60_000;
  // Since when a free slot has been held back by `admit`.
  let heldBack: number | undefined;
  const waiting: Socket[] = [];
  let lastGranted: Socket | undefined;
  const holding = new Set<Socket>();
  // When each socket asked and when it was granted, for stats(): how busy the slots were.
  const asked = new Map<Socket, number>();
  const grantedAt = new Map<Socket, number>();
  const stats: SlotStats = { granted: 0, heldSeconds: 0, waitedSeconds: 0, longestWaitSeconds: 0 };
  const grant = () => {
    while (holding.size < slots && waiting.length > 0) {
      const next = waiting[0]!;
      const now = performance.now();
      const waitedMs = now - (asked.get(next) ?? now);
      if (!next.destroyed && options.admit && holding.size > 0 && now - (heldBack ?? now) < maxWaitMs) {
        if (!options.admit(lastGranted !== undefined && holding.has(lastGranted))) {
          heldBack ??= now;
          break;
        }
      }
      heldBack = undefined;
      waiting.shift();
      if (next.destroyed) continue;
      holding.add(next);
      lastGranted = next;
      const waited = waitedMs / 1000;
      grantedAt.set(next, now);
      stats.granted++;
      stats.waitedSeconds += waited;
      stats.longestWaitSeconds = Math.max(stats.longestWaitSeconds, waited);
      next.write('go\n');
    }
  };
  const server = createServer((socket) => {
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      const at = grantedAt.get(socket);
      if (at !== undefined) stats.heldSeconds += (performance.now() - at) / 1000;
      grantedAt.delete(socket);
      asked.delete(socket);
      holding.delete(socket);
      const i = waiting.indexOf(socket);
      if (i >= 0) waiting.splice(i, 1);
      grant();
    });
    asked.set(socket, performance.now());
    waiting.push(socket);
    grant();
  });
  // A gated server looks again while requests wait (the load goes down without a slot closing).
  const retry = options.admit ? setInterval(() => waiting.length > 0 && grant(), 250) : undefined;
  retry?.unref();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  // Never what keeps test/run.ts alive.
  server.unref();
  const port = (server.address() as { port: number }).port;
  return {
    address: `127.0.0.1:${port}`,
    stats: () => ({ ...stats }),
    close: () =>
      new Promise<void>((resolve) => {
        clearInterval(retry);
        for (const s of [...holding, ...waiting]) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Runs `work` holding one of test/run.ts's heavy slots (at once when there is no slot server). */
export async function withHeavySlot<T>(work: () => Promise<T>): Promise<T> {
  const address = process.env.TEST_HEAVY_SLOTS;
  if (!address) return work();
  const [host, port] = address.split(':');
  const socket = createConnection({ host: host!, port: Number(port) });
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.once('data', () => resolve());
    });
    return await work();
  } finally {
    socket.destroy();
  }
}

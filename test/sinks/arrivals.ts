// What the sinks record arrives while a test waits: a list that grows and a set of waiters woken
// on every arrival (`for (const wake of waiters) wake()`), for both the HTTP and the SMTP sink.
export type Arrivals<T> = { items: T[]; waiters: Set<() => void>; label: string; noun: string };

/** The first `count` items once they have arrived; rejects after `timeoutMs` saying how many came. */
export function waitForArrivals<T>(a: Arrivals<T>, count: number, timeoutMs: number): Promise<T[]> {
  const { items, waiters } = a;
  if (items.length >= count) return Promise.resolve(items.slice(0, count));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      waiters.delete(check);
      reject(new Error(`${a.label}: ${items.length} of ${count} ${a.noun} after ${timeoutMs} ms`));
    }, timeoutMs);
    const check = () => {
      if (items.length < count) return;
      clearTimeout(timer);
      waiters.delete(check);
      resolve(items.slice(0, count));
    };
    waiters.add(check);
  });
}

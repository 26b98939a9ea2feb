import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createPacer, type Release } from './pacing.ts';

test('at most `limit` requests in any window, counted from when they finished, in arrival order', async () => {
  const pacer = createPacer();
  const rate = { limit: 5, windowMs: 300 };
  const starts: number[] = [];
  const ends: number[] = [];
  await Promise.all(
    Array.from({ length: 12 }, async (_, i) => {
      await sleep(i); // arrival order
      const release = await pacer.acquire('discord', rate, { maxWaitMs: 10_000 });
      assert.equal(typeof release, 'function');
      starts[i] = performance.now();
      await sleep(20);
      ends[i] = performance.now();
      (release as Release)();
    }),
  );
  for (let i = 1; i < 12; i += 1) assert.ok((starts[i] ?? 0) >= (starts[i - 1] ?? 0), 'in order');
  for (let i = 5; i < 12; i += 1) {
    assert.ok(
      (starts[i] ?? 0) - (ends[i - 5] ?? 0) >= 300,
      `start ${i} only ${((starts[i] ?? 0) - (ends[i - 5] ?? 0)).toFixed(1)} ms after end ${i - 5}`,
    );
  }
});

test('keys are paced independently', async () => {
  const pacer = createPacer();
  const rate = { limit: 1, windowMs: 60_000 };
  const a = await pacer.acquire('a', rate, { maxWaitMs: 100_000 });
  const b = await pacer.acquire('b', rate, { maxWaitMs: 100_000 });
  assert.equal(typeof a, 'function');
  assert.equal(typeof b, 'function');
});

test('a wait beyond the queue bound is refused at once; an aborted wait leaves the queue', async () => {
  const pacer = createPacer();
  const rate = { limit: 1, windowMs: 60_000 };
  const first = await pacer.acquire('k', rate, { maxWaitMs: 0 });
  assert.equal(typeof first, 'function');
  (first as Release)();
  assert.equal(await pacer.acquire('k', rate, { maxWaitMs: 1000 }), 'throttled');
  const controller = new AbortController();
  const waiting = pacer.acquire('k', rate, { maxWaitMs: 120_000, signal: controller.signal });
  controller.abort();
  assert.equal(await waiting, 'aborted');
});

test('a pause (Retry-After) holds every waiter of that key', async () => {
  const pacer = createPacer();
  const rate = { limit: 10, windowMs: 1000 };
  const first = await pacer.acquire('k', rate, { maxWaitMs: 0 });
  (first as Release)();
  const paused = performance.now();
  pacer.pause('k', 300);
  assert.equal(await pacer.acquire('k', rate, { maxWaitMs: 100 }), 'throttled');
  const next = await pacer.acquire('k', rate, { maxWaitMs: 5000 });
  assert.equal(typeof next, 'function');
  assert.ok(performance.now() - paused >= 300);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { byteLength, fitEscaped, packInOrder, truncate, truncateBytes } from './limits.ts';

test('truncate leaves short text alone and cuts long text with a marker, within the limit', () => {
  assert.equal(truncate('short', 10), 'short');
  for (const max of [1, 5, 20, 37, 100, 3000]) {
    const out = truncate('x'.repeat(20_000), max);
    assert.ok(out.length <= max, `max ${max}`);
    if (max >= 40) assert.match(out, /^x+… \[truncated [\d,]+ chars\]$/);
  }
  assert.equal(truncate('x'.repeat(20_000), 100).match(/truncated ([\d,]+)/)?.[1], '19,926');
});

test('truncate never splits a surrogate pair', () => {
  const text = '🌾'.repeat(5000);
  for (let max = 30; max < 60; max += 1) {
    const out = truncate(text, max);
    assert.ok(out.length <= max);
    assert.ok(!/[\ud800-\udbff](?![\udc00-\udfff])/.test(out), `lone surrogate at max ${max}`);
  }
});

test('truncateBytes counts UTF-8 bytes', () => {
  const out = truncateBytes('ü🌾'.repeat(10_000), 1000);
  assert.ok(byteLength(out) <= 1000);
  assert.match(out, /truncated/);
});

test('fitEscaped fits after escaping', () => {
  const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const out = fitEscaped('<&'.repeat(5000), 3000, escape);
  assert.ok(out.length <= 3000);
  assert.ok(!/&(?!amp;|lt;)/.test(out), 'no broken entity');
});

test('packInOrder keeps order and budgets', () => {
  const groups = packInOrder([5, 5, 5, 11, 1, 1], (n) => n, 10);
  assert.deepEqual(groups, [[5, 5], [5], [11], [1, 1]]);
  assert.deepEqual(
    packInOrder([1, 1, 1], (n) => n, 100, 2),
    [[1, 1], [1]],
  );
});

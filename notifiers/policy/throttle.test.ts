// Rule 9: per channel, at most maxPerHour in any hour and maxPerDay in any day.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decideThrottle, throttleRule } from './throttle.ts';

const limits = { maxPerHour: 10, maxPerDay: 100 };
const cases: Array<[number, number, boolean, RegExp?]> = [
  [0, 0, false],
  [9, 9, false],
  [10, 10, true, /10 alerts in the last hour.*max 10/],
  [3, 99, false],
  [3, 100, true, /100 alerts in the last day.*max 100/],
  [12, 150, true, /last hour/],
];

for (const [lastHour, lastDay, throttled, reason] of cases) {
  test(`${lastHour} this hour, ${lastDay} today -> ${throttled ? 'throttled' : 'sent'}`, () => {
    const v = decideThrottle({ lastHour, lastDay }, limits);
    assert.equal(v.throttled, throttled);
    if (v.throttled) assert.match(v.reason, reason ?? /./);
  });
}

test('the rule handed to the database applies the configured limits', () => {
  const rule = throttleRule({ maxPerHour: 1, maxPerDay: 5 });
  assert.equal(rule({ lastHour: 0, lastDay: 0 }).throttled, false);
  assert.equal(rule({ lastHour: 1, lastDay: 1 }).throttled, true);
});

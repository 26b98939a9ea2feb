// Rules resolve in layers: defaults < priority < tags (sorted); overrides are checked strictly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPolicyEngine, reviveAlert } from './engine.ts';
import { defaultPolicy, mergePolicy, policyOverrideSchema, resolveRules } from './rules.ts';
import { at } from '../../test/helpers/policy.ts';

const cases: Array<{
  name: string;
  priority: 'critical' | 'high' | 'medium' | 'low';
  tags: string[];
  expect: [number, number, number];
}> = [
  { name: 'critical defaults', priority: 'critical', tags: [], expect: [1, 1, 60] },
  { name: 'other priorities', priority: 'medium', tags: [], expect: [2, 2, 60] },
  { name: 'a tag beats the priority', priority: 'critical', tags: ['@slow'], expect: [3, 1, 60] },
  { name: 'tags with or without @', priority: 'low', tags: ['nightly'], expect: [5, 2, 240] },
  {
    name: 'tags apply in sorted order, the later wins',
    priority: 'low',
    tags: ['@slow', '@nightly'],
    expect: [3, 2, 240],
  },
];

const policy = mergePolicy(defaultPolicy, {
  byTag: {
    slow: { down: { consecutiveFailures: 3 } },
    '@nightly': { reminderMinutes: 240, down: { consecutiveFailures: 5 } },
  },
});

for (const c of cases) {
  test(`resolveRules: ${c.name}`, () => {
    const r = resolveRules(policy, c.priority, c.tags);
    assert.deepEqual([r.down.consecutiveFailures, r.up.consecutivePasses, r.reminderMinutes], c.expect);
  });
}

test('overrides merge field by field and keep the rest of the defaults', () => {
  const p = mergePolicy(defaultPolicy, {
    byPriority: { critical: { up: { consecutivePasses: 3 } } },
    rules: { down: { windowMinutes: 30 } },
  });
  const r = resolveRules(p, 'critical', []);
  assert.deepEqual(
    [r.down.consecutiveFailures, r.up.consecutivePasses, r.down.windowMinutes, r.down.windowFailures],
    [1, 3, 30, 3],
  );
});

test('the override schema rejects typos and nonsense', () => {
  assert.equal(policyOverrideSchema.safeParse({ rules: { down: { consecutiveFailures: 0 } } }).success, false);
  assert.equal(policyOverrideSchema.safeParse({ rules: { flaky: { threshold: 2 } } }).success, false);
  assert.equal(policyOverrideSchema.safeParse({ byPriority: { urgent: {} } }).success, false);
  assert.equal(policyOverrideSchema.safeParse({ routes: { high: ['sms'] } }).success, false);
  assert.equal(policyOverrideSchema.safeParse({ maintenance: [] }).success, false);
  assert.equal(policyOverrideSchema.safeParse({ byTag: { '@x': { flapping: { maxChanges: 5 } } } }).success, true);
});

test('the engine keeps alerts intact through JSON (held alerts wait in jsonb)', () => {
  const engine = createPolicyEngine(defaultPolicy);
  const alert = {
    kind: 'digest' as const,
    title: 't',
    priority: 'high' as const,
    at: at(0),
    items: [{ workflowId: 'a', name: 'A', priority: 'high' as const, status: 'failed', at: at(1) }],
  };
  assert.deepEqual(reviveAlert(engine.toJson(alert)), alert);
  assert.equal(engine.holdMs, 30_000);
  assert.ok(engine.historyRuns >= defaultPolicy.rules.flaky.windowRuns);
});

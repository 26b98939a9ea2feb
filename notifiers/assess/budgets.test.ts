import assert from 'node:assert/strict';
import { test } from 'node:test';
import { budgetsFromAnnotations, checkBudgets, describeOverruns } from './budgets.ts';

const steps = [
  { title: 'Open', durationMs: 300 },
  { title: 'Sign in', durationMs: 800 },
  { title: 'Sign in', durationMs: 400 },
];

test('budgets come from the annotation fixtures/workflow.ts writes', () => {
  assert.deepEqual(budgetsFromAnnotations([{ type: 'workflow', description: 'x' }]), { ok: true, budgets: null });
  assert.deepEqual(
    budgetsFromAnnotations([{ type: 'budgets', description: '{"totalMs":2000,"steps":{"Sign in":1000}}' }]),
    { ok: true, budgets: { totalMs: 2000, steps: { 'Sign in': 1000 } } },
  );
  assert.deepEqual(budgetsFromAnnotations([{ type: 'budgets', description: '{}' }]), { ok: true, budgets: null });
  assert.equal(budgetsFromAnnotations([{ type: 'budgets', description: 'nope' }]).ok, false);
  const bad = budgetsFromAnnotations([{ type: 'budgets', description: '{"totalMs":-1,"extra":1}' }]);
  assert.ok(!bad.ok && /totalMs/.test(bad.problem));
});

test('a passing attempt over a budget: whole run and per step title (repeated steps add up)', () => {
  const check = checkBudgets(
    { totalMs: 1400, steps: { 'Sign in': 1000, Open: 300, Missing: 1 } },
    { status: 'passed', durationMs: 1500, steps },
  );
  assert.deepEqual(check, {
    applies: true,
    overruns: [
      { scope: 'total', title: null, budgetMs: 1400, actualMs: 1500 },
      { scope: 'step', title: 'Sign in', budgetMs: 1000, actualMs: 1200 },
    ],
  });
  assert.equal(
    describeOverruns(check.overruns),
    'whole run 1500 ms > 1400 ms budget; step "Sign in" 1200 ms > 1000 ms budget',
  );
});

test('exactly on budget, a failure, or no budgets: nothing to record', () => {
  assert.deepEqual(checkBudgets({ totalMs: 1500 }, { status: 'passed', durationMs: 1500, steps }), {
    applies: true,
    overruns: [],
  });
  assert.deepEqual(checkBudgets({ totalMs: 10 }, { status: 'failed', durationMs: 1500, steps }), {
    applies: false,
    overruns: [],
  });
  assert.deepEqual(checkBudgets(null, { status: 'passed', durationMs: 1500, steps }), { applies: false, overruns: [] });
});

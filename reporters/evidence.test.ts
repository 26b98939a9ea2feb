// The fixture's records placed in the steps during which they happened, from the whole
// attachment or, before the fixture's teardown, from the early events; the cause in the row.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TestCase, TestResult, TestStep } from '@playwright/test/reporter';
import { toEvidence } from './evidence.ts';
import { toExecution } from './map-result.ts';

const t0 = Date.parse('2026-12-01T10:00:00Z');
const step = (title: string, startOffset: number, duration: number, error?: string): TestStep =>
  ({
    title,
    category: 'test.step',
    startTime: new Date(t0 + startOffset),
    duration,
    error: error ? { message: error } : undefined,
    steps: [],
  }) as unknown as TestStep;
const json = (name: string, value: unknown) => ({
  name,
  contentType: 'application/json',
  body: Buffer.from(JSON.stringify(value)),
});

const steps = [
  step('Open checkout', 0, 1000),
  step('Place order', 1000, 3000, 'Error: the order was not placed: still on /checkout after 15 s'),
];
const orderFailed = {
  kind: 'http-status',
  at: t0 + 1500,
  method: 'POST',
  path: '/api/orders',
  resourceType: 'fetch',
  status: 500,
  durationMs: 19,
};
const records = [
  { kind: 'navigation', at: t0 + 100, path: '/checkout', status: 200, durationMs: 12 },
  orderFailed,
  { kind: 'console-error', at: t0 + 5000, message: 'late', path: '/checkout' },
  { kind: 'made-up', at: t0 + 10 },
];

test('records land in the step whose span holds their time; unknown kinds are dropped', () => {
  const items = toEvidence({ steps, attachments: [json('workflow-evidence', { version: 1, records, dropped: {} })] })!;
  assert.deepEqual(
    items.map((i) => [i.kind, i.step]),
    [
      ['navigation', 'Open checkout'],
      ['http-status', 'Place order'],
      ['console-error', null],
    ],
  );
  assert.equal(items[1]!.path, '/api/orders');
  assert.equal(items[1]!.status, 500);
});

test('before the teardown, the early events are the evidence', () => {
  const items = toEvidence({ steps, attachments: [json('workflow-evidence-event', orderFailed)] })!;
  assert.deepEqual(
    items.map((i) => [i.kind, i.step, i.status]),
    [['http-status', 'Place order', 500]],
  );
  assert.equal(toEvidence({ steps, attachments: [] }), null, 'no attachment: the fixture was off');
});

test('a failed attempt carries its cause, the deciding line and the evidence; a passing one neither', () => {
  const fakeTest = {
    id: 't1',
    title: 'Order Placement',
    tags: ['@critical', '@order-placement'],
    annotations: [],
    outcome: () => 'unexpected',
  } as unknown as TestCase;
  const result = {
    retry: 0,
    status: 'failed',
    duration: 4000,
    startTime: new Date(t0),
    steps,
    errors: [{ message: steps[1]!.error!.message }],
    attachments: [json('workflow-evidence', { version: 1, records, dropped: {} })],
  } as unknown as TestResult;
  const rec = toExecution('run_1', fakeTest, result, { tracePath: null, screenshotPath: null });
  assert.equal(rec.cause, 'http-error');
  assert.equal(rec.causeLine, "POST /api/orders answered 500 during 'Place order'");
  assert.equal(rec.evidence?.length, 3);
  const passed = toExecution(
    'run_1',
    fakeTest,
    { ...result, status: 'passed', errors: [], steps: [step('Open checkout', 0, 1000)] } as unknown as TestResult,
    { tracePath: null, screenshotPath: null },
  );
  assert.equal(passed.cause, null);
  assert.equal(passed.evidence, null);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TestCase, TestResult, TestStep } from '@playwright/test/reporter';
import { cleanError, performanceScore, toExecution, toHealth, userSteps, workflowIdentity } from './map-result.ts';

const step = (title: string, category: string, duration: number, error?: string): TestStep =>
  ({
    title,
    category,
    duration,
    error: error ? { message: error } : undefined,
    steps: [],
    startTime: new Date(),
    annotations: [],
    attachments: [],
    titlePath: () => [title],
  }) as unknown as TestStep;

const json = (name: string, value: unknown) => ({
  name,
  contentType: 'application/json',
  body: Buffer.from(JSON.stringify(value)),
});

function fakeTest(outcome: ReturnType<TestCase['outcome']> = 'unexpected'): TestCase {
  return {
    id: 'abc123def456',
    title: 'User Login',
    tags: ['@critical', '@user-login', '@auth'],
    annotations: [
      { type: 'workflow', description: 'user-login' },
      { type: 'priority', description: 'critical' },
      { type: 'schedule', description: '*/15 * * * *' },
      { type: 'workflow-type', description: 'AUTHENTICATION' },
    ],
    outcome: () => outcome,
  } as unknown as TestCase;
}

function fakeResult(overrides: Partial<TestResult> = {}): TestResult {
  return {
    retry: 0,
    status: 'failed',
    duration: 5234.6,
    startTime: new Date('2026-11-28T10:30:45Z'),
    steps: [
      step('Before Hooks', 'hook', 300),
      step('Open login page', 'test.step', 800),
      step('Enter credentials', 'test.step', 120),
      step('expect', 'expect', 3),
      step('Sign in', 'test.step', 5000, '\u001b[31mError: the login form has no "Sign In" button\u001b[39m'),
    ],
    errors: [{ message: '\u001b[31mError: the login form has no "Sign In" button\u001b[39m' }],
    error: { message: '\u001b[31mError: the login form has no "Sign In" button\u001b[39m' },
    attachments: [
      json('workflow-metrics', {
        ttfbMs: 12.5,
        pageLoadMs: 80,
        domContentLoadedMs: 60,
        lcpMs: 120,
        cls: 0,
        apiResponseTimeMs: 7.5,
        jsHeapUsedMb: 3.2,
      }),
      { name: 'trace', contentType: 'application/zip', path: '/tmp/out/trace.zip' },
      { name: 'screenshot', contentType: 'image/png', path: '/tmp/out/test-failed-1.png' },
    ],
    stdout: [],
    stderr: [],
    parallelIndex: 0,
    workerIndex: 0,
    annotations: [],
    ...overrides,
  } as unknown as TestResult;
}

test('a failed attempt maps to one execution with user steps, clean error and metrics', () => {
  const rec = toExecution('run_1_abc', fakeTest(), fakeResult(), {
    tracePath: '/durable/trace.zip',
    screenshotPath: '/durable/shot.png',
  });
  assert.equal(rec.workflowId, 'user-login');
  assert.equal(rec.priority, 'critical');
  assert.equal(rec.type, 'AUTHENTICATION');
  assert.deepEqual(rec.tags, ['critical', 'user-login', 'auth']);
  assert.equal(rec.status, 'failed');
  assert.equal(rec.outcome, 'unexpected');
  assert.equal(rec.durationMs, 5235);
  assert.deepEqual(
    rec.steps.map((s) => s.title),
    ['Open login page', 'Enter credentials', 'Sign in'],
  );
  assert.deepEqual([rec.totalSteps, rec.passedSteps, rec.failedSteps], [3, 2, 1]);
  assert.equal(rec.failedStep, 'Sign in');
  assert.equal(rec.error, 'Error: the login form has no "Sign In" button');
  assert.equal(rec.tracePath, '/durable/trace.zip');
  assert.equal(rec.metrics?.ttfbMs, 12.5);
  assert.equal(rec.metrics?.apiResponseTimeMs, 7.5);
  assert.equal(rec.metrics?.memoryUsageMb, 3.2);
  assert.equal(rec.metrics?.performanceScore, 100);
  assert.equal(rec.health, null);
});

test('a passing retry is recorded with the flaky outcome', () => {
  const rec = toExecution(
    'r',
    fakeTest('flaky'),
    fakeResult({
      retry: 1,
      status: 'passed',
      errors: [],
      error: undefined,
      steps: [step('Open login page', 'test.step', 10)],
    }),
    { tracePath: null, screenshotPath: null },
  );
  assert.equal(rec.retry, 1);
  assert.equal(rec.outcome, 'flaky');
  assert.equal(rec.error, null);
  assert.equal(rec.failedStep, null);
});

test('health payloads become a health-check row', () => {
  const degraded = toHealth({
    attachments: [
      json('health-payload', {
        httpStatus: 200,
        responseTimeMs: 41.6,
        payload: { status: 'degraded', checks: { database: { status: 'healthy' }, cache: { status: 'unhealthy' } } },
      }),
    ],
  });
  assert.deepEqual(
    { ...degraded, payload: undefined },
    {
      healthy: true,
      status: 'degraded',
      responseTimeMs: 42,
      databaseHealthy: true,
      apiHealthy: true,
      cacheHealthy: false,
      payload: undefined,
    },
  );
  const down = toHealth({
    attachments: [
      json('health-payload', {
        httpStatus: 503,
        responseTimeMs: 5,
        payload: { status: 'unhealthy', checks: { database: { status: 'unhealthy' } } },
      }),
    ],
  });
  assert.equal(down?.healthy, false);
  assert.equal(down?.databaseHealthy, false);
  assert.equal(down?.cacheHealthy, null);
  const noBody = toHealth({
    attachments: [json('health-payload', { httpStatus: 502, responseTimeMs: 5, payload: null })],
  });
  assert.equal(noBody?.status, 'unhealthy');
  assert.equal(toHealth({ attachments: [] }), null);
});

test('only test.step steps count, nested helpers do not', () => {
  assert.deepEqual(userSteps([step('a', 'pw:api', 1), step('b', 'test.step', 2.4)]), [
    { index: 0, title: 'b', durationMs: 2, error: null },
  ]);
});

test('identity falls back to the title and tags when annotations are missing', () => {
  const id = workflowIdentity({ title: 'Password Reset Flow!', tags: ['@high'], annotations: [] });
  assert.deepEqual(id, { workflowId: 'password-reset-flow', priority: 'high', type: 'GENERAL', tags: ['high'] });
  assert.equal(workflowIdentity({ title: 'x', tags: ['@urgent'], annotations: [] }).priority, 'medium');
});

test('errors are cleaned and bounded', () => {
  assert.equal(cleanError(undefined), null);
  const long = cleanError('x'.repeat(20_000))!;
  assert.ok(long.length < 8_100);
  assert.match(long, /truncated 12000 characters/);
});

test('performance score follows the web-vital thresholds', () => {
  assert.equal(performanceScore({ lcpMs: 1000, cls: 0, ttfbMs: 100 }), 100);
  assert.equal(performanceScore({ lcpMs: 5000, cls: 0.5, ttfbMs: 5000 }), 0);
  assert.equal(performanceScore({ lcpMs: 3250, cls: null, ttfbMs: null }), 50);
  assert.equal(performanceScore({ lcpMs: null, cls: null, ttfbMs: null }), null);
});

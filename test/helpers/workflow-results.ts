// Assertions on a real suite run's JSON report: which workflow failed, at which step, why.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { specByTitle } from './playwright-run.ts';
import type { JsonReport, JsonResult, RunOutcome } from './playwright-run.ts';

export const allWorkflows = [
  'Health Check',
  'User Login',
  'User Registration',
  'Farm Creation',
  'Product Listing',
  'Order Placement',
];

export function lastResult(report: JsonReport, title: string): JsonResult {
  const results = specByTitle(report, title).tests[0]!.results;
  return results[results.length - 1]!;
}

export function failedStep(result: JsonResult): string | undefined {
  return result.steps?.find((s) => s.error)?.title;
}

/** `title` failed at `step` with `message`, leaving a trace (and a screenshot for browser journeys). */
export function assertBroken(run: RunOutcome, title: string, step: string, message: RegExp): void {
  const result = lastResult(run.report!, title);
  assert.notEqual(result.status, 'passed', `${title} should fail`);
  assert.equal(failedStep(result), step, `${title} should fail at "${step}": ${result.error?.message ?? ''}`);
  assert.match(result.error?.message ?? '', message);
  const trace = result.attachments.find((a) => a.name === 'trace');
  assert.ok(trace?.path && existsSync(trace.path), `${title} leaves a trace.zip`);
  if (title !== 'Health Check') {
    const screenshot = result.attachments.find((a) => a.name === 'screenshot');
    assert.ok(screenshot?.path && existsSync(screenshot.path), `${title} leaves a screenshot`);
  }
}

export function assertPassed(run: RunOutcome, titles: readonly string[]): void {
  for (const title of titles) {
    const result = lastResult(run.report!, title);
    assert.equal(result.status, 'passed', `${title} should pass: ${result.error?.message ?? ''}`);
  }
}

/** Every workflow except `broken` passed. */
export function assertOthersPassed(run: RunOutcome, broken: readonly string[]): void {
  assertPassed(
    run,
    allWorkflows.filter((t) => !broken.includes(t)),
  );
}

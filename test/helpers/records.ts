// Plausible records for tests that store or spool them; override what the test is about.
// (executionRecord, the attempt, is in ./db.ts.)
import type { NotificationLogRecord, RunRecord } from '../../core/records.ts';

export function runRecord(overrides: Partial<RunRecord> = {}): RunRecord {
  return {
    runId: 'run-1',
    trigger: 'manual',
    grep: null,
    host: 'h',
    startedAt: new Date(),
    endedAt: null,
    status: 'running',
    ciUrl: null,
    ...overrides,
  };
}

export function notificationLogRecord(overrides: Partial<NotificationLogRecord> = {}): NotificationLogRecord {
  return {
    channel: 'slack',
    kind: 'failure',
    priority: 'critical',
    workflowId: 'w',
    runId: 'r',
    title: 't',
    message: 'm',
    sent: true,
    throttled: false,
    error: null,
    statusCode: 200,
    attempts: 1,
    latencyMs: 12.6,
    ...overrides,
  };
}

/** Product Listing's identity in an executionRecord (User Login is the default). */
export const productListing = {
  testId: 'pl',
  workflowId: 'product-listing',
  name: 'Product Listing',
  priority: 'high',
} as const;

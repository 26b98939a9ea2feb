// Which attempts are events for the policy. Only a test's final outcome in a run counts: a failed
// attempt that Playwright will retry is not a failure yet, and a pass on retry is a flaky pass,
// never a failure. Skipped and interrupted attempts say nothing about the target.
import type { ObservedEvent } from '../../core/alerts.ts';
import type { ExecutionRecord } from '../../core/records.ts';

export function classifyAttempt(
  execution: Pick<ExecutionRecord, 'status' | 'retry'>,
  willRetry: boolean,
): ObservedEvent | null {
  switch (execution.status) {
    case 'passed':
      return execution.retry > 0 ? 'flaky-pass' : 'passed';
    case 'failed':
    case 'timedOut':
      return willRetry ? null : 'failed';
    case 'skipped':
    case 'interrupted':
      return null;
  }
}

import { randomBytes } from 'node:crypto';

/** `sched-20251201T1005Z-1a2b3c`: sortable by minute, unique per invocation. */
export function scheduledRunId(minute: Date, prefix = 'sched'): string {
  const stamp = minute.toISOString().replace(/[-:]/g, '').slice(0, 13);
  return `${prefix}-${stamp}Z-${randomBytes(3).toString('hex')}`;
}

// The records that cross from the reporter, the notifiers and the daemon into db/: the
// reporter's pure mappers produce these, db/ persists them, the policy and the reports read them.
import { z } from 'zod';
import { priorities, type Priority } from './workflow.ts';

/** Playwright's status of one attempt. */
export const attemptStatuses = ['passed', 'failed', 'timedOut', 'skipped', 'interrupted'] as const;
export type AttemptStatus = (typeof attemptStatuses)[number];

/** The outcome of a test across its attempts, as Playwright's `test.outcome()` reports it. */
export const outcomes = ['expected', 'unexpected', 'flaky', 'skipped'] as const;
export type Outcome = (typeof outcomes)[number];

export const triggers = ['schedule', 'manual', 'ci'] as const;
export type Trigger = (typeof triggers)[number];

export const runStatuses = ['running', 'passed', 'failed', 'timedout', 'interrupted'] as const;
export type RunStatus = (typeof runStatuses)[number];

/** One `playwright test` invocation (monitor_runs); db/tables/runs.ts reads its rows with this schema. */
export const runRecord = z.object({
  runId: z.string(),
  trigger: z.enum(triggers),
  grep: z.string().nullable(),
  host: z.string(),
  startedAt: z.date(),
  endedAt: z.date().nullable(),
  status: z.enum(runStatuses),
  ciUrl: z.string().nullable(),
  /** Sharded runs: the logical run the shards share, and this shard's place in it. */
  runGroup: z.string().nullable().optional(),
  shardIndex: z.number().nullable().optional(),
  shardTotal: z.number().nullable().optional(),
  /** MONITOR_LOCATION of the process that ran it (core/locations.ts); stored as `local` when absent. */
  location: z.string().optional(),
});
export type RunRecord = z.infer<typeof runRecord>;

export type StepRecord = {
  index: number;
  title: string;
  durationMs: number;
  error: string | null;
};

export type MetricsRecord = {
  totalDurationMs: number;
  apiResponseTimeMs: number | null;
  pageLoadTimeMs: number | null;
  ttfbMs: number | null;
  domContentLoadedMs: number | null;
  lcpMs: number | null;
  cls: number | null;
  memoryUsageMb: number | null;
  cpuUsage: number | null;
  performanceScore: number | null;
  /** The whole metrics attachment, for views that need more than the columns. */
  raw: unknown;
};

export type HealthCheckRecord = {
  healthy: boolean;
  status: string;
  responseTimeMs: number;
  databaseHealthy: boolean | null;
  apiHealthy: boolean | null;
  cacheHealthy: boolean | null;
  payload: unknown;
};

/** Why an attempt failed: a closed set (reporters/cause.ts decides it). */
export const causes = [
  'page-crash',
  'http-error',
  'network',
  'element-missing',
  'content-mismatch',
  'timeout',
  'unhealthy',
  'unknown',
] as const;
export type Cause = (typeof causes)[number];

/**
 * One piece of evidence the fixture recorded (fixtures/evidence.ts), placed in the user step
 * during which it happened (`step` null: before the first or after the last step).
 */
export type EvidenceItem = {
  kind: 'page-error' | 'console-error' | 'request-failed' | 'http-status' | 'navigation';
  at: Date;
  step: string | null;
  method?: string;
  path?: string;
  resourceType?: string;
  status?: number;
  durationMs?: number;
  /** request-failed: refused, dns, tls, timeout, aborted, no-answer, other. */
  failure?: string;
  /** The console line, the exception, or the browser's error text. */
  message?: string;
};

/** One attempt of one workflow. Unique on (runId, testId, retry). */
export type ExecutionRecord = {
  runId: string;
  testId: string;
  retry: number;
  workflowId: string;
  name: string;
  type: string;
  priority: Priority;
  status: AttemptStatus;
  /** Outcome of the test as known when this attempt ended (flaky on a passing retry). */
  outcome: Outcome;
  startedAt: Date;
  durationMs: number;
  totalSteps: number;
  passedSteps: number;
  failedSteps: number;
  error: string | null;
  failedStep: string | null;
  tracePath: string | null;
  screenshotPath: string | null;
  tags: string[];
  steps: StepRecord[];
  metrics: MetricsRecord | null;
  health: HealthCheckRecord | null;
  /** Failed attempts: the cause and the evidence line that decided it. */
  cause?: Cause | null;
  causeLine?: string | null;
  /** What the evidence fixture recorded (bounded, secrets-free); null when it was off. */
  evidence?: EvidenceItem[] | null;
  /** Where the attempt ran (its run's location); its steps, metrics and health rows share it. */
  location?: string;
};

export const notificationKinds = [
  'failure',
  'recovery',
  'reminder',
  'digest',
  'flaky',
  'flapping',
  /** "Failing from <locations>": fewer than the quorum of locations failing (low priority, no page). */
  'partial',
  'degraded',
  'success',
  'critical',
  'report',
  'test',
] as const;
export type NotificationKind = (typeof notificationKinds)[number];

/** One delivery attempt on one channel (notification_logs; db/tables/notification-logs.ts reads its rows with this). */
export const notificationLogRecord = z.object({
  channel: z.string(),
  kind: z.enum(notificationKinds),
  priority: z.enum(priorities).nullable(),
  workflowId: z.string().nullable(),
  runId: z.string().nullable(),
  title: z.string(),
  message: z.string(),
  sent: z.boolean(),
  throttled: z.boolean(),
  error: z.string().nullable(),
  statusCode: z.number().nullable(),
  attempts: z.number(),
  latencyMs: z.number(),
  /** The location of the process that sent (or throttled) the message. */
  location: z.string().optional(),
});
export type NotificationLogRecord = z.infer<typeof notificationLogRecord>;

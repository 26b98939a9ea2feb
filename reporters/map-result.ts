// Pure functions from Playwright's TestCase/TestResult to the rows db/ stores. No I/O here,
// so every rule is tested without a browser or a database.
import { stripVTControlCharacters } from 'node:util';
import type { TestCase, TestError, TestResult, TestStep } from '@playwright/test/reporter';
import { annotationTypes, attachmentNames, isPriority, type Priority } from '../core/workflow.ts';
import type { ExecutionRecord, HealthCheckRecord, MetricsRecord, StepRecord } from '../core/records.ts';
import { decideCause } from './cause.ts';
import { toEvidence } from './evidence.ts';

export { attachmentNames };

const maxErrorChars = 8_000;

export function cleanError(message: string | undefined): string | null {
  if (!message) return null;
  const text = stripVTControlCharacters(message).trim();
  return text.length > maxErrorChars
    ? `${text.slice(0, maxErrorChars)}\n… [truncated ${text.length - maxErrorChars} characters]`
    : text;
}

const annotation = (test: Pick<TestCase, 'annotations'>, type: string): string | undefined =>
  test.annotations.find((a) => a.type === type)?.description;

const slugify = (title: string): string =>
  title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '') || 'workflow';

export function workflowIdentity(test: Pick<TestCase, 'annotations' | 'tags' | 'title'>): {
  workflowId: string;
  priority: Priority;
  type: string;
  tags: string[];
} {
  const tags = test.tags.map((t) => t.replace(/^@/, ''));
  const declared = annotation(test, annotationTypes.priority) ?? tags.find(isPriority);
  return {
    workflowId: annotation(test, annotationTypes.workflow) ?? slugify(test.title),
    priority: declared !== undefined && isPriority(declared) ? declared : 'medium',
    type: annotation(test, annotationTypes.type) ?? 'GENERAL',
    tags,
  };
}

/** The user's own steps (test.step), in order; Playwright API calls and hooks are noise here. */
export function userSteps(steps: readonly TestStep[]): StepRecord[] {
  return steps
    .filter((s) => s.category === 'test.step')
    .map((s, index) => ({
      index,
      title: s.title,
      durationMs: Math.round(s.duration),
      error: cleanError(s.error?.message),
    }));
}

/** Attachments larger than this are not parsed (the fixtures bound what they attach well below it). */
const maxAttachmentBytes = 2 * 1024 * 1024;

function jsonAttachment(result: Pick<TestResult, 'attachments'>, name: string): unknown {
  const a = result.attachments.find((x) => x.name === name && x.body);
  if (!a?.body || a.body.length > maxAttachmentBytes) return null;
  try {
    return JSON.parse(a.body.toString('utf8'));
  } catch {
    return null;
  }
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/**
 * A 0-100 score from the web vitals against Google's "good"/"poor" thresholds (LCP 2.5/4 s,
 * CLS 0.1/0.25, TTFB 0.8/1.8 s): 100 when all are good, linear in between.
 */
export function performanceScore(m: {
  lcpMs: number | null;
  cls: number | null;
  ttfbMs: number | null;
}): number | null {
  const part = (v: number | null, good: number, poor: number) =>
    v === null ? null : v <= good ? 1 : v >= poor ? 0 : (poor - v) / (poor - good);
  const parts = [part(m.lcpMs, 2500, 4000), part(m.cls, 0.1, 0.25), part(m.ttfbMs, 800, 1800)].filter(
    (p): p is number => p !== null,
  );
  return parts.length ? Math.round((parts.reduce((a, b) => a + b, 0) / parts.length) * 100) : null;
}

export function toMetrics(
  result: Pick<TestResult, 'attachments' | 'duration'>,
  health: HealthCheckRecord | null,
): MetricsRecord | null {
  const raw = jsonAttachment(result, attachmentNames.metrics) as Record<string, unknown> | null;
  if (!raw && !health) return null;
  const m = {
    lcpMs: num(raw?.lcpMs),
    cls: num(raw?.cls),
    ttfbMs: num(raw?.ttfbMs),
  };
  return {
    totalDurationMs: Math.round(result.duration),
    apiResponseTimeMs: num(raw?.apiResponseTimeMs) ?? health?.responseTimeMs ?? null,
    pageLoadTimeMs: num(raw?.pageLoadMs),
    ttfbMs: m.ttfbMs,
    domContentLoadedMs: num(raw?.domContentLoadedMs),
    lcpMs: m.lcpMs,
    cls: m.cls,
    memoryUsageMb: num(raw?.jsHeapUsedMb),
    cpuUsage: null,
    performanceScore: performanceScore(m),
    raw,
  };
}

type HealthPayload = { status?: unknown; checks?: Record<string, { status?: unknown } | null> };
type HealthAttachment = { payload?: unknown; responseTimeMs?: number; httpStatus?: number; problem?: string | null };

const asObject = (v: unknown): Record<string, unknown> | null =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;

/**
 * The health row of an attempt. Whatever shape the target answered (null checks, an array, a
 * string), this never throws; the workflow's own verdict on the shape (`problem`) makes it unhealthy.
 */
export function toHealth(result: Pick<TestResult, 'attachments'>): HealthCheckRecord | null {
  const raw = asObject(jsonAttachment(result, attachmentNames.health)) as HealthAttachment | null;
  if (!raw) return null;
  const payload = raw.payload ?? null;
  const body = asObject(payload) as HealthPayload | null;
  const httpStatus = typeof raw.httpStatus === 'number' ? raw.httpStatus : undefined;
  const problem = typeof raw.problem === 'string' && raw.problem ? raw.problem : null;
  const declared = typeof body?.status === 'string' ? body.status : null;
  const status = problem ? 'invalid' : (declared ?? (httpStatus && httpStatus < 500 ? 'unknown' : 'unhealthy'));
  const checks = asObject(body?.checks);
  const check = (name: string): boolean | null => {
    const s = asObject(checks?.[name])?.status;
    return s === undefined ? null : s !== 'unhealthy';
  };
  return {
    healthy: !problem && (status === 'healthy' || status === 'degraded') && (httpStatus ?? 0) < 500,
    status,
    responseTimeMs: Math.round(
      typeof raw.responseTimeMs === 'number' && Number.isFinite(raw.responseTimeMs) ? raw.responseTimeMs : 0,
    ),
    databaseHealthy: check('database'),
    apiHealthy: httpStatus === undefined ? null : httpStatus < 500,
    cacheHealthy: check('cache'),
    payload,
  };
}

export type ArtifactPaths = { tracePath: string | null; screenshotPath: string | null };

/** The trace and screenshot Playwright left in this run's output folder (copied later). */
export function artifactSources(result: Pick<TestResult, 'attachments'>): ArtifactPaths {
  const find = (name: string, type: RegExp) =>
    result.attachments.find((a) => a.name === name && a.path && type.test(a.contentType))?.path ?? null;
  return { tracePath: find('trace', /zip/), screenshotPath: find('screenshot', /^image\//) };
}

/** An error with its `cause` chain (Playwright keeps it apart from the message), for the cause. */
function withCauses(error: TestError | undefined, depth = 0): string {
  if (!error) return '';
  const own = error.message ?? error.value ?? '';
  return error.cause && depth < 5 ? `${own}\n[cause]: ${withCauses(error.cause, depth + 1)}` : own;
}

export function toExecution(
  runId: string,
  test: TestCase,
  result: TestResult,
  artifacts: ArtifactPaths,
): ExecutionRecord {
  const identity = workflowIdentity(test);
  const steps = userSteps(result.steps);
  const failed = steps.filter((s) => s.error);
  const errors = result.errors.length ? result.errors.map((e) => e.message) : [result.error?.message];
  const health = toHealth(result);
  const error = cleanError(errors.filter(Boolean).join('\n\n'));
  const evidence = toEvidence(result);
  const errorChain = cleanError(
    (result.errors.length ? result.errors : [result.error])
      .map((e) => withCauses(e))
      .filter(Boolean)
      .join('\n\n'),
  );
  const verdict = decideCause({
    status: result.status,
    error: errorChain,
    failedStep: failed[0]?.title ?? null,
    evidence,
    health,
  });
  return {
    runId,
    testId: test.id,
    retry: result.retry,
    workflowId: identity.workflowId,
    name: test.title,
    type: identity.type,
    priority: identity.priority,
    status: result.status,
    outcome: test.outcome(),
    startedAt: result.startTime,
    durationMs: Math.round(result.duration),
    totalSteps: steps.length,
    passedSteps: steps.length - failed.length,
    failedSteps: failed.length,
    error,
    failedStep: failed[0]?.title ?? null,
    tracePath: artifacts.tracePath,
    screenshotPath: artifacts.screenshotPath,
    tags: identity.tags,
    steps,
    metrics: toMetrics(result, health),
    health,
    cause: verdict?.cause ?? null,
    causeLine: verdict?.line ?? null,
    // Kept for failures only: a passing attempt's navigations are not worth a row's bytes.
    evidence: verdict ? evidence : null,
  };
}

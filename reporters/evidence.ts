// The evidence fixture's records (fixtures/evidence.ts) placed in the user steps during which
// they happened. Fixtures cannot see steps; every record carries its time, and each user step
// its start and duration, so the step is the one whose span holds the record's time.
import type { TestResult, TestStep } from '@playwright/test/reporter';
import type { EvidenceItem } from '../core/records.ts';
import { attachmentNames } from '../core/workflow.ts';

/** Attachment names the evidence fixture uses. */
export const evidenceAttachments = { whole: attachmentNames.evidence, event: attachmentNames.evidenceEvent } as const;

const kinds = new Set<EvidenceItem['kind']>([
  'page-error',
  'console-error',
  'request-failed',
  'http-status',
  'navigation',
]);

const str = (v: unknown, max = 500): string | undefined => (typeof v === 'string' ? v.slice(0, max) : undefined);
const int = (v: unknown): number | undefined =>
  typeof v === 'number' && Number.isFinite(v) ? Math.round(v) : undefined;

type Raw = Record<string, unknown>;

function parse(body: Buffer | undefined): unknown {
  if (!body) return null;
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return null;
  }
}

/** The records: the whole attachment when the fixture's teardown made it, else the early events. */
export function evidenceRecords(result: Pick<TestResult, 'attachments'>): Raw[] | null {
  const whole = result.attachments.find((a) => a.name === evidenceAttachments.whole && a.body);
  const parsed = parse(whole?.body) as { records?: unknown } | null;
  if (parsed && Array.isArray(parsed.records))
    return parsed.records.filter((r): r is Raw => typeof r === 'object' && r !== null);
  const events = result.attachments
    .filter((a) => a.name === evidenceAttachments.event && a.body)
    .map((a) => parse(a.body))
    .filter((r): r is Raw => typeof r === 'object' && r !== null);
  return events.length || whole ? events : null;
}

type Span = { title: string; start: number; end: number };

/** Top-level user steps with their time spans. */
export function stepSpans(steps: readonly TestStep[]): Span[] {
  return steps
    .filter((s) => s.category === 'test.step')
    .map((s) => ({
      title: s.title,
      start: s.startTime.getTime(),
      end: s.startTime.getTime() + Math.max(0, s.duration),
    }));
}

/** The step whose span holds `at` (null: before the first step, between or after them). */
export function stepAt(spans: readonly Span[], at: number): string | null {
  for (const s of spans) if (at >= s.start && at <= s.end) return s.title;
  return null;
}

/** Evidence items in time order, each with its step; null when the fixture recorded nothing. */
export function toEvidence(result: Pick<TestResult, 'attachments' | 'steps'>): EvidenceItem[] | null {
  const raw = evidenceRecords(result);
  if (!raw) return null;
  const spans = stepSpans(result.steps);
  const items: EvidenceItem[] = [];
  for (const r of raw) {
    const kind = r.kind as EvidenceItem['kind'];
    const at = int(r.at);
    if (!kinds.has(kind) || at === undefined) continue;
    const item: EvidenceItem = { kind, at: new Date(at), step: stepAt(spans, at) };
    const method = str(r.method, 16);
    if (method) item.method = method;
    const path = str(r.path, 500);
    if (path) item.path = path;
    const resourceType = str(r.resourceType, 32);
    if (resourceType) item.resourceType = resourceType;
    const status = int(r.status);
    if (status !== undefined) item.status = status;
    const durationMs = int(r.durationMs);
    if (durationMs !== undefined) item.durationMs = durationMs;
    const failure = str(r.failure, 32);
    if (failure) item.failure = failure;
    const message = str(r.message) ?? str(r.errorText);
    if (message) item.message = message;
    items.push(item);
  }
  // Early events may repeat records of the whole attachment only when both exist; keep one each.
  const seen = new Set<string>();
  return items
    .filter((i) => {
      const key = JSON.stringify([i.kind, i.at.getTime(), i.path, i.message, i.status]);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .sort((a, b) => a.at.getTime() - b.at.getTime());
}

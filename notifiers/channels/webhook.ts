// Generic webhook: a documented, versioned JSON body (notifiers/README.md, `webhookBodySchema`)
// for people who route alerts themselves. Optional HMAC-SHA256 over "<timestamp>.<raw body>"
// lets receivers check origin and freshness; retries resend the same bytes, signed anew.
import { createHmac, randomUUID } from 'node:crypto';
import { z } from 'zod';
import { notificationKinds } from '../../core/records.ts';
import { priorities } from '../../core/workflow.ts';
import type { Alert } from '../alert.ts';
import type { ChannelDefinition } from '../channel.ts';
import { signatureHeader, timestampHeader, type WebhookConfig } from '../../config/alert-channels.ts';
export { signatureHeader, timestampHeader, type WebhookConfig } from '../../config/alert-channels.ts';
import { causeLine, cleanError, plainText } from '../format.ts';
import { postAndClassify } from './http.ts';
import { truncate } from '../limits.ts';
import { redactUrl } from '../redact.ts';

export const WEBHOOK_BODY_VERSION = 1;

const iso = z.iso.datetime();
const nullableString = z.string().nullable();

/** Version 1 of the body. Additions keep the version; a change that breaks readers bumps it. */
export const webhookBodySchema = z.object({
  version: z.literal(WEBHOOK_BODY_VERSION),
  id: z.uuid(),
  source: z.literal('workflow-monitor'),
  kind: z.enum(notificationKinds),
  title: z.string(),
  priority: z.enum(priorities),
  message: nullableString,
  text: z.string(),
  at: iso,
  workflow: z.object({ id: z.string(), name: z.string(), priority: z.enum(priorities), type: z.string() }).nullable(),
  status: nullableString,
  failedStep: z.object({ index: z.number().int(), total: z.number().int(), title: z.string() }).nullable(),
  /** The locations failing and passing the workflow (an addition in version 1; absent when unknown). */
  locations: z.object({ failing: z.array(z.string()), passing: z.array(z.string()) }).optional(),
  /** "Cause: …": why it failed, in one line (an addition in version 1). */
  cause: nullableString.optional(),
  error: nullableString,
  durationMs: z.number().nullable(),
  runId: nullableString,
  downtimeMs: z.number().nullable(),
  artifacts: z.object({
    resultUrl: nullableString,
    traceUrl: nullableString,
    tracePath: nullableString,
    screenshotUrl: nullableString,
    screenshotPath: nullableString,
  }),
  items: z.array(
    z.object({
      workflowId: z.string(),
      name: z.string(),
      priority: z.enum(priorities),
      status: z.string(),
      error: nullableString,
      count: z.number().int().nullable(),
      runId: nullableString,
      at: iso.nullable(),
    }),
  ),
  report: z
    .object({
      period: nullableString,
      periodStart: iso,
      periodEnd: iso,
      total: z.number(),
      successRate: z.number().nullable(),
      passed: z.number(),
      failed: z.number(),
      avgDurationMs: z.number(),
      criticalIssues: z.number(),
    })
    .nullable(),
  context: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).nullable(),
});

export type WebhookBody = z.infer<typeof webhookBodySchema>;

export type WebhookPayload = { id: string; kind: Alert['kind']; title: string; body: string };

/** Receivers should not have to buffer megabytes because an error message ran away. */
const maxErrorChars = 64 * 1024;
const maxItemErrorChars = 2000;

export function webhookBody(alert: Alert, id: string): WebhookBody {
  const r = alert.report;
  return {
    version: WEBHOOK_BODY_VERSION,
    id,
    source: 'workflow-monitor',
    kind: alert.kind,
    title: alert.title,
    priority: alert.priority,
    message: alert.message ?? null,
    text: truncate(plainText(alert), maxErrorChars),
    at: alert.at.toISOString(),
    workflow: alert.workflow ?? null,
    status: alert.status ?? null,
    failedStep: alert.failedStep ?? null,
    ...(alert.locations ? { locations: alert.locations } : {}),
    cause: causeLine(alert.cause),
    error: (() => {
      const e = cleanError(alert.error);
      return e === null ? null : truncate(e, maxErrorChars);
    })(),
    durationMs: alert.durationMs ?? null,
    runId: alert.runId ?? null,
    downtimeMs: alert.downtimeMs ?? null,
    artifacts: {
      resultUrl: alert.resultUrl ?? null,
      traceUrl: alert.traceUrl ?? null,
      tracePath: alert.tracePath ?? null,
      screenshotUrl: alert.screenshotUrl ?? null,
      screenshotPath: alert.screenshotPath ?? null,
    },
    items: (alert.items ?? []).map((i) => {
      const e = cleanError(i.error);
      return {
        workflowId: i.workflowId,
        name: i.name,
        priority: i.priority,
        status: i.status,
        error: e === null ? null : truncate(e, maxItemErrorChars),
        count: i.count ?? null,
        runId: i.runId ?? null,
        at: i.at ? i.at.toISOString() : null,
      };
    }),
    report: r
      ? {
          ...r,
          period: r.period ?? null,
          periodStart: r.periodStart.toISOString(),
          periodEnd: r.periodEnd.toISOString(),
        }
      : null,
    context: alert.context ?? null,
  };
}

/** `sha256=<hex>` of HMAC-SHA256(secret, `${timestamp}.${body}`): what receivers recompute. */
export function webhookSignature(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** Headers whose values are no secret (everything else, e.g. Authorization, is redacted). */
const plainHeaders = new Set(['accept', 'content-type', 'user-agent', 'accept-language']);

export const webhookChannel: ChannelDefinition<WebhookConfig, WebhookPayload> = {
  type: 'webhook',
  targetVariable: 'ALERT_WEBHOOK_URL',
  rate: { limit: 10, windowMs: 1000 },
  secrets: (config) => [
    config.url,
    ...(config.secret ? [config.secret] : []),
    ...Object.entries(config.headers)
      .filter(([name]) => !plainHeaders.has(name.toLowerCase()))
      .map(([, value]) => value),
  ],
  describe: (config) => redactUrl(config.url),
  paceKey: (config) => config.url,
  render(alert) {
    const id = randomUUID();
    return [{ id, kind: alert.kind, title: alert.title, body: JSON.stringify(webhookBody(alert, id)) }];
  },
  title: (payload) => payload.title,
  send(payload, config, ctx) {
    const timestamp = Math.floor(ctx.now().getTime() / 1000);
    const headers: Record<string, string> = {
      ...config.headers,
      'x-monitor-event': payload.kind,
      'x-monitor-delivery': payload.id,
      [timestampHeader]: String(timestamp),
    };
    if (config.secret) headers[signatureHeader] = webhookSignature(config.secret, timestamp, payload.body);
    return postAndClassify(config.url, payload.body, 'ALERT_WEBHOOK_URL', {
      signal: ctx.signal,
      timeoutMs: ctx.timeoutMs,
      headers,
    });
  },
};

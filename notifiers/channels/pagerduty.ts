// PagerDuty Events API v2: a failure triggers an incident keyed by workflow (so repeats fold
// into one), a recovery resolves it. Reports and flaky notices do not page anyone.
import type { NotificationKind } from '../../core/records.ts';
import type { Priority } from '../../core/workflow.ts';
import type { Alert, DigestItem } from '../alert.ts';
import type { ChannelDefinition } from '../channel.ts';
import type { PagerDutyConfig } from '../../config/alert-channels.ts';
export type { PagerDutyConfig } from '../../config/alert-channels.ts';
import { causeLine, cleanError, formatDuration, locationsLine, showTraceCommand } from '../format.ts';
import { sendJson } from './http.ts';
import { byteLength, truncate } from '../limits.ts';
import { pagerDutyLimits, type pagerDutySeverities } from './platform-limits.ts';
import { redactUrl } from '../redact.ts';

type Severity = (typeof pagerDutySeverities)[number];

export type PagerDutyTrigger = {
  routing_key: string;
  event_action: 'trigger';
  dedup_key: string;
  payload: {
    summary: string;
    source: string;
    severity: Severity;
    timestamp: string;
    component?: string;
    group?: string;
    class: string;
    custom_details: Record<string, unknown>;
  };
  links?: Array<{ href: string; text: string }>;
  client: string;
};

export type PagerDutyResolve = { routing_key: string; event_action: 'resolve'; dedup_key: string };

export type PagerDutyEvent = PagerDutyTrigger | PagerDutyResolve;

export const severityOf: Record<Priority, Severity> = {
  critical: 'critical',
  high: 'error',
  medium: 'warning',
  low: 'info',
};

type Action = 'trigger' | 'resolve' | 'test' | 'per-item' | 'none';

const actions: Record<NotificationKind, Action> = {
  failure: 'trigger',
  reminder: 'trigger',
  flapping: 'trigger',
  degraded: 'trigger',
  critical: 'trigger',
  recovery: 'resolve',
  success: 'resolve',
  test: 'test',
  digest: 'per-item',
  flaky: 'none',
  // "Failing from" some locations, below the quorum: a notice, never a page.
  partial: 'none',
  report: 'none',
};

const okStatuses = new Set(['passed', 'recovered', 'up', 'success']);

function slug(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 100) || 'alert'
  );
}

/**
 * One incident per workflow (or per `incident`, for an alert about none): every later trigger for
 * it folds in, and its recovery resolves it. Without either, the title is the incident.
 */
export function dedupKey(alert: Pick<Alert, 'kind' | 'title' | 'workflow' | 'incident'>): string {
  if (alert.kind === 'test') return 'workflow-monitor/test';
  if (alert.workflow) return `workflow-monitor/${alert.workflow.id}`.slice(0, pagerDutyLimits.dedupKey);
  return `workflow-monitor/alert/${slug(alert.incident ?? alert.title)}`;
}

const maxErrorChars = 64 * 1024;

function details(alert: Alert): Record<string, unknown> {
  const cause = causeLine(alert.cause);
  const d: Record<string, unknown> = { ...(cause ? { cause } : {}), kind: alert.kind, priority: alert.priority };
  if (alert.workflow) d.workflow = `${alert.workflow.name} (${alert.workflow.id})`;
  if (alert.status) d.status = alert.status;
  if (alert.failedStep) d.failed_step = `${alert.failedStep.index}/${alert.failedStep.total} ${alert.failedStep.title}`;
  if (alert.durationMs !== null && alert.durationMs !== undefined) d.duration = formatDuration(alert.durationMs);
  if (alert.runId) d.run_id = alert.runId;
  const where = locationsLine(alert.locations);
  if (where) d.locations = where;
  if (alert.tracePath) d.trace = showTraceCommand(alert.tracePath);
  if (alert.traceUrl) d.trace_url = alert.traceUrl;
  if (alert.resultUrl) d.result_url = alert.resultUrl;
  if (alert.screenshotPath) d.screenshot = alert.screenshotPath;
  if (alert.message) d.message = truncate(alert.message, 4000);
  if (alert.context) d.context = alert.context;
  const error = cleanError(alert.error);
  if (error) d.error = truncate(error, maxErrorChars);
  return d;
}

function trigger(
  alert: Alert,
  config: PagerDutyConfig,
  severity: Severity = severityOf[alert.priority],
): PagerDutyTrigger {
  const error = cleanError(alert.error);
  const event: PagerDutyTrigger = {
    routing_key: config.routingKey,
    event_action: 'trigger',
    dedup_key: dedupKey(alert),
    payload: {
      // The incident's title opens with the cause when there is one.
      summary: truncate(
        causeLine(alert.cause)
          ? `${causeLine(alert.cause)} | ${alert.title}`
          : `${alert.title}${error ? `: ${error.split('\n')[0]}` : ''}`,
        pagerDutyLimits.summary,
      ),
      source: config.source,
      severity,
      timestamp: alert.at.toISOString(),
      class: alert.kind,
      custom_details: details(alert),
    },
    client: 'workflow-monitor',
  };
  if (alert.workflow) {
    event.payload.component = alert.workflow.id;
    event.payload.group = alert.workflow.type;
  }
  const links = [alert.resultUrl, alert.traceUrl, alert.screenshotUrl].filter(
    (u): u is string => !!u && /^https?:\/\//i.test(u),
  );
  if (links.length > 0)
    event.links = links.map((href) => ({
      href,
      text:
        href === alert.resultUrl
          ? 'Result on the dashboard'
          : href === alert.traceUrl
            ? 'Playwright trace'
            : 'Screenshot',
    }));
  // The error is the only part that can grow without bound: it yields to the 512 KB limit.
  const overflow = byteLength(JSON.stringify(event)) - pagerDutyLimits.bytes;
  if (overflow > 0 && typeof event.payload.custom_details.error === 'string') {
    const err = event.payload.custom_details.error;
    event.payload.custom_details.error = truncate(err, Math.max(0, err.length - overflow - 1024));
  }
  return event;
}

function resolve(
  alert: Pick<Alert, 'kind' | 'title' | 'workflow' | 'incident'>,
  config: PagerDutyConfig,
): PagerDutyResolve {
  return { routing_key: config.routingKey, event_action: 'resolve', dedup_key: dedupKey(alert) };
}

function itemAlert(alert: Alert, item: DigestItem): Alert {
  return {
    kind: 'failure',
    title: `Workflow Failed: ${item.name}`,
    priority: item.priority,
    status: item.status,
    error: item.error ?? null,
    runId: item.runId ?? alert.runId ?? null,
    at: item.at ?? alert.at,
    workflow: { id: item.workflowId, name: item.name, priority: item.priority, type: 'workflow' },
  };
}

function render(alert: Alert, config: PagerDutyConfig): PagerDutyEvent[] {
  switch (actions[alert.kind]) {
    case 'trigger':
      return [trigger(alert, config)];
    case 'resolve':
      return [resolve(alert, config)];
    // Like PagerDuty's own test: an info event that resolves itself straight away.
    case 'test':
      return [trigger(alert, config, 'info'), resolve(alert, config)];
    case 'per-item':
      return (alert.items ?? []).map((item) => {
        const a = itemAlert(alert, item);
        return okStatuses.has(item.status) ? resolve(a, config) : trigger(a, config);
      });
    case 'none':
      return [];
  }
}

export const pagerDutyChannel: ChannelDefinition<PagerDutyConfig, PagerDutyEvent> = {
  type: 'pagerduty',
  targetVariable: 'PAGERDUTY_ROUTING_KEY',
  // Events API v2 allows 120 events a minute per routing key; a storm's digest may use many at once.
  rate: { limit: 120, windowMs: 60_000 },
  secrets: (config) => [config.routingKey],
  describe: (config) => redactUrl(config.eventsUrl),
  paceKey: (config) => config.routingKey,
  render,
  title: (event) => (event.event_action === 'trigger' ? event.payload.summary : `resolve ${event.dedup_key}`),
  send(event, config, ctx) {
    return sendJson(config.eventsUrl, event, 'PAGERDUTY_ROUTING_KEY', ctx);
  },
};

// Recommendations about what the workflows depend on: the target's health checks and the
// alert channels' deliveries.
import { count, pct, quote, utc } from './format.ts';
import {
  type Recommendation,
  type RecommendationThresholds,
  type RecommendationInput,
} from './recommendation-model.ts';

export function dependency(input: RecommendationInput, t: RecommendationThresholds): Recommendation[] {
  return input.health.flatMap((h): Recommendation[] => {
    const parts = (
      [
        ['database', h.database, h.lastDatabaseAt],
        ['API', h.api, h.lastApiAt],
        ['cache', h.cache, h.lastCacheAt],
      ] as const
    ).filter(([, n]) => n >= t.dependency.minChecks);
    const list =
      parts.length > 0
        ? parts.map(([dep, n, last]) => ({ dep, n, last }))
        : h.degraded >= t.dependency.minChecks
          ? [{ dep: 'platform', n: h.degraded, last: h.lastDegradedAt }]
          : [];
    return list.map(({ dep, n, last }): Recommendation => ({
      rule: 'dependency',
      severity: n / h.checks >= 0.5 ? 'critical' : 'warning',
      workflowId: h.workflowId,
      subject: `${h.workflowId} health checks`,
      finding:
        `reported the ${dep} unhealthy in ${count(n)} of ${count(h.checks)} checks (${pct(n / h.checks)}), last at ${utc(last)}` +
        `${dep === 'platform' && h.lastDegradedStatus ? ` (status "${h.lastDegradedStatus}")` : ''}.`,
      action: `Check the ${dep}'s own monitoring and logs around ${utc(last)}; journeys that use it are likely to fail or slow down next.`,
      evidence: {
        dependency: dep,
        unhealthyChecks: n,
        checks: h.checks,
        share: n / h.checks,
        lastAt: last?.toISOString() ?? null,
      },
    }));
  });
}

const channelVariables: Record<string, string> = {
  slack: 'SLACK_WEBHOOK_URL',
  discord: 'DISCORD_WEBHOOK_URL',
  teams: 'TEAMS_WEBHOOK_URL',
  webhook: 'ALERT_WEBHOOK_URL',
  email: 'SMTP_* settings',
  pagerduty: 'PAGERDUTY_ROUTING_KEY',
};

export function notifications(input: RecommendationInput, t: RecommendationThresholds): Recommendation[] {
  return input.deliveries.flatMap((d): Recommendation[] => {
    if (d.failed < t.notifications.minFailures) return [];
    const code = d.lastStatusCode === null ? '' : `, last status ${d.lastStatusCode}`;
    return [
      {
        rule: 'notifications',
        severity: d.sent === 0 ? 'critical' : 'warning',
        workflowId: null,
        subject: `${d.channel} deliveries`,
        finding:
          `failed ${count(d.failed)} of ${count(d.messages)} messages (${pct(d.failed / d.messages)})${code}; most frequent error ` +
          `(${count(d.topErrorCount)}×): ${quote(d.topError ?? '(no error message)')}.`,
        action: `Check ${channelVariables[d.channel] ?? 'the channel settings'} and run npm run test:notifications; a 404 or 410 means the webhook was deleted, 401/403 a revoked credential.`,
        evidence: {
          channel: d.channel,
          messages: d.messages,
          failed: d.failed,
          sent: d.sent,
          throttled: d.throttled,
          topError: d.topError,
          lastStatusCode: d.lastStatusCode,
          lastFailedAt: d.lastFailedAt?.toISOString() ?? null,
        },
      },
    ];
  });
}

// Every channel end to end against local sinks: what arrives, signatures and headers, and that
// no configured secret appears in records, warnings or results, even when a platform echoes it.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { reply, startHttpSink, type HttpSink } from '../test/sinks/http-sink.ts';
import { startSmtpSink, type SmtpSink } from '../test/sinks/smtp-sink.ts';
import { webhookBodySchema, webhookSignature } from './channels/webhook.ts';
import {
  discordMessageSchema,
  pagerDutyEventSchema,
  slackMessageSchema,
  teamsMessageSchema,
  violations,
} from './channels/platform-limits.ts';
import { digestAlert, failureAlert, recoveryAlert, reportAlert } from '../test/helpers/sample-alerts.ts';
import { channelsFrom, recordingNotifier } from '../test/helpers/recording-notifier.ts';

const secrets = {
  slack: '/services/T0SECRET/B0SECRET/slackTokenSecret123',
  discord: '/api/webhooks/112233/discordTokenSecret456',
  teams: '/workflows/abc/triggers/manual/paths/invoke?api-version=2016-06-01&sig=teamsSigSecret789',
  hook: '/hooks/monitor-hookPathSecret',
  hookSecret: 'webhook-shared-secret-0123456789',
  bearer: 'Bearer headerTokenSecret',
  routingKey: 'Rk0123456789SECRETabcdef01234567',
  smtpPassword: 'smtpPasswordSecret',
};

let http: HttpSink;
let smtp: SmtpSink;
let env: Record<string, string>;
before(async () => {
  http = await startHttpSink({
    // Platforms sometimes echo what they got: the echo must be redacted too.
    fallback: (req) =>
      req.path.includes('pagerduty')
        ? reply.json(202, { status: 'success', dedup_key: 'x' })
        : req.path.includes('webhooks')
          ? reply.json(200, { id: '1' })
          : reply.ok(),
  });
  smtp = await startSmtpSink({ auth: { user: 'monitor', pass: secrets.smtpPassword } });
  env = {
    SLACK_WEBHOOK_URL: http.urlFor(secrets.slack),
    SLACK_CHANNEL: '#monitoring',
    DISCORD_WEBHOOK_URL: http.urlFor(secrets.discord),
    TEAMS_WEBHOOK_URL: http.urlFor(secrets.teams),
    ALERT_WEBHOOK_URL: http.urlFor(secrets.hook),
    ALERT_WEBHOOK_SECRET: secrets.hookSecret,
    ALERT_WEBHOOK_HEADERS: JSON.stringify({ Authorization: secrets.bearer }),
    PAGERDUTY_ROUTING_KEY: secrets.routingKey,
    PAGERDUTY_EVENTS_URL: http.urlFor('/pagerduty/v2/enqueue'),
    ...smtp.env(),
  };
});
after(async () => {
  await Promise.all([http.close(), smtp.close()]);
});

function notifier(environment: Record<string, string>) {
  const { notifier, records, warnings } = recordingNotifier({
    channels: channelsFrom(environment),
    // Pacing has its own tests; here it would only add Slack's second per message.
    // Generous request bounds: a retry after a client-side timeout on a loaded machine would
    // deliver an email twice, and this test counts deliveries, not time.
    options: {
      requestTimeoutMs: 15_000,
      deliveryTimeoutMs: 30_000,
      backoffBaseMs: 20,
      backoffMaxMs: 50,
      maxAttempts: 2,
      pacing: { slack: { limit: 100, windowMs: 1000 } },
    },
  });
  return { n: notifier, records, warnings };
}

function assertNoSecret(value: unknown): void {
  const text = JSON.stringify(value);
  for (const s of [
    ...Object.values(secrets),
    'slackTokenSecret',
    'discordTokenSecret',
    'teamsSigSecret',
    'hookPathSecret',
  ]) {
    assert.ok(!text.includes(s), `secret ${s} leaked`);
  }
}

test('every channel delivers a failure, a recovery, a digest and a report', async () => {
  const { n, records, warnings } = notifier(env);
  const before = http.requests.length;
  for (const alert of [failureAlert(), recoveryAlert(), digestAlert(40), reportAlert()]) {
    const results = await n.send(alert);
    for (const r of results)
      assert.ok(r.outcome === 'sent' || r.outcome === 'skipped', `${alert.kind} ${r.channel}: ${r.error}`);
  }
  const got = http.requests.slice(before);
  for (const req of got) {
    if (req.path === secrets.slack) assert.deepEqual(violations(slackMessageSchema, req.json()), []);
    if (req.path === secrets.discord.split('?')[0]) {
      assert.deepEqual(violations(discordMessageSchema, req.json()), []);
      assert.equal(req.query.get('wait'), 'true');
    }
    if (req.path.startsWith('/workflows/')) assert.deepEqual(violations(teamsMessageSchema, req.json()), []);
    if (req.path.startsWith('/pagerduty/')) assert.deepEqual(violations(pagerDutyEventSchema, req.json()), []);
    if (req.path === secrets.hook) {
      assert.deepEqual(violations(webhookBodySchema, req.json()), []);
      const ts = Number(req.headers['x-monitor-timestamp']);
      assert.equal(req.headers['x-monitor-signature'], webhookSignature(secrets.hookSecret, ts, req.body));
      assert.equal(req.headers.authorization, secrets.bearer);
      assert.equal(req.headers['x-monitor-event'], req.json<{ kind: string }>().kind);
    }
  }
  const pd = got
    .filter((r) => r.path.startsWith('/pagerduty/'))
    .map((r) => r.json<{ event_action: string; dedup_key: string }>());
  assert.deepEqual(pd.slice(0, 2), [
    { ...pd[0], event_action: 'trigger', dedup_key: 'workflow-monitor/user-login' },
    { ...pd[1], event_action: 'resolve', dedup_key: 'workflow-monitor/user-login' },
  ]);
  assert.equal(smtp.messages.length, 4);
  assert.ok(records.length >= 6 * 3);
  assert.deepEqual(warnings, []);
  assertNoSecret(records);
});

test('no configured secret appears in records, warnings or results when every channel fails', async () => {
  const failing = await startHttpSink({
    fallback: (req) =>
      reply.status(req.path.includes('webhooks') ? 404 : 400, `bad request to ${req.url} key=${secrets.routingKey}`),
  });
  try {
    const broken: Record<string, string> = {
      ...env,
      SLACK_WEBHOOK_URL: failing.urlFor(secrets.slack),
      DISCORD_WEBHOOK_URL: failing.urlFor(secrets.discord),
      TEAMS_WEBHOOK_URL: failing.urlFor(secrets.teams),
      ALERT_WEBHOOK_URL: failing.urlFor(secrets.hook),
      PAGERDUTY_EVENTS_URL: failing.urlFor('/pagerduty/v2/enqueue'),
      SMTP_PASSWORD: `${secrets.smtpPassword}-wrong`,
    };
    const { n, records, warnings } = notifier(broken);
    const results = await n.send(failureAlert({ context: { leaked: http.urlFor(secrets.slack) } }));
    assert.equal(results.filter((r) => r.outcome === 'failed').length, 6, JSON.stringify(results));
    assert.ok(records.every((r) => r.error !== null && r.error.length > 0));
    assertNoSecret({ results, records, warnings, targets: n.channels });
  } finally {
    await failing.close();
  }
});

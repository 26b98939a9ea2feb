import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadChannelConfig } from './config.ts';

test('nothing set: no channel, default options', () => {
  const result = loadChannelConfig({});
  assert.ok(result.ok);
  assert.deepEqual(result.channels, []);
  assert.equal(result.options.requestTimeoutMs, 10_000);
});

test('each configured channel is bound, with redacted targets', () => {
  const result = loadChannelConfig({
    SLACK_WEBHOOK_URL: 'https://hooks.slack.com/services/T0/B0/secret1',
    SLACK_CHANNEL: '#monitoring',
    DISCORD_WEBHOOK_URL: 'https://discord.com/api/webhooks/1/secret2',
    TEAMS_WEBHOOK_URL:
      'https://prod-01.westus.logic.azure.com:443/workflows/abc/triggers/manual/paths/invoke?sig=secret3',
    ALERT_WEBHOOK_URL: 'https://alerts.example.com/hook',
    ALERT_WEBHOOK_SECRET: 'a-long-shared-secret-value',
    ALERT_WEBHOOK_HEADERS: '{"Authorization":"Bearer secret4"}',
    SMTP_HOST: 'smtp.example.com',
    SMTP_FROM: 'monitor@example.com',
    SMTP_TO: 'a@example.com, b@example.com',
    SMTP_USER: 'apikey',
    SMTP_PASSWORD: 'secret5',
    PAGERDUTY_ROUTING_KEY: 'R0123456789abcdef0123456789abcde',
    NOTIFY_MAX_ATTEMPTS: '2',
  });
  assert.ok(result.ok, JSON.stringify(!result.ok && result.problems));
  assert.deepEqual(
    result.channels.map((c) => c.type),
    ['slack', 'discord', 'teams', 'webhook', 'email', 'pagerduty'],
  );
  assert.equal(result.options.maxAttempts, 2);
  const targets = result.channels.map((c) => c.target).join(' ');
  for (const s of ['secret', 'R0123456789']) assert.ok(!targets.includes(s), targets);
  assert.ok(targets.includes('smtp://smtp.example.com:587'));
});

test('every problem at once, one line each, naming the variable, never the value', () => {
  const result = loadChannelConfig({
    SLACK_WEBHOOK_URL: 'hooks.slack.com/services/secret-value',
    DISCORD_USERNAME: 'bot',
    TEAMS_WEBHOOK_URL: 'https://contoso.webhook.office.com/webhookb2/secret-value',
    ALERT_WEBHOOK_URL: 'https://alerts.example.com/hook',
    ALERT_WEBHOOK_SECRET: 'short',
    ALERT_WEBHOOK_HEADERS: 'Authorization: secret-value',
    SMTP_HOST: 'smtp.example.com',
    SMTP_USER: 'u',
    SMTP_PORT: 'abc',
    PAGERDUTY_ROUTING_KEY: 'secret-value',
    NOTIFY_REQUEST_TIMEOUT_MS: '-1',
  });
  assert.ok(!result.ok);
  const vars = result.problems.map((p) => p.split(':')[0]);
  for (const v of [
    'SLACK_WEBHOOK_URL',
    'DISCORD_USERNAME',
    'TEAMS_WEBHOOK_URL',
    'ALERT_WEBHOOK_SECRET',
    'ALERT_WEBHOOK_HEADERS',
    'SMTP_PORT',
    'SMTP_FROM',
    'SMTP_TO',
    'SMTP_PASSWORD',
    'PAGERDUTY_ROUTING_KEY',
    'NOTIFY_REQUEST_TIMEOUT_MS',
  ]) {
    assert.ok(vars.includes(v), `${v} in ${JSON.stringify(result.problems)}`);
  }
  for (const p of result.problems) {
    assert.ok(!p.includes('secret-value'), p);
    assert.ok(!p.includes('\n'));
  }
  assert.match(result.problems.find((p) => p.startsWith('TEAMS_WEBHOOK_URL')) ?? '', /retired.*Workflows/);
});

test('empty strings count as unset', () => {
  const result = loadChannelConfig({ SLACK_WEBHOOK_URL: '', SMTP_HOST: '', PAGERDUTY_ROUTING_KEY: '' });
  assert.ok(result.ok);
  assert.equal(result.channels.length, 0);
});

test('SMTP_USER is no secret: a redactor of the configured secrets leaves "workflow-monitor" alone', async () => {
  const { createRedactor } = await import('./redact.ts');
  const result = loadChannelConfig({
    SMTP_HOST: 'smtp.example.com',
    SMTP_FROM: 'monitor@example.com',
    SMTP_TO: 'a@example.com',
    SMTP_USER: 'monitor',
    SMTP_PASSWORD: 'pw-Secret-42',
    ALERT_WEBHOOK_URL: 'https://alerts.example.com/hook',
    ALERT_WEBHOOK_HEADERS: '{"Content-Type":"application/json","X-Api-Key":"k3y-value"}',
  });
  assert.ok(result.ok, JSON.stringify(!result.ok && result.problems));
  const redact = createRedactor(result.channels.flatMap((c) => c.secrets));
  assert.equal(
    redact('workflow-monitor: workflow-monitor-daemon sent application/json'),
    'workflow-monitor: workflow-monitor-daemon sent application/json',
  );
  assert.equal(redact('login pw-Secret-42 key k3y-value'), 'login [redacted] key [redacted]');
});

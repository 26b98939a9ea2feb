// Every channel's payload for every kind of alert, against the platform's documented shape and
// limits, including a 20 KB error and a 40-workflow digest.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Alert } from './alert.ts';
import { testAlert } from './alert.ts';
import { discordChannel } from './channels/discord.ts';
import { emailChannel } from './channels/email.ts';
import { pagerDutyChannel } from './channels/pagerduty.ts';
import { slackChannel } from './channels/slack.ts';
import { teamsChannel } from './channels/teams.ts';
import { webhookBodySchema, webhookChannel } from './channels/webhook.ts';
import { byteLength } from './limits.ts';
import {
  discordMessageSchema,
  pagerDutyEventSchema,
  slackMessageSchema,
  teamsLimits,
  teamsMessageSchema,
  violations,
} from './channels/platform-limits.ts';
import {
  criticalAlert,
  digestAlert,
  failureAlert,
  longError,
  recoveryAlert,
  reportAlert,
} from '../test/helpers/sample-alerts.ts';
import { slackConfig, discordConfig, pdConfig, webhookConfig, emailConfig } from '../test/helpers/channel-configs.ts';

const cases: Array<[string, Alert]> = [
  ['failure', failureAlert()],
  ['failure with a 20 KB error', failureAlert({ error: longError(20_000) })],
  ['recovery', recoveryAlert()],
  ['digest of 40 workflows', digestAlert(40)],
  [
    'digest of 40 workflows with 20 KB errors',
    digestAlert(40, { items: digestAlert(40).items?.map((i) => ({ ...i, error: longError(20_000) })) ?? [] }),
  ],
  ['daily report', reportAlert()],
  [
    'critical alert',
    criticalAlert({ context: Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`key${i}`, 'v'.repeat(3000)])) }),
  ],
  ['test message', testAlert(new Date('2025-11-15T10:30:45Z'), 'monitor-host')],
];

describe("payloads stay within the platforms' documented shapes and limits", () => {
  for (const [name, alert] of cases) {
    test(name, () => {
      const slack = slackChannel.render(alert, slackConfig);
      assert.ok(slack.length >= 1);
      for (const m of slack) assert.deepEqual(violations(slackMessageSchema, m), [], 'slack');

      const discord = discordChannel.render(alert, discordConfig);
      assert.ok(discord.length >= 1);
      for (const m of discord) assert.deepEqual(violations(discordMessageSchema, m), [], 'discord');

      const teams = teamsChannel.render(alert, { webhookUrl: 'https://x.example/' });
      assert.ok(teams.length >= 1);
      for (const m of teams) {
        assert.deepEqual(violations(teamsMessageSchema, m), [], 'teams');
        assert.ok(byteLength(JSON.stringify(m)) <= teamsLimits.bytes);
      }

      for (const e of pagerDutyChannel.render(alert, pdConfig))
        assert.deepEqual(violations(pagerDutyEventSchema, e), [], 'pagerduty');

      const [hook] = webhookChannel.render(alert, webhookConfig);
      assert.ok(hook);
      assert.deepEqual(violations(webhookBodySchema, JSON.parse(hook.body)), [], 'webhook');

      const [mail] = emailChannel.render(alert, emailConfig);
      assert.ok(mail && mail.subject.length <= 200 && mail.text.length > 0 && mail.html.startsWith('<!doctype html>'));
    });
  }
});

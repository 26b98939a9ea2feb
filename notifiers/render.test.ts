// Every channel's payload for every kind of alert, against the platform's documented shape and
// limits, including a 20 KB error and a 40-workflow digest.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { SectionBlock } from '@slack/types';
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
import { criticalAlert, digestAlert, failureAlert, longError, recoveryAlert, reportAlert } from './sample-alerts.ts';
import { slackConfig, discordConfig, pdConfig, webhookConfig, allText } from '../test/helpers/channel-configs.ts';

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

      const [mail] = emailChannel.render(alert, {
        host: 'x',
        port: 25,
        secure: false,
        user: null,
        password: null,
        from: 'a@b.c',
        to: ['d@e.f'],
      });
      assert.ok(mail && mail.subject.length <= 200 && mail.text.length > 0 && mail.html.startsWith('<!doctype html>'));
    });
  }
});

describe('the cause leads every message', () => {
  const cause = "POST /api/orders answered 500 during 'Place order'";
  const alert = failureAlert({ cause });
  const line = `Cause: ${cause}`;
  const before = (text: string, later: string) => {
    const i = text.indexOf('Cause: POST /api/orders answered 500 during');
    assert.ok(i >= 0, `has the cause line: ${text.slice(0, 300)}`);
    assert.ok(i < text.indexOf(later), `the cause comes before "${later}"`);
  };

  test('slack: the first section opens with it, and the notification text has it', () => {
    const [m] = slackChannel.render(alert, slackConfig);
    const first = m!.blocks.find((b) => b.type === 'section') as SectionBlock;
    assert.equal(first.text?.text.split('\n')[0], line);
    assert.match(m!.text, /^🚨 Workflow Failed: User Login — Cause: POST \/api\/orders answered 500/);
  });

  test('discord, teams, e-mail and the webhook: before the facts and the error', () => {
    before(allText(discordChannel.render(alert, discordConfig)), 'Failed Steps');
    before(allText(teamsChannel.render(alert, { webhookUrl: 'https://x.example/' })), 'Failed Steps');
    const [mail] = emailChannel.render(alert, {
      host: 'x',
      port: 25,
      secure: false,
      user: null,
      password: null,
      from: 'a@b.c',
      to: ['d@e.f'],
    });
    assert.equal(mail!.text.split('\n')[2], line, 'the line under the heading');
    before(mail!.html, 'Failed Steps');
    const [hook] = webhookChannel.render(alert, webhookConfig);
    const body = JSON.parse(hook!.body) as { cause: string; text: string };
    assert.equal(body.cause, line);
    assert.equal(body.text.split('\n')[2], line);
  });

  test('pagerduty: the incident title opens with it', () => {
    const [event] = pagerDutyChannel.render(alert, pdConfig) as { payload: { summary: string } }[];
    assert.ok(event!.payload.summary.startsWith(`${line} | Workflow Failed: User Login`), event!.payload.summary);
  });

  test('no cause, no line: alerts without one look as before', () => {
    const [m] = slackChannel.render(failureAlert(), slackConfig);
    assert.doesNotMatch(allText(m), /Cause: /);
  });
});

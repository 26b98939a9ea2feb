// Every channel's message opens with the cause of a failure ("Cause: ..."), before the facts and
// the error; an alert without a cause looks as before.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { SectionBlock } from '@slack/types';
import { discordChannel } from './channels/discord.ts';
import { emailChannel } from './channels/email.ts';
import { pagerDutyChannel } from './channels/pagerduty.ts';
import { slackChannel } from './channels/slack.ts';
import { teamsChannel } from './channels/teams.ts';
import { webhookChannel } from './channels/webhook.ts';
import { discordConfig, emailConfig, pdConfig, slackConfig, webhookConfig } from '../test/helpers/channel-configs.ts';
import { failureAlert } from '../test/helpers/sample-alerts.ts';

const allText = (value: unknown): string => JSON.stringify(value);

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
    const [mail] = emailChannel.render(alert, emailConfig);
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

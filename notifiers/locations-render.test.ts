// Every channel names the locations that failed and those that passed (issue 16), in the same
// words (notifiers/format.ts `locationsLine`); a monitor with one unnamed location reads as before.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Alert } from './alert.ts';
import { discordChannel } from './channels/discord.ts';
import { emailChannel } from './channels/email.ts';
import { pagerDutyChannel } from './channels/pagerduty.ts';
import { slackChannel } from './channels/slack.ts';
import { teamsChannel } from './channels/teams.ts';
import { webhookBodySchema, webhookChannel } from './channels/webhook.ts';
import {
  discordMessageSchema,
  slackMessageSchema,
  teamsMessageSchema,
  violations,
} from './channels/platform-limits.ts';
import { locationsLine, plainText } from './format.ts';
import { digestAlert, failureAlert } from '../test/helpers/sample-alerts.ts';
import { slackConfig, discordConfig, pdConfig, webhookConfig, emailConfig } from '../test/helpers/channel-configs.ts';

const line = '❌ failing: eu-west, us-east · ✅ passing: ap-south';
const down = failureAlert({ locations: { failing: ['eu-west', 'us-east'], passing: ['ap-south'] } });
const partial: Alert = {
  ...failureAlert({ locations: { failing: ['eu-west'], passing: ['ap-south', 'us-east'] } }),
  kind: 'partial',
  priority: 'low',
  status: 'partial',
  title: 'Failing from eu-west: User Login',
};

/** Each channel's rendering of `alert` as one text (JSON for the chat payloads). */
function rendered(alert: Alert): Record<string, string> {
  const [mail] = emailChannel.render(alert, emailConfig);
  const [hook] = webhookChannel.render(alert, webhookConfig);
  for (const m of slackChannel.render(alert, slackConfig)) assert.deepEqual(violations(slackMessageSchema, m), []);
  for (const m of discordChannel.render(alert, discordConfig))
    assert.deepEqual(violations(discordMessageSchema, m), []);
  for (const m of teamsChannel.render(alert, { webhookUrl: 'https://x.example/' }))
    assert.deepEqual(violations(teamsMessageSchema, m), []);
  assert.deepEqual(violations(webhookBodySchema, JSON.parse(hook?.body ?? '{}')), []);
  return {
    text: plainText(alert),
    slack: JSON.stringify(slackChannel.render(alert, slackConfig)),
    discord: JSON.stringify(discordChannel.render(alert, discordConfig)),
    teams: JSON.stringify(teamsChannel.render(alert, { webhookUrl: 'https://x.example/' })),
    webhook: hook?.body ?? '',
    'email text': mail?.text ?? '',
    'email html': mail?.html ?? '',
    pagerduty: JSON.stringify(pagerDutyChannel.render(alert, pdConfig)),
  };
}

test('a DOWN alert names the failing and the passing locations on every channel', () => {
  assert.equal(locationsLine(down.locations), line);
  assert.match(plainText(down), new RegExp(`^Locations: ${line}$`, 'm'));
  for (const [channel, text] of Object.entries(rendered(down))) {
    // No character of these words needs escaping in JSON or HTML: each channel shows the line's words.
    assert.ok(text.includes('failing: eu-west, us-east'), `${channel} names the failing locations`);
    assert.ok(text.includes('passing: ap-south'), `${channel} names the passing locations`);
  }
  const body = webhookBodySchema.parse(JSON.parse(rendered(down).webhook ?? '{}'));
  assert.deepEqual(body.locations, { failing: ['eu-west', 'us-east'], passing: ['ap-south'] });
});

test('the "failing from" notice reaches every chat and mail channel, and never pages', () => {
  const out = rendered(partial);
  for (const channel of ['text', 'slack', 'discord', 'teams', 'webhook', 'email text', 'email html'])
    assert.ok((out[channel] ?? '').includes('Failing from eu-west'), `${channel} carries the notice`);
  assert.equal(out.pagerduty, '[]', 'no PagerDuty event for a notice below the quorum');
  assert.match(out.text ?? '', /Status: 📍 FAILING FROM SOME LOCATIONS/);
});

test("one unnamed location (today's single place) adds no line: alerts read as before", () => {
  const single = failureAlert({ locations: { failing: ['local'], passing: [] } });
  assert.equal(locationsLine(single.locations), null);
  assert.equal(plainText(single), plainText(failureAlert()));
  assert.equal(locationsLine({ failing: ['eu-west'], passing: [] }), '❌ failing: eu-west · ✅ passing: none');
});

test('a digest line says where each workflow fails from', () => {
  const digest = digestAlert(2);
  const items = (digest.items ?? []).map((i, n) =>
    n === 0 ? { ...i, locations: { failing: ['eu-west', 'us-east'], passing: [] } } : i,
  );
  const text = plainText({ ...digest, items });
  assert.match(text, / · from eu-west, us-east/);
  assert.equal(text.match(/ · from /g)?.length, 1, 'only the item with locations');
});

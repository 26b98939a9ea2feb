// Each platform's own layout: the runbook's Slack layout, Discord colours and mentions, Teams
// Adaptive Cards, PagerDuty's incident keys, the webhook's version 1 body, and how each splits
// or cuts a message too big for it.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { SectionBlock } from '@slack/types';
import { testAlert } from '../alert.ts';
import { discordChannel, priorityColors } from './discord.ts';
import { pagerDutyChannel } from './pagerduty.ts';
import { slackChannel } from './slack.ts';
import { teamsChannel } from './teams.ts';
import { webhookBodySchema, webhookChannel } from './webhook.ts';
import { byteLength } from '../limits.ts';
import { discordLimits, pagerDutyLimits, slackLimits, teamsLimits } from './platform-limits.ts';
import { digestAlert, failureAlert, longError, recoveryAlert, reportAlert } from '../../test/helpers/sample-alerts.ts';
import { slackConfig, discordConfig, pdConfig, webhookConfig, allText } from '../../test/helpers/channel-configs.ts';

describe('slack', () => {
  test('a failure follows the runbook layout', () => {
    const [m] = slackChannel.render(failureAlert(), slackConfig);
    assert.ok(m);
    assert.equal(m.channel, '#monitoring');
    assert.deepEqual(m.blocks[0], {
      type: 'header',
      text: { type: 'plain_text', text: '🚨 Workflow Failed: User Login', emoji: true },
    });
    const fields = (m.blocks.find((b) => b.type === 'section' && 'fields' in b) as SectionBlock).fields?.map(
      (f) => f.text,
    );
    assert.deepEqual(fields?.slice(0, 4), [
      '*Status:*\n❌ FAILED',
      '*Priority:*\n🚨 CRITICAL',
      '*Duration:*\n⏱️ 5.23s',
      '*Failed Steps:*\n2/5 (Sign in)',
    ]);
    const text = allText(m.blocks);
    assert.match(text, /\*Error:\*\\n```Login button not found after 5000ms```/);
    assert.match(text, /Run ID: `run_1234567890_abc123` \| 🕐 <!date\^1763202645\^/);
    assert.match(text, /npx playwright show-trace \/var\/lib\/workflow-monitor/);
    assert.match(text, /failure\.png/);
    assert.match(m.text, /Workflow Failed: User Login/);
  });

  test('the daily summary follows the runbook layout', () => {
    const [m] = slackChannel.render(reportAlert(), slackConfig);
    const text = allText(m);
    for (const s of [
      '🌟 Daily Workflow Monitoring Summary',
      'Period: Nov 14, 2025 - Nov 15, 2025',
      '*Total Workflows:*\\n144',
      '*Success Rate:*\\n92.5%',
      '*Passed:*\\n✅ 133',
      '*Failed:*\\n❌ 11',
      '*Avg Duration:*\\n⏱️ 4.21s',
      '*Critical Issues:*\\n✅ 0',
    ]) {
      assert.ok(text.includes(s), s);
    }
  });

  test('text is escaped so an error cannot ping a channel', () => {
    const [m] = slackChannel.render(failureAlert({ error: 'boom <!channel> & <@U123>' }), slackConfig);
    assert.ok(!allText(m).includes('<!channel>'));
    assert.ok(allText(m).includes('&lt;!channel&gt; &amp; &lt;@U123&gt;'));
  });

  test('a 20 KB error is cut with a marker', () => {
    const [m] = slackChannel.render(failureAlert({ error: longError(20_000) }), slackConfig);
    const error = m?.blocks.find((b) => b.type === 'section' && b.text?.text.startsWith('*Error:*')) as SectionBlock;
    assert.ok(error.text && error.text.text.length <= slackLimits.sectionText);
    assert.match(error.text.text, /… \[truncated [\d,]+ chars\]```$/);
  });

  test('a digest too big for one message is split, in order, every workflow once', () => {
    const alert = digestAlert(400);
    const messages = slackChannel.render(alert, slackConfig);
    assert.ok(messages.length > 1);
    const text = messages.map((m) => allText(m.blocks)).join('');
    const positions = alert.items?.map((i) => text.indexOf(`*${i.name}*`)) ?? [];
    assert.ok(positions.every((p) => p >= 0));
    assert.deepEqual(
      [...positions].sort((a, b) => a - b),
      positions,
    );
    messages.forEach((m, i) => assert.match(allText(m.blocks[0]), new RegExp(`\\(${i + 1}/${messages.length}\\)`)));
  });
});

describe('discord', () => {
  test('embeds are coloured by priority, green for a recovery', () => {
    assert.equal(discordChannel.render(failureAlert(), discordConfig)[0]?.embeds[0]?.color, priorityColors.critical);
    assert.equal(
      discordChannel.render(failureAlert({ priority: 'medium' }), discordConfig)[0]?.embeds[0]?.color,
      priorityColors.medium,
    );
    assert.equal(discordChannel.render(recoveryAlert(), discordConfig)[0]?.embeds[0]?.color, 0x2e7d32);
  });

  test('mentions in error text are never parsed', () => {
    const [m] = discordChannel.render(failureAlert({ error: '@everyone look' }), discordConfig);
    assert.deepEqual(m?.allowed_mentions, { parse: [] });
  });

  test('a 40-workflow digest is split into messages within 6,000 characters, in order', () => {
    const alert = digestAlert(40);
    const messages = discordChannel.render(alert, discordConfig);
    assert.ok(messages.length > 1, 'expected a split');
    const descriptions = messages.map((m) => m.embeds.map((e) => e.description ?? '').join('')).join('\n');
    const positions = alert.items?.map((i) => descriptions.indexOf(`**${i.name}**`)) ?? [];
    assert.ok(positions.every((p) => p >= 0));
    assert.deepEqual(
      [...positions].sort((a, b) => a - b),
      positions,
    );
    for (const m of messages) {
      assert.ok(m.embeds.length <= discordLimits.embeds);
      assert.ok((m.embeds[0]?.description ?? '').length <= discordLimits.description);
    }
  });

  test('a 20 KB error is cut to the description limit with a marker', () => {
    const [m] = discordChannel.render(failureAlert({ error: longError(20_000) }), discordConfig);
    const d = m?.embeds[0]?.description ?? '';
    assert.ok(d.length <= discordLimits.description);
    assert.match(d, /truncated [\d,]+ chars\]\n```$/);
  });
});

describe('teams', () => {
  test('an Adaptive Card, not a connector MessageCard', () => {
    const [m] = teamsChannel.render(failureAlert(), { webhookUrl: 'https://x.example/' });
    assert.equal(m?.type, 'message');
    assert.equal(m?.attachments[0].contentType, 'application/vnd.microsoft.card.adaptive');
    assert.equal(m?.attachments[0].content.type, 'AdaptiveCard');
    assert.ok(!allText(m).includes('MessageCard'));
    assert.match(allText(m), /"title":"Status","value":"❌ FAILED"/);
    assert.match(allText(m), /Action\.OpenUrl/);
  });

  test('a 40-workflow digest with long errors fits 28 KB per card', () => {
    const messages = teamsChannel.render(
      digestAlert(40, { items: digestAlert(40).items?.map((i) => ({ ...i, error: longError(20_000) })) ?? [] }),
      { webhookUrl: 'https://x.example/' },
    );
    for (const m of messages) assert.ok(byteLength(JSON.stringify(m)) <= teamsLimits.bytes);
  });
});

describe('pagerduty', () => {
  test('a failure triggers with a stable key per workflow and severity from priority', () => {
    const [a] = pagerDutyChannel.render(failureAlert(), pdConfig);
    const [b] = pagerDutyChannel.render(failureAlert({ runId: 'other', priority: 'medium' }), pdConfig);
    assert.equal(a?.event_action, 'trigger');
    assert.equal(a?.dedup_key, 'workflow-monitor/user-login');
    assert.equal(b?.dedup_key, a?.dedup_key);
    assert.ok(a?.event_action === 'trigger' && a.payload.severity === 'critical');
    assert.ok(b?.event_action === 'trigger' && b.payload.severity === 'warning');
  });

  test('a recovery resolves the same incident', () => {
    assert.deepEqual(pagerDutyChannel.render(recoveryAlert(), pdConfig), [
      { routing_key: pdConfig.routingKey, event_action: 'resolve', dedup_key: 'workflow-monitor/user-login' },
    ]);
  });

  test('the summary stays within 1,024 characters and the event within 512 KB', () => {
    const [e] = pagerDutyChannel.render(failureAlert({ title: 'x'.repeat(5000), error: longError(600_000) }), pdConfig);
    assert.ok(e?.event_action === 'trigger' && e.payload.summary.length <= pagerDutyLimits.summary);
    assert.ok(byteLength(JSON.stringify(e)) <= pagerDutyLimits.bytes);
  });

  test('reports page nobody; a test triggers then resolves', () => {
    assert.deepEqual(pagerDutyChannel.render(reportAlert(), pdConfig), []);
    assert.deepEqual(
      pagerDutyChannel.render(testAlert(new Date(), 'h'), pdConfig).map((e) => e.event_action),
      ['trigger', 'resolve'],
    );
  });
});

describe('webhook', () => {
  test('version 1 body with the whole 20 KB error', () => {
    const error = longError(20_000);
    const [p] = webhookChannel.render(failureAlert({ error }), webhookConfig);
    const body = webhookBodySchema.parse(JSON.parse(p?.body ?? '{}'));
    assert.equal(body.version, 1);
    assert.equal(body.kind, 'failure');
    assert.equal(body.workflow?.id, 'user-login');
    assert.equal(body.failedStep?.index, 2);
    assert.ok(body.error && body.error.length > 19_000 && !body.error.includes('\u001b['));
    assert.equal(body.id, p?.id);
  });
});

// Slack incoming webhook: Block Kit laid out as the runbook's "Expected Slack Messages", with a
// plain `text` fallback for notifications and clients that cannot show blocks.
import type { ContextBlock, HeaderBlock, KnownBlock, MrkdwnElement, SectionBlock } from '@slack/types';
import type { Alert } from '../alert.ts';
import type { ChannelDefinition } from '../channel.ts';
import type { SlackConfig } from '../../config/alert-channels.ts';
export type { SlackConfig } from '../../config/alert-channels.ts';
import { digestLineParts, formatTime, showTraceCommand, viewOf, type AlertView } from '../format.ts';
import { byWebhookUrl } from './http.ts';
import { fitEscaped, packInOrder, partSuffix, truncate } from '../limits.ts';
import { slackLimits } from './platform-limits.ts';
import { redactUrl } from '../redact.ts';

export type SlackMessage = {
  text: string;
  blocks: KnownBlock[];
  channel?: string;
  unfurl_links: boolean;
  unfurl_media: boolean;
};

/** Slack reads &, < and > as markup (`<!channel>` would ping everyone): escape all text. */
export function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const mrkdwn = (text: string): MrkdwnElement => ({ type: 'mrkdwn', text });

function section(text: string): SectionBlock {
  return { type: 'section', text: mrkdwn(text) };
}

function header(text: string): HeaderBlock {
  return { type: 'header', text: { type: 'plain_text', text: truncate(text, slackLimits.headerText), emoji: true } };
}

/** Slack shows the time in each reader's own time zone; the fallback is UTC. */
function slackDate(at: Date): string {
  return `<!date^${Math.floor(at.getTime() / 1000)}^{date_short_pretty} {time_secs}|${formatTime(at)}>`;
}

function footer(view: AlertView): ContextBlock {
  const parts = [
    view.runId ? `Run ID: \`${fitEscaped(view.runId, 200, escapeSlack)}\`` : null,
    `🕐 ${slackDate(view.at)}`,
  ];
  return { type: 'context', elements: [mrkdwn(parts.filter(Boolean).join(' | '))] };
}

function fieldsBlocks(facts: AlertView['facts']): SectionBlock[] {
  const fields = facts.map((f) =>
    mrkdwn(
      `*${escapeSlack(f.label)}:*\n${fitEscaped(f.value, slackLimits.fieldText - f.label.length - 8, escapeSlack)}`,
    ),
  );
  return packInOrder(fields, () => 1, slackLimits.sectionFields).map((group) => ({ type: 'section', fields: group }));
}

function errorBlock(error: string): SectionBlock {
  const prefix = '*Error:*\n```';
  const suffix = '```';
  return section(
    `${prefix}${fitEscaped(error, slackLimits.sectionText - prefix.length - suffix.length, escapeSlack)}${suffix}`,
  );
}

function artifactBlock(view: AlertView): SectionBlock | null {
  const lines: string[] = [];
  for (const a of view.artifacts) {
    if (a.url) lines.push(`*${a.label}:* <${escapeSlack(a.url)}|Open ${a.label.toLowerCase()}>`);
    if (a.path) lines.push(`*${a.label}:* \`${escapeSlack(a.label === 'Trace' ? showTraceCommand(a.path) : a.path)}\``);
  }
  if (lines.length === 0) return null;
  return section(fitEscaped(lines.join('\n'), slackLimits.sectionText, (s) => s));
}

function fallbackText(view: AlertView, part: string): string {
  const status = view.facts
    .slice(0, 2)
    .map((f) => `${f.label}: ${f.value}`)
    .join(', ');
  const detail = view.error ?? (view.cause ? null : view.summary) ?? '';
  const text = [`${view.heading}${part}`, view.cause, status, detail.split('\n')[0]].filter(Boolean).join(' — ');
  return fitEscaped(text, 1000, escapeSlack);
}

function itemLine(item: AlertView['items'][number]): string {
  const p = digestLineParts(item);
  const error = p.error ? `\n> ${fitEscaped(p.error, 300, escapeSlack)}` : '';
  return fitEscaped(`${p.icon} *${p.name}* · ${p.rest}`, 1000, escapeSlack) + error;
}

/** Digest lines grouped into sections of at most 3,000 characters each. */
function itemSections(view: AlertView): SectionBlock[] {
  const lines = view.items.map(itemLine);
  return packInOrder(lines, (l) => l.length + 1, slackLimits.sectionText).map((group) => section(group.join('\n')));
}

function bodyBlocks(view: AlertView): KnownBlock[] {
  const blocks: KnownBlock[] = [];
  if (view.summary) blocks.push(section(fitEscaped(view.summary, slackLimits.sectionText, escapeSlack)));
  if (view.facts.length > 0) blocks.push(...fieldsBlocks(view.facts));
  if (view.context.length > 0) blocks.push(...fieldsBlocks(view.context));
  if (view.error) blocks.push(errorBlock(view.error));
  const artifacts = artifactBlock(view);
  if (artifacts) blocks.push(artifacts);
  return blocks;
}

// Slack documents no total for blocks, but truncates `text` at 40,000 characters; keep a whole
// message well below that so a long digest splits rather than gets cut.
const messageChars = 36_000;

function blockChars(block: KnownBlock): number {
  if (block.type !== 'section') return 0;
  return (block.text?.text.length ?? 0) + (block.fields ?? []).reduce((n, f) => n + f.text.length, 0);
}

function render(alert: Alert, config: SlackConfig): SlackMessage[] {
  const view = viewOf(alert);
  // Each message gets a header and a footer; the body goes in the first, digest lines follow.
  const room = slackLimits.blocks - 2;
  const groups: KnownBlock[][] = [];
  let current = bodyBlocks(view);
  let chars = current.reduce((n, b) => n + blockChars(b), 0);
  for (const block of itemSections(view)) {
    const size = blockChars(block);
    if (current.length >= room || (current.length > 0 && chars + size > messageChars)) {
      groups.push(current);
      current = [];
      chars = 0;
    }
    current.push(block);
    chars += size;
  }
  groups.push(current);
  return groups.map((blocks, i) => {
    const part = partSuffix(i, groups.length);
    const message: SlackMessage = {
      text: fallbackText(view, part),
      blocks: [header(`${view.heading}${part}`), ...blocks, footer(view)],
      unfurl_links: false,
      unfurl_media: false,
    };
    if (config.channel) message.channel = config.channel;
    return message;
  });
}

export const slackChannel: ChannelDefinition<SlackConfig, SlackMessage> = {
  type: 'slack',
  ...byWebhookUrl('SLACK_WEBHOOK_URL'),
  // The description names the channel too, when one is set.
  describe: (config) => `${redactUrl(config.webhookUrl)}${config.channel ? ` ${config.channel}` : ''}`,
  rate: { limit: 1, windowMs: 1000 },
  render,
  title(payload) {
    const first = payload.blocks[0];
    return first?.type === 'header' ? first.text.text : payload.text;
  },
};

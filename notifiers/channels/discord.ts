// Discord webhook: one embed per message, coloured by priority (green for good news). Sent
// with ?wait=true so that Discord answers with the created message or a real error, instead
// of a 204 that hides rejected payloads.
import type { Priority } from '../../core/workflow.ts';
import type { Alert } from '../alert.ts';
import type { ChannelDefinition } from '../channel.ts';
import type { DiscordConfig } from '../../config/alert-channels.ts';
export type { DiscordConfig } from '../../config/alert-channels.ts';
import { digestLineParts, showTraceCommand, viewOf, type AlertView } from '../format.ts';
import { byWebhookUrl } from './http.ts';
import { fitEscaped, packInOrder, partSuffix, truncate } from '../limits.ts';
import { discordEmbedChars, discordLimits } from './platform-limits.ts';

export type DiscordEmbed = {
  title: string;
  description?: string;
  url?: string;
  color: number;
  timestamp: string;
  footer?: { text: string };
  fields?: Array<{ name: string; value: string; inline?: boolean }>;
};

export type DiscordMessage = {
  username?: string;
  embeds: DiscordEmbed[];
  /** Error texts are not ours: an "@everyone" in one must not ping a server. */
  allowed_mentions: { parse: string[] };
};

export const priorityColors: Record<Priority, number> = {
  critical: 0xd32f2f,
  high: 0xf57c00,
  medium: 0xfbc02d,
  low: 0x1e88e5,
};
const goodColor = 0x2e7d32;
const infoColor = 0x5865f2;

function colorOf(view: AlertView, priority: Priority): number {
  if (view.tone === 'good') return goodColor;
  if (view.tone === 'info') return infoColor;
  return priorityColors[priority];
}

/** Backslash-escapes Discord markdown in names and values we did not write. */
export function escapeDiscord(text: string): string {
  return text.replace(/([\\*_~`|>[\]])/g, '\\$1');
}

/** Inside a code block only a closing fence is special. */
function codeSafe(text: string): string {
  return text.replace(/```/g, '`\u200b``');
}

function field(name: string, value: string, inline = true): { name: string; value: string; inline: boolean } {
  return {
    name: truncate(name, discordLimits.fieldName),
    value: fitEscaped(value === '' ? '-' : value, discordLimits.fieldValue, escapeDiscord),
    inline,
  };
}

function artifactFields(view: AlertView): NonNullable<DiscordEmbed['fields']> {
  const fields: NonNullable<DiscordEmbed['fields']> = [];
  for (const a of view.artifacts) {
    const lines: string[] = [];
    if (a.url) lines.push(`[Open ${a.label.toLowerCase()}](${a.url})`);
    if (a.path)
      lines.push(`\`${codeSafe(a.label === 'Trace' ? showTraceCommand(a.path) : a.path).replace(/`/g, "'")}\``);
    fields.push({ name: a.label, value: truncate(lines.join('\n'), discordLimits.fieldValue), inline: false });
  }
  return fields;
}

function description(view: AlertView, budget: number): string | undefined {
  const parts: string[] = [];
  let left = budget;
  if (view.summary) {
    const summary = fitEscaped(view.summary, Math.min(1500, left), escapeDiscord);
    parts.push(summary);
    left -= summary.length + 2;
  }
  if (view.error && left > 40) {
    const open = '**Error**\n```\n';
    const close = '\n```';
    parts.push(`${open}${fitEscaped(view.error, left - open.length - close.length, codeSafe)}${close}`);
  }
  const text = parts.join('\n\n');
  return text === '' ? undefined : text;
}

function itemLine(item: AlertView['items'][number]): string {
  const p = digestLineParts(item);
  const error = p.error ? `\n> ${fitEscaped(p.error, 200, escapeDiscord)}` : '';
  return `${p.icon} **${fitEscaped(p.name, 200, escapeDiscord)}** · ${escapeDiscord(p.rest)}${error}`;
}

function baseEmbed(view: AlertView, alert: Alert, title: string): DiscordEmbed {
  const embed: DiscordEmbed = {
    title: truncate(title, discordLimits.title),
    color: colorOf(view, alert.priority),
    timestamp: alert.at.toISOString(),
  };
  if (view.runId) embed.footer = { text: truncate(`Run ID: ${view.runId}`, discordLimits.footer) };
  const link = view.artifacts.find((a) => a.url && /^https?:\/\//i.test(a.url))?.url;
  if (link && link.length <= 2000) embed.url = link;
  return embed;
}

/**
 * The last guard on Discord's 6,000 total: the description (error) gives way down to a floor,
 * then long field values, then trailing fields, then the description again.
 */
function fitTotal(embed: DiscordEmbed): DiscordEmbed {
  let e = embed;
  const excess = () => discordEmbedChars(e) - discordLimits.total;
  const cutDescription = (floor: number) => {
    if (excess() > 0 && e.description && e.description.length > floor) {
      e = { ...e, description: truncate(e.description, Math.max(floor, e.description.length - excess())) };
    }
  };
  cutDescription(1500);
  if (excess() > 0 && e.fields) e = { ...e, fields: e.fields.map((f) => ({ ...f, value: truncate(f.value, 200) })) };
  while (excess() > 0 && e.fields && e.fields.length > 0) e = { ...e, fields: e.fields.slice(0, -1) };
  cutDescription(1);
  return e;
}

function render(alert: Alert, config: DiscordConfig): DiscordMessage[] {
  const view = viewOf(alert);
  const fields = [
    ...view.facts.map((f) => field(f.label, f.value)),
    ...view.context.map((f) => field(f.label, f.value)),
    ...artifactFields(view),
  ].slice(0, discordLimits.fields);
  const envelope = (embed: DiscordEmbed): DiscordMessage => ({
    ...(config.username ? { username: config.username } : {}),
    embeds: [fitTotal(embed)],
    allowed_mentions: { parse: [] },
  });

  if (view.items.length === 0) {
    const embed = baseEmbed(view, alert, view.heading);
    const desc = description(view, discordLimits.description);
    if (desc) embed.description = desc;
    if (fields.length > 0) embed.fields = fields;
    return [envelope(embed)];
  }

  // A digest: the summary and fields in the first message, the lines spread over as many as needed.
  const intro = view.summary ? `${fitEscaped(view.summary, 1000, escapeDiscord)}\n\n` : '';
  const lines = view.items.map(itemLine);
  const firstBudget = discordLimits.description - intro.length;
  const groups = packInOrder(lines, (l) => l.length + 1, firstBudget);
  // Later messages have the full budget: repack the tail once the first group is fixed.
  const [first = [], ...rest] = groups;
  const tail = packInOrder(rest.flat(), (l) => l.length + 1, discordLimits.description);
  const all = [first, ...tail];
  return all.map((group, i) => {
    const embed = baseEmbed(view, alert, `${view.heading}${partSuffix(i, all.length)}`);
    embed.description = `${i === 0 ? intro : ''}${group.join('\n')}`;
    if (i === 0 && fields.length > 0) embed.fields = fields;
    return envelope(embed);
  });
}

function withWait(webhookUrl: string): string {
  const u = new URL(webhookUrl);
  u.searchParams.set('wait', 'true');
  return u.toString();
}

export const discordChannel: ChannelDefinition<DiscordConfig, DiscordMessage> = {
  type: 'discord',
  ...byWebhookUrl('DISCORD_WEBHOOK_URL', withWait),
  rate: { limit: 5, windowMs: 2000 },
  render,
  title: (payload) => payload.embeds[0]?.title ?? 'message',
};

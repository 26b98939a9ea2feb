// Microsoft Teams through a Workflows ("When a Teams webhook request is received") webhook: an
// Adaptive Card in a message envelope. The retired Office 365 connector MessageCard format
// is refused at start-up. Text we did not write goes in TextRuns, which Teams does not read
// as markdown (error messages are full of `*` and `_`).
import type { Alert } from '../alert.ts';
import type { ChannelDefinition } from '../channel.ts';
import type { TeamsConfig } from '../../config/alert-channels.ts';
export type { TeamsConfig } from '../../config/alert-channels.ts';
import { digestLineParts, showTraceCommand, viewOf, type AlertView, type Tone } from '../format.ts';
import { byWebhookUrl } from './http.ts';
import { byteLength, packInOrder, partSuffix, truncate } from '../limits.ts';
import { teamsLimits } from './platform-limits.ts';

type CardElement = { type: string } & Record<string, unknown>;

export type AdaptiveCard = {
  $schema: string;
  type: 'AdaptiveCard';
  version: '1.4';
  msteams: { width: 'Full' };
  /** Shown by clients that cannot render the card, and our log's title. */
  fallbackText: string;
  body: CardElement[];
  actions?: CardElement[];
};

export type TeamsMessage = {
  type: 'message';
  attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive'; contentUrl: null; content: AdaptiveCard }];
};

// Headroom under 28 KB for what Teams wraps around the card.
const byteBudget = teamsLimits.bytes - 1024;

const toneStyle: Record<Tone, string> = { bad: 'attention', warn: 'warning', good: 'good', info: 'emphasis' };

const textRun = (text: string, extra: Record<string, unknown> = {}): CardElement => ({
  type: 'TextRun',
  text,
  ...extra,
});
const rich = (inlines: CardElement[], extra: Record<string, unknown> = {}): CardElement => ({
  type: 'RichTextBlock',
  inlines,
  ...extra,
});

/** Adaptive Card time functions render in each reader's zone; they want seconds-precision UTC. */
function cardTime(at: Date): string {
  const iso = at.toISOString().replace(/\.\d{3}Z$/, 'Z');
  return `{{DATE(${iso}, SHORT)}} {{TIME(${iso})}}`;
}

function headerElements(view: AlertView, title: string): CardElement[] {
  return [
    {
      type: 'Container',
      style: toneStyle[view.tone],
      bleed: true,
      items: [rich([textRun(truncate(title, 300), { size: 'Large', weight: 'Bolder' })])],
    },
  ];
}

function factsElements(view: AlertView): CardElement[] {
  const facts = [...view.facts, ...view.context].map((f) => ({
    title: truncate(f.label, 100),
    value: truncate(f.value, 500),
  }));
  return facts.length === 0 ? [] : [{ type: 'FactSet', facts }];
}

function artifactElements(view: AlertView): CardElement[] {
  return view.artifacts
    .filter((a) => a.path)
    .map((a) =>
      rich([
        textRun(`${a.label}: `, { weight: 'Bolder' }),
        textRun(truncate(a.label === 'Trace' ? showTraceCommand(a.path ?? '') : (a.path ?? ''), 1000), {
          fontType: 'Monospace',
        }),
      ]),
    );
}

function actions(view: AlertView): CardElement[] {
  return view.artifacts
    .filter((a) => a.url && /^https?:\/\//i.test(a.url))
    .map((a) => ({ type: 'Action.OpenUrl', title: `Open ${a.label.toLowerCase()}`, url: a.url }));
}

function footerElements(view: AlertView): CardElement[] {
  const els: CardElement[] = [];
  if (view.runId)
    els.push(
      rich([textRun(`Run ID: ${truncate(view.runId, 200)}`, { isSubtle: true, size: 'Small' })], { spacing: 'Medium' }),
    );
  els.push({
    type: 'TextBlock',
    text: `🕐 ${cardTime(view.at)}`,
    isSubtle: true,
    size: 'Small',
    wrap: true,
    spacing: view.runId ? 'None' : 'Medium',
  });
  return els;
}

function itemElement(item: AlertView['items'][number]): CardElement {
  const p = digestLineParts(item);
  const runs = [textRun(`${p.icon} `), textRun(truncate(p.name, 200), { weight: 'Bolder' }), textRun(` · ${p.rest}`)];
  if (p.error) runs.push(textRun(`\n${truncate(p.error, 300)}`, { isSubtle: true, size: 'Small' }));
  return rich(runs, { spacing: 'Small' });
}

function message(title: string, body: CardElement[], acts: CardElement[]): TeamsMessage {
  const content: AdaptiveCard = {
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    type: 'AdaptiveCard',
    version: '1.4',
    msteams: { width: 'Full' },
    fallbackText: truncate(title, 300),
    body,
  };
  if (acts.length > 0) content.actions = acts;
  return {
    type: 'message',
    attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', contentUrl: null, content }],
  };
}

const size = (value: unknown): number => byteLength(JSON.stringify(value));

function errorElements(error: string, chars: number): CardElement[] {
  return [
    rich([textRun('Error', { weight: 'Bolder' })], { spacing: 'Medium' }),
    {
      type: 'Container',
      style: 'emphasis',
      items: [rich([textRun(truncate(error, chars), { fontType: 'Monospace' })])],
    },
  ];
}

function singleCard(view: AlertView): TeamsMessage {
  const summary = view.summary ? [rich([textRun(truncate(view.summary, 2000))])] : [];
  const build = (errorChars: number) =>
    message(
      view.heading,
      [
        ...headerElements(view, view.heading),
        ...summary,
        ...factsElements(view),
        ...(view.error ? errorElements(view.error, errorChars) : []),
        ...artifactElements(view),
        ...footerElements(view),
      ],
      actions(view),
    );
  // JSON escaping and UTF-8 make bytes differ from characters: shrink until it fits.
  let chars = view.error?.length ?? 0;
  let card = build(chars);
  while (size(card) > byteBudget && chars > 0) {
    chars = Math.max(0, chars - Math.ceil((size(card) - byteBudget) / 2) - 16);
    card = build(chars);
  }
  return card;
}

function render(alert: Alert): TeamsMessage[] {
  const view = viewOf(alert);
  if (view.items.length === 0) return [singleCard(view)];
  const summary = view.summary ? [rich([textRun(truncate(view.summary, 2000))])] : [];
  const frame = (title: string, first: boolean, items: CardElement[]) =>
    message(
      title,
      [
        ...headerElements(view, title),
        ...(first ? [...summary, ...factsElements(view)] : []),
        ...items,
        ...footerElements(view),
      ],
      first ? actions(view) : [],
    );
  const items = view.items.map(itemElement);
  // Room for items = budget minus the heaviest frame (the first, with a "(10/10)" suffix).
  const room = byteBudget - size(frame(`${view.heading} (99/99)`, true, []));
  const groups = packInOrder(items, (el) => size(el) + 1, room);
  return groups.map((group, i) => frame(`${view.heading}${partSuffix(i, groups.length)}`, i === 0, group));
}

export const teamsChannel: ChannelDefinition<TeamsConfig, TeamsMessage> = {
  type: 'teams',
  ...byWebhookUrl('TEAMS_WEBHOOK_URL'),
  rate: { limit: 4, windowMs: 1000 },
  render,
  title: (payload) => payload.attachments[0].content.fallbackText,
};

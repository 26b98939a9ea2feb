// The documented payload shapes and limits of each platform, as checks. Renderers are built to
// stay inside them; tests (and the local sinks, to act like the real platforms) verify it.
import { z } from 'zod';
import { byteLength } from '../limits.ts';

export const slackLimits = {
  blocks: 50,
  sectionText: 3000,
  sectionFields: 10,
  fieldText: 2000,
  headerText: 150,
  contextElements: 10,
  text: 40_000,
} as const;

export const discordLimits = {
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  embeds: 10,
  total: 6000,
  content: 2000,
} as const;

export const teamsLimits = { bytes: 28 * 1024 } as const;

export const pagerDutyLimits = { summary: 1024, bytes: 512 * 1024, dedupKey: 255 } as const;

export const pagerDutySeverities = ['critical', 'error', 'warning', 'info'] as const;

const slackText = (max: number) =>
  z.object({
    type: z.enum(['plain_text', 'mrkdwn']),
    text: z.string().min(1).max(max),
    emoji: z.boolean().optional(),
    verbatim: z.boolean().optional(),
  });

const slackBlock = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('header'),
    text: slackText(slackLimits.headerText).extend({ type: z.literal('plain_text') }),
  }),
  z
    .object({
      type: z.literal('section'),
      text: slackText(slackLimits.sectionText).optional(),
      fields: z.array(slackText(slackLimits.fieldText)).min(1).max(slackLimits.sectionFields).optional(),
    })
    .refine((b) => b.text !== undefined || b.fields !== undefined, 'a section needs text or fields'),
  z.object({ type: z.literal('divider') }),
  z.object({
    type: z.literal('context'),
    elements: z.array(slackText(slackLimits.sectionText)).min(1).max(slackLimits.contextElements),
  }),
]);

export const slackMessageSchema = z.object({
  text: z.string().min(1).max(slackLimits.text),
  blocks: z.array(slackBlock).min(1).max(slackLimits.blocks),
  channel: z.string().min(1).optional(),
  unfurl_links: z.boolean().optional(),
  unfurl_media: z.boolean().optional(),
});

const discordEmbed = z.object({
  title: z.string().min(1).max(discordLimits.title).optional(),
  description: z.string().min(1).max(discordLimits.description).optional(),
  url: z.url().optional(),
  color: z.number().int().min(0).max(0xffffff).optional(),
  timestamp: z.iso.datetime().optional(),
  footer: z.object({ text: z.string().min(1).max(discordLimits.footer) }).optional(),
  fields: z
    .array(
      z.object({
        name: z.string().min(1).max(discordLimits.fieldName),
        value: z.string().min(1).max(discordLimits.fieldValue),
        inline: z.boolean().optional(),
      }),
    )
    .max(discordLimits.fields)
    .optional(),
});

type DiscordEmbedShape = z.infer<typeof discordEmbed>;

/** Discord's 6,000 counts titles, descriptions, field names and values, footers and author names. */
export function discordEmbedChars(embed: DiscordEmbedShape): number {
  return (
    (embed.title?.length ?? 0) +
    (embed.description?.length ?? 0) +
    (embed.footer?.text.length ?? 0) +
    (embed.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0)
  );
}

export const discordMessageSchema = z
  .object({
    content: z.string().max(discordLimits.content).optional(),
    username: z.string().min(1).max(80).optional(),
    embeds: z.array(discordEmbed).max(discordLimits.embeds),
    allowed_mentions: z.object({ parse: z.array(z.string()) }).optional(),
  })
  .refine(
    (m) => m.embeds.reduce((n, e) => n + discordEmbedChars(e), 0) <= discordLimits.total,
    `embeds exceed ${discordLimits.total} characters in total`,
  )
  .refine((m) => m.embeds.length > 0 || (m.content ?? '') !== '', 'a message needs content or embeds');

export const teamsMessageSchema = z
  .object({
    type: z.literal('message'),
    attachments: z
      .array(
        z.object({
          contentType: z.literal('application/vnd.microsoft.card.adaptive'),
          contentUrl: z.null().optional(),
          content: z
            .object({
              $schema: z.string().optional(),
              type: z.literal('AdaptiveCard'),
              version: z.string().regex(/^1\.[0-6]$/),
              body: z.array(z.object({ type: z.string() }).loose()).min(1),
              actions: z.array(z.object({ type: z.string() }).loose()).optional(),
            })
            .loose(),
        }),
      )
      .length(1),
  })
  .refine((m) => byteLength(JSON.stringify(m)) <= teamsLimits.bytes, `card exceeds ${teamsLimits.bytes} bytes`);

const pagerDutyTrigger = z.object({
  routing_key: z.string().min(1),
  event_action: z.literal('trigger'),
  dedup_key: z.string().min(1).max(pagerDutyLimits.dedupKey).optional(),
  payload: z.object({
    summary: z.string().min(1).max(pagerDutyLimits.summary),
    source: z.string().min(1),
    severity: z.enum(pagerDutySeverities),
    timestamp: z.iso.datetime().optional(),
    component: z.string().optional(),
    group: z.string().optional(),
    class: z.string().optional(),
    custom_details: z.record(z.string(), z.unknown()).optional(),
  }),
  links: z.array(z.object({ href: z.url(), text: z.string().optional() })).optional(),
  client: z.string().optional(),
  client_url: z.url().optional(),
});

const pagerDutyResolve = z.object({
  routing_key: z.string().min(1),
  event_action: z.enum(['resolve', 'acknowledge']),
  dedup_key: z.string().min(1).max(pagerDutyLimits.dedupKey),
});

export const pagerDutyEventSchema = z
  .union([pagerDutyTrigger, pagerDutyResolve])
  .refine(
    (e) => byteLength(JSON.stringify(e)) <= pagerDutyLimits.bytes,
    `event exceeds ${pagerDutyLimits.bytes} bytes`,
  );

/** Problems with a payload, one line each (empty when it is valid). */
export function violations(schema: z.ZodType, payload: unknown): string[] {
  const result = schema.safeParse(payload);
  if (result.success) return [];
  return result.error.issues.map((i) => `${i.path.join('.') || '(message)'}: ${i.message}`);
}

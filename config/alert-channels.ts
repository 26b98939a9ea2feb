// The alert channels' variables: one schema per channel, each parsing the environment into that
// channel's settings, or null when its key variable is unset. Messages name the variable and
// never echo its value (a mistyped webhook URL is still a secret); cross-variable checks run even
// when one variable failed, so that every problem is reported at once. notifiers/config.ts binds
// each channel's settings to its definition (notifiers/channels/).
import { hostname } from 'node:os';
import { z } from 'zod';
import type { ChannelType } from '../core/alerts.ts';
import {
  addressListVar,
  always,
  intVar,
  onlyWith,
  optionalBoolVar,
  optionalString,
  problem,
  urlVar,
} from './alert-vars.ts';

export type SlackConfig = { webhookUrl: string; channel: string | null };

export type DiscordConfig = { webhookUrl: string; username: string | null };

export type TeamsConfig = { webhookUrl: string };

export type WebhookConfig = { url: string; secret: string | null; headers: Record<string, string> };

export type EmailConfig = {
  host: string;
  port: number;
  secure: boolean;
  user: string | null;
  password: string | null;
  from: string;
  to: string[];
};

export type PagerDutyConfig = { routingKey: string; eventsUrl: string; source: string };

export const defaultEventsUrl = 'https://events.pagerduty.com/v2/enqueue';

/** The webhook's own headers (notifiers/channels/webhook.ts): ALERT_WEBHOOK_HEADERS may not set them. */
export const signatureHeader = 'x-monitor-signature';
export const timestampHeader = 'x-monitor-timestamp';

const reservedHeaders = new Set([
  signatureHeader,
  timestampHeader,
  'x-monitor-delivery',
  'x-monitor-event',
  'content-length',
  'host',
]);

const headersVar = z.preprocess(
  (v) => (typeof v === 'string' && v.trim() !== '' ? v : undefined),
  z
    .string()
    .transform((text, ctx) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        ctx.addIssue({
          code: 'custom',
          message: 'must be a JSON object of header names to values, e.g. {"Authorization":"Bearer ..."}',
        });
        return z.NEVER;
      }
      const result = z.record(z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/), z.string()).safeParse(parsed);
      if (!result.success) {
        ctx.addIssue({ code: 'custom', message: 'must map valid header names to string values' });
        return z.NEVER;
      }
      const reserved = Object.keys(result.data).filter((k) => reservedHeaders.has(k.toLowerCase()));
      if (reserved.length > 0) ctx.addIssue({ code: 'custom', message: `may not set ${reserved.join(', ')}` });
      return Object.fromEntries(Object.entries(result.data).map(([k, val]) => [k.toLowerCase(), val]));
    })
    .optional(),
);

const slack = z
  .object({
    SLACK_WEBHOOK_URL: urlVar('https://hooks.slack.com/services/T000/B000/XXXX'),
    SLACK_CHANNEL: optionalString,
  })
  .superRefine((env, ctx) => {
    onlyWith(ctx, env, 'SLACK_WEBHOOK_URL', ['SLACK_CHANNEL']);
  }, always)
  .transform((env): SlackConfig | null => {
    if (!env.SLACK_WEBHOOK_URL) return null;
    return { webhookUrl: env.SLACK_WEBHOOK_URL, channel: env.SLACK_CHANNEL ?? null };
  });

const discord = z
  .object({
    DISCORD_WEBHOOK_URL: urlVar('https://discord.com/api/webhooks/<id>/<token>'),
    DISCORD_USERNAME: optionalString,
  })
  .superRefine((env, ctx) => {
    onlyWith(ctx, env, 'DISCORD_WEBHOOK_URL', ['DISCORD_USERNAME']);
    if (env.DISCORD_USERNAME && env.DISCORD_USERNAME.length > 80)
      problem(ctx, 'DISCORD_USERNAME', 'must be at most 80 characters');
  }, always)
  .transform((env): DiscordConfig | null => {
    if (!env.DISCORD_WEBHOOK_URL) return null;
    return { webhookUrl: env.DISCORD_WEBHOOK_URL, username: env.DISCORD_USERNAME ?? null };
  });

const teams = z
  .object({
    TEAMS_WEBHOOK_URL: urlVar('https://<tenant>.environment.api.powerplatform.com/powerautomate/...'),
  })
  .superRefine((env, ctx) => {
    if (env.TEAMS_WEBHOOK_URL && /\.webhook\.office\.com$/i.test(new URL(env.TEAMS_WEBHOOK_URL).hostname)) {
      problem(
        ctx,
        'TEAMS_WEBHOOK_URL',
        'is an Office 365 connector URL (webhook.office.com), which Microsoft retired; ' +
          'create a Teams Workflows webhook ("When a Teams webhook request is received") and use its URL',
      );
    }
  })
  .transform((env): TeamsConfig | null => {
    if (!env.TEAMS_WEBHOOK_URL) return null;
    return { webhookUrl: env.TEAMS_WEBHOOK_URL };
  });

const webhook = z
  .object({
    ALERT_WEBHOOK_URL: urlVar('https://alerts.example.com/hooks/workflow-monitor'),
    ALERT_WEBHOOK_SECRET: optionalString,
    ALERT_WEBHOOK_HEADERS: headersVar,
  })
  .superRefine((env, ctx) => {
    onlyWith(ctx, env, 'ALERT_WEBHOOK_URL', ['ALERT_WEBHOOK_SECRET', 'ALERT_WEBHOOK_HEADERS']);
    if (typeof env.ALERT_WEBHOOK_SECRET === 'string' && env.ALERT_WEBHOOK_SECRET.length < 16) {
      problem(ctx, 'ALERT_WEBHOOK_SECRET', 'must be at least 16 characters (e.g. openssl rand -hex 32)');
    }
  }, always)
  .transform((env): WebhookConfig | null => {
    if (!env.ALERT_WEBHOOK_URL) return null;
    return {
      url: env.ALERT_WEBHOOK_URL,
      secret: env.ALERT_WEBHOOK_SECRET ?? null,
      headers: env.ALERT_WEBHOOK_HEADERS ?? {},
    };
  });

const email = z
  .object({
    SMTP_HOST: optionalString,
    SMTP_PORT: intVar(0, { min: 0, max: 65535 }),
    SMTP_SECURE: optionalBoolVar,
    SMTP_USER: optionalString,
    SMTP_PASSWORD: optionalString,
    SMTP_FROM: optionalString,
    SMTP_TO: addressListVar,
  })
  .superRefine((env, ctx) => {
    onlyWith(ctx, env, 'SMTP_HOST', ['SMTP_USER', 'SMTP_PASSWORD', 'SMTP_FROM', 'SMTP_TO']);
    if (!env.SMTP_HOST) return;
    if (!env.SMTP_FROM)
      problem(ctx, 'SMTP_FROM', 'is required when SMTP_HOST is set, e.g. "Workflow Monitor <monitor@example.com>"');
    if (!env.SMTP_TO || env.SMTP_TO.length === 0)
      problem(ctx, 'SMTP_TO', 'is required when SMTP_HOST is set: comma-separated addresses');
    if (env.SMTP_USER && !env.SMTP_PASSWORD) problem(ctx, 'SMTP_PASSWORD', 'is required when SMTP_USER is set');
    if (env.SMTP_PASSWORD && !env.SMTP_USER) problem(ctx, 'SMTP_USER', 'is required when SMTP_PASSWORD is set');
  }, always)
  .transform((env): EmailConfig | null => {
    if (!env.SMTP_HOST) return null;
    // Port 465 speaks TLS from the first byte; 587 and 25 upgrade with STARTTLS when offered.
    const secure = env.SMTP_SECURE ?? env.SMTP_PORT === 465;
    const port = env.SMTP_PORT === 0 ? (secure ? 465 : 587) : env.SMTP_PORT;
    return {
      host: env.SMTP_HOST,
      port,
      secure,
      user: env.SMTP_USER ?? null,
      password: env.SMTP_PASSWORD ?? null,
      from: env.SMTP_FROM ?? '',
      to: env.SMTP_TO ?? [],
    };
  });

const pagerduty = z
  .object({
    PAGERDUTY_ROUTING_KEY: optionalString.pipe(
      z
        .string()
        .regex(/^[A-Za-z0-9]{32}$/, {
          error: 'must be the 32-character Integration Key of an Events API v2 integration',
        })
        .optional(),
    ),
    PAGERDUTY_EVENTS_URL: urlVar(defaultEventsUrl),
    PAGERDUTY_SOURCE: optionalString,
  })
  .transform((env): PagerDutyConfig | null => {
    if (!env.PAGERDUTY_ROUTING_KEY) return null;
    return {
      routingKey: env.PAGERDUTY_ROUTING_KEY,
      eventsUrl: env.PAGERDUTY_EVENTS_URL ?? defaultEventsUrl,
      source: env.PAGERDUTY_SOURCE ?? `workflow-monitor@${hostname()}`,
    };
  });

/** Every channel's schema, by type (exhaustive: a new ChannelType does not compile without one). */
export const channelSchemas = { slack, discord, teams, webhook, email, pagerduty } satisfies Record<
  ChannelType,
  z.ZodType
>;

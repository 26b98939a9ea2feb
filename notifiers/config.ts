// The alert channels from the environment: each channel's settings parsed by its schema
// (config/alert-channels.ts) and bound to its definition (channels/); delivery's options
// (config/alert-delivery.ts) over delivery's defaults. Every channel whose key variable is set is
// configured; every problem is reported at once, one line each, naming the variable and never
// echoing its value. Callers decide what a problem means (the CLI exits 2).
import { channelSchemas } from '../config/alert-channels.ts';
import { deliverySchema } from '../config/alert-delivery.ts';
import { ConfigError, formatIssues } from '../config/parse-env.ts';
import { bindChannel, type BoundChannel } from './channel.ts';
import { channelTypes } from '../core/alerts.ts';
import { channelDefinitions } from './channels/index.ts';
import { defaultDeliveryOptions, type DeliveryOptions } from './delivery/options.ts';

/** The variables read here, for .env.example and the README. */
export const notifierVariables = [
  'SLACK_WEBHOOK_URL',
  'SLACK_CHANNEL',
  'DISCORD_WEBHOOK_URL',
  'DISCORD_USERNAME',
  'TEAMS_WEBHOOK_URL',
  'ALERT_WEBHOOK_URL',
  'ALERT_WEBHOOK_SECRET',
  'ALERT_WEBHOOK_HEADERS',
  'SMTP_HOST',
  'SMTP_PORT',
  'SMTP_SECURE',
  'SMTP_USER',
  'SMTP_PASSWORD',
  'SMTP_FROM',
  'SMTP_TO',
  'PAGERDUTY_ROUTING_KEY',
  'PAGERDUTY_EVENTS_URL',
  'PAGERDUTY_SOURCE',
  ...Object.keys(deliverySchema.shape),
] as const;

export type ChannelConfig = { channels: BoundChannel[]; options: DeliveryOptions };

export type ChannelConfigResult = ({ ok: true } & ChannelConfig) | { ok: false; problems: string[] };

export function loadChannelConfig(env: NodeJS.ProcessEnv): ChannelConfigResult {
  const problems: string[] = [];
  const channels: BoundChannel[] = [];
  for (const type of channelTypes) {
    const parsed = channelSchemas[type].safeParse(env);
    if (!parsed.success) problems.push(...formatIssues(parsed.error));
    else if (parsed.data !== null) channels.push(bindChannel(channelDefinitions[type], parsed.data));
  }
  const parsed = deliverySchema.safeParse(env);
  if (!parsed.success) problems.push(...formatIssues(parsed.error));
  const o = parsed.success ? parsed.data : {};
  const d = defaultDeliveryOptions;
  const options: DeliveryOptions = {
    ...d,
    requestTimeoutMs: o.NOTIFY_REQUEST_TIMEOUT_MS ?? d.requestTimeoutMs,
    deliveryTimeoutMs: o.NOTIFY_DELIVERY_TIMEOUT_MS ?? d.deliveryTimeoutMs,
    queueTimeoutMs: o.NOTIFY_QUEUE_TIMEOUT_MS ?? d.queueTimeoutMs,
    maxAttempts: o.NOTIFY_MAX_ATTEMPTS ?? d.maxAttempts,
    backoffBaseMs: o.NOTIFY_BACKOFF_BASE_MS ?? d.backoffBaseMs,
    backoffMaxMs: o.NOTIFY_BACKOFF_MAX_MS ?? d.backoffMaxMs,
    publicUrl: o.MONITOR_PUBLIC_URL ?? null,
  };
  if (parsed.success && options.backoffMaxMs < options.backoffBaseMs)
    problems.push('NOTIFY_BACKOFF_MAX_MS: must be at least NOTIFY_BACKOFF_BASE_MS');
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, channels, options };
}

/** For entry points that follow config/parse-env.ts: throws a ConfigError (→ exitOnConfigError). */
export function parseChannelConfig(env: NodeJS.ProcessEnv): ChannelConfig {
  const result = loadChannelConfig(env);
  if (!result.ok) throw new ConfigError(result.problems);
  return { channels: result.channels, options: result.options };
}

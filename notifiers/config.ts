// The only place delivery reads the environment. Every channel whose key variable is set is
// configured; every problem is reported at once, one line each, naming the variable and never
// echoing its value. Callers decide what a problem means (the CLI exits 2).
import { z } from 'zod';
import { ConfigError, formatIssues } from '../config/parse-env.ts';
import { bindChannel, type BoundChannel } from './channel.ts';
import { channelTypes } from '../core/alerts.ts';
import { channelDefinitions } from './channels/index.ts';
import { defaultDeliveryOptions, type DeliveryOptions } from './delivery/options.ts';
import { intVar, urlVar } from './env-vars.ts';

const d = defaultDeliveryOptions;

const optionsSchema = z.object({
  NOTIFY_REQUEST_TIMEOUT_MS: intVar(d.requestTimeoutMs, { min: 100, max: 120_000 }),
  NOTIFY_DELIVERY_TIMEOUT_MS: intVar(d.deliveryTimeoutMs, { min: 100, max: 600_000 }),
  NOTIFY_QUEUE_TIMEOUT_MS: intVar(d.queueTimeoutMs, { min: 0, max: 3_600_000 }),
  NOTIFY_MAX_ATTEMPTS: intVar(d.maxAttempts, { min: 1, max: 10 }),
  NOTIFY_BACKOFF_BASE_MS: intVar(d.backoffBaseMs, { min: 1, max: 60_000 }),
  NOTIFY_BACKOFF_MAX_MS: intVar(d.backoffMaxMs, { min: 1, max: 300_000 }),
  MONITOR_PUBLIC_URL: urlVar('https://monitor.example.com'),
});

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
  ...Object.keys(optionsSchema.shape),
] as const;

export type ChannelConfig = { channels: BoundChannel[]; options: DeliveryOptions };

export type ChannelConfigResult = ({ ok: true } & ChannelConfig) | { ok: false; problems: string[] };

export function loadChannelConfig(env: NodeJS.ProcessEnv): ChannelConfigResult {
  const problems: string[] = [];
  const channels: BoundChannel[] = [];
  for (const type of channelTypes) {
    const def = channelDefinitions[type];
    const parsed = def.configSchema.safeParse(env);
    if (!parsed.success) problems.push(...formatIssues(parsed.error));
    else if (parsed.data !== null) channels.push(bindChannel(def, parsed.data));
  }
  const options = optionsSchema.safeParse(env);
  if (!options.success) problems.push(...formatIssues(options.error));
  else if (options.data.NOTIFY_BACKOFF_MAX_MS < options.data.NOTIFY_BACKOFF_BASE_MS) {
    problems.push('NOTIFY_BACKOFF_MAX_MS: must be at least NOTIFY_BACKOFF_BASE_MS');
  }
  if (problems.length > 0 || !options.success) return { ok: false, problems };
  const o = options.data;
  return {
    ok: true,
    channels,
    options: {
      ...defaultDeliveryOptions,
      requestTimeoutMs: o.NOTIFY_REQUEST_TIMEOUT_MS,
      deliveryTimeoutMs: o.NOTIFY_DELIVERY_TIMEOUT_MS,
      queueTimeoutMs: o.NOTIFY_QUEUE_TIMEOUT_MS,
      maxAttempts: o.NOTIFY_MAX_ATTEMPTS,
      backoffBaseMs: o.NOTIFY_BACKOFF_BASE_MS,
      backoffMaxMs: o.NOTIFY_BACKOFF_MAX_MS,
      publicUrl: o.MONITOR_PUBLIC_URL ?? null,
    },
  };
}

/** For entry points that follow config/parse-env.ts: throws a ConfigError (→ exitOnConfigError). */
export function parseChannelConfig(env: NodeJS.ProcessEnv): ChannelConfig {
  const result = loadChannelConfig(env);
  if (!result.ok) throw new ConfigError(result.problems);
  return { channels: result.channels, options: result.options };
}

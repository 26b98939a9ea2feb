// The one small interface every channel implements. A channel renders an alert into its
// platform's messages (pure, within limits) and sends one message once; retries, pacing,
// bounds, logging and redaction live in delivery, the same for all.
import type { ChannelType } from '../core/alerts.ts';
import type { Alert } from './alert.ts';

/** At most `limit` requests in any `windowMs` to one target. */
export type Rate = { limit: number; windowMs: number };

/** What one attempt came to; delivery decides from it whether to try again. */
export type AttemptOutcome = {
  ok: boolean;
  /** HTTP status, or the SMTP reply code; null when no answer came. */
  statusCode: number | null;
  retryable: boolean;
  /** How long the platform asked us to wait (429 Retry-After, Discord's retry_after). */
  retryAfterMs: number | null;
  /** The target no longer exists (404/410): retrying or resending will not help. */
  dead: boolean;
  /** Why it failed, in words; may still contain secrets: delivery redacts. */
  error: string | null;
};

export type SendContext = {
  /** Aborts at the request timeout or at the alert's delivery bound, whichever comes first. */
  signal: AbortSignal;
  /** The per-request timeout, for transports that take one instead of a signal (SMTP). */
  timeoutMs: number;
  now: () => Date;
};

/**
 * One platform, given its settings (parsed from the environment by config/alert-channels.ts).
 * Methods (not arrow properties) so that a definition fits the erased registry type.
 */
export type ChannelDefinition<Config, Payload> = {
  type: ChannelType;
  /** The variable a person fixes when the target is wrong or gone. */
  targetVariable: string;
  /** Defaults; overridable per channel in the delivery options. */
  rate: Rate;
  /** Values that must never leave delivery (URLs, keys, passwords, header values). */
  secrets(config: Config): string[];
  /** Where messages go, safe to print. */
  describe(config: Config): string;
  /** Pacing is per target: two Slack webhooks have two budgets. */
  paceKey(config: Config): string;
  /** The platform messages for one alert, in order; empty when this channel has nothing to say. */
  render(alert: Alert, config: Config): Payload[];
  /** A short description of one message for the notification log. */
  title(payload: Payload): string;
  send(payload: Payload, config: Config, ctx: SendContext): Promise<AttemptOutcome>;
};

/** A definition with its config applied: what delivery works with. */
export type BoundChannel = {
  type: ChannelType;
  target: string;
  targetVariable: string;
  secrets: readonly string[];
  paceKey: string;
  rate: Rate;
  render(alert: Alert): unknown[];
  title(payload: unknown): string;
  send(payload: unknown, ctx: SendContext): Promise<AttemptOutcome>;
};

export function bindChannel<Config, Payload>(def: ChannelDefinition<Config, Payload>, config: Config): BoundChannel {
  return {
    type: def.type,
    target: def.describe(config),
    targetVariable: def.targetVariable,
    secrets: def.secrets(config),
    paceKey: `${def.type}:${def.paceKey(config)}`,
    rate: def.rate,
    render: (alert) => def.render(alert, config),
    title: (payload) => def.title(payload as Payload),
    send: (payload, ctx) => def.send(payload as Payload, config, ctx),
  };
}

export function succeeded(statusCode: number | null): AttemptOutcome {
  return { ok: true, statusCode, retryable: false, retryAfterMs: null, dead: false, error: null };
}

/** An attempt that did not deliver: by default not worth repeating, with no answer and no wait. */
export function failedAttempt(
  error: string,
  how: { statusCode?: number | null; retryable?: boolean; retryAfterMs?: number | null; dead?: boolean } = {},
): AttemptOutcome {
  return {
    ok: false,
    statusCode: how.statusCode ?? null,
    retryable: how.retryable ?? false,
    retryAfterMs: how.retryAfterMs ?? null,
    dead: how.dead ?? false,
    error,
  };
}

// The bounds and retry settings of delivery, with defaults that suit real platforms. Tests
// shorten them; NOTIFY_* variables (notifiers/config.ts) override them in production.
import type { ChannelType } from '../../core/alerts.ts';
import type { Rate } from '../channel.ts';

export type DeliveryOptions = {
  /** One HTTP request or SMTP conversation. */
  requestTimeoutMs: number;
  /** All attempts and backoff waits of one message, from its first attempt. */
  deliveryTimeoutMs: number;
  /** The longest a message waits for its pacing slot before it is dropped as throttled. */
  queueTimeoutMs: number;
  maxAttempts: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** The caller's `log` callback (a database insert) gets this long. */
  logTimeoutMs: number;
  /** MONITOR_PUBLIC_URL: where people reach the dashboard; every alert then links to its result. */
  publicUrl: string | null;
  /** Per-channel overrides of the platforms' rates. */
  pacing: Partial<Record<ChannelType, Rate>>;
};

export const defaultDeliveryOptions: DeliveryOptions = {
  requestTimeoutMs: 10_000,
  deliveryTimeoutMs: 30_000,
  queueTimeoutMs: 60_000,
  maxAttempts: 4,
  backoffBaseMs: 500,
  backoffMaxMs: 8_000,
  logTimeoutMs: 5_000,
  pacing: {},
  publicUrl: null,
};

// Delivery's bounds and retries (NOTIFY_*) and the dashboard link in alerts (MONITOR_PUBLIC_URL).
// Unset is undefined: the defaults are delivery's own (notifiers/delivery/options.ts), laid
// under these by notifiers/config.ts.
import { z } from 'zod';
import { urlVar } from './alert-vars.ts';
import { optionalIntVar } from './parse-env.ts';

export const deliverySchema = z.object({
  NOTIFY_REQUEST_TIMEOUT_MS: optionalIntVar(100, 120_000),
  NOTIFY_DELIVERY_TIMEOUT_MS: optionalIntVar(100, 600_000),
  NOTIFY_QUEUE_TIMEOUT_MS: optionalIntVar(0, 3_600_000),
  NOTIFY_MAX_ATTEMPTS: optionalIntVar(1, 10),
  NOTIFY_BACKOFF_BASE_MS: optionalIntVar(1, 60_000),
  NOTIFY_BACKOFF_MAX_MS: optionalIntVar(1, 300_000),
  MONITOR_PUBLIC_URL: urlVar('https://monitor.example.com'),
});

export type DeliveryVars = z.output<typeof deliverySchema>;

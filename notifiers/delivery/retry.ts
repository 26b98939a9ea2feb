// Tries one message until it is delivered, fails for good, or the alert's time bound is spent.
// Transient failures back off exponentially with jitter; a platform's Retry-After is obeyed.
import { setTimeout as sleep } from 'node:timers/promises';
import type { AttemptOutcome } from '../channel.ts';

export type RetryPolicy = {
  maxAttempts: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  requestTimeoutMs: number;
  /** All attempts and waits of one message, from its first attempt on. */
  deliveryTimeoutMs: number;
};

export type RetryResult = {
  ok: boolean;
  statusCode: number | null;
  attempts: number;
  dead: boolean;
  error: string | null;
};

export type RetryInput = {
  policy: RetryPolicy;
  /** One attempt; the signal aborts at the request timeout or the delivery bound. */
  attempt(signal: AbortSignal): Promise<AttemptOutcome>;
  /** Before each retry (pacing: a retry is a request the platform counts too). */
  beforeRetry?(signal: AbortSignal): Promise<'granted' | 'throttled' | 'aborted'>;
  /** The caller's own limit (shutdown). */
  signal?: AbortSignal;
  random?: () => number;
};

/** Exponential with "equal jitter": never less than half the step, so waits keep growing. */
export function backoffDelay(
  retry: number,
  policy: Pick<RetryPolicy, 'backoffBaseMs' | 'backoffMaxMs'>,
  random = Math.random,
): number {
  const step = Math.min(policy.backoffMaxMs, policy.backoffBaseMs * 2 ** Math.max(0, retry - 1));
  return Math.round(step / 2 + random() * (step / 2));
}

function waitBefore(retry: number, last: AttemptOutcome, policy: RetryPolicy, random: () => number): number {
  if (last.retryAfterMs !== null) {
    // A little extra on top so that many senders told the same time do not all return at once.
    return last.retryAfterMs + Math.round(random() * Math.min(250, last.retryAfterMs * 0.1));
  }
  return backoffDelay(retry, policy, random);
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

export async function sendWithRetries(input: RetryInput): Promise<RetryResult> {
  const { policy } = input;
  const random = input.random ?? Math.random;
  const boundSignal = AbortSignal.timeout(policy.deliveryTimeoutMs);
  const signal = input.signal ? AbortSignal.any([boundSignal, input.signal]) : boundSignal;
  const deadline = performance.now() + policy.deliveryTimeoutMs;
  const boundText = `the delivery bound of ${seconds(policy.deliveryTimeoutMs)}`;
  const cancelled = () =>
    input.signal?.reason instanceof Error && input.signal.reason.name === 'TimeoutError'
      ? "gave up at the alert's time bound"
      : typeof input.signal?.reason === 'string'
        ? `cancelled: ${input.signal.reason}`
        : 'cancelled';
  // Every attempt's own reason (a timeout included) goes into the logged error, not only the last.
  const reasons: string[] = [];
  const fail = (attempts: number, last: AttemptOutcome | null, why: string | null): RetryResult => ({
    ok: false,
    statusCode: last?.statusCode ?? null,
    attempts,
    dead: last?.dead ?? false,
    error:
      [last?.error, why, reasons.length > 1 ? `attempts: ${reasons.map((r, i) => `${i + 1}) ${r}`).join('; ')}` : null]
        .filter(Boolean)
        .join('; ') || 'not delivered',
  });

  let attempts = 0;
  let last: AttemptOutcome | null = null;
  while (attempts < policy.maxAttempts) {
    if (last !== null) {
      const wait = waitBefore(attempts, last, policy, random);
      if (performance.now() + wait >= deadline) {
        const reason =
          last.retryAfterMs !== null
            ? `gave up: the platform asked to wait ${seconds(last.retryAfterMs)}, beyond ${boundText}`
            : `gave up after ${attempts} attempt${attempts === 1 ? '' : 's'}: next retry would pass ${boundText}`;
        return fail(attempts, last, reason);
      }
      try {
        await sleep(wait, undefined, { signal });
      } catch {
        return fail(attempts, last, boundSignal.aborted ? `gave up at ${boundText}` : cancelled());
      }
      const slot = input.beforeRetry ? await input.beforeRetry(signal) : 'granted';
      if (slot !== 'granted') {
        return fail(
          attempts,
          last,
          slot === 'throttled'
            ? 'gave up: no pacing slot before the bound'
            : boundSignal.aborted
              ? `gave up at ${boundText}`
              : cancelled(),
        );
      }
    }
    attempts += 1;
    const requestSignal = AbortSignal.any([signal, AbortSignal.timeout(policy.requestTimeoutMs)]);
    last = await input.attempt(requestSignal);
    if (!last.ok) reasons.push(last.error ?? `HTTP ${last.statusCode ?? '?'}`);
    if (last.ok) return { ok: true, statusCode: last.statusCode, attempts, dead: false, error: null };
    if (!last.retryable) return fail(attempts, last, null);
    if (signal.aborted) {
      const why = boundSignal.aborted
        ? `gave up at ${boundText} after ${attempts} attempt${attempts === 1 ? '' : 's'}`
        : cancelled();
      return fail(attempts, last, why);
    }
  }
  return fail(attempts, last, `gave up after ${attempts} attempts`);
}

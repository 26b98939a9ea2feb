// Fans one alert out to every channel in parallel. Each channel is isolated (its failure or
// hang delays no other), bounded (queue wait, per-request timeout, per-message bound), paced
// per target, logged once per message it sends, and redacted. `send` never throws.
import { hostname } from 'node:os';
import type { NotificationLogRecord } from '../../core/records.ts';
import { testAlert, type Alert } from '../alert.ts';
import { failedAttempt, type AttemptOutcome, type BoundChannel } from '../channel.ts';
import type { ChannelType } from '../../core/alerts.ts';
import { defaultDeliveryOptions, type DeliveryOptions } from './options.ts';
import { plainText } from '../format.ts';
import { truncate } from '../limits.ts';
import { withLinks } from './links.ts';
import { createPacer, type Pacer } from './pacing.ts';
import { createRedactor, type Redactor } from '../redact.ts';
import { sendWithRetries, type RetryResult } from './retry.ts';

export type DeliveryOutcome = 'sent' | 'failed' | 'throttled' | 'skipped';

/** One channel's delivery of one alert (all its messages, when a digest was split). */
export type DeliveryResult = {
  channel: ChannelType;
  /** Where it went, redacted to the host. */
  target: string;
  outcome: DeliveryOutcome;
  sent: boolean;
  statusCode: number | null;
  attempts: number;
  latencyMs: number;
  messages: number;
  /** The target answered that it no longer exists (404/410). */
  dead: boolean;
  error: string | null;
};

/** A delivery that sent nothing: skipped (nothing to say) or failed before any attempt. */
function unsent(channel: BoundChannel, outcome: 'failed' | 'skipped', error: string | null): DeliveryResult {
  return {
    channel: channel.type,
    target: channel.target,
    outcome,
    sent: false,
    statusCode: null,
    attempts: 0,
    latencyMs: 0,
    messages: 0,
    dead: false,
    error,
  };
}

export type NotifierInit = {
  channels: readonly BoundChannel[];
  log?: (record: NotificationLogRecord) => Promise<void>;
  now?: () => Date;
  options?: Partial<DeliveryOptions>;
  /** Operator-facing lines (failed deliveries, a failing log); already redacted. */
  warn?: (line: string) => void;
  /** Share one pacer between notifiers that post to the same targets in one process. */
  pacer?: Pacer;
};

export type SendOptions = { channels?: readonly ChannelType[]; signal?: AbortSignal };

export type Notifier = {
  readonly channels: ReadonlyArray<{ type: ChannelType; target: string }>;
  send(alert: Alert, options?: SendOptions): Promise<DeliveryResult[]>;
  /** What `npm run test:notifications` does: a test message through every configured channel. */
  testAllChannels(options?: SendOptions & { host?: string }): Promise<DeliveryResult[]>;
};

const maxLoggedMessage = 8000;

type MessageRecord = { result: RetryResult; throttled: boolean; latencyMs: number };

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function titleOf(channel: BoundChannel, payload: unknown, alert: Alert): string {
  try {
    return channel.title(payload);
  } catch {
    return alert.title;
  }
}

export function createNotifier(init: NotifierInit): Notifier {
  const options: DeliveryOptions = { ...defaultDeliveryOptions, ...init.options };
  const now = init.now ?? (() => new Date());
  const pacer = init.pacer ?? createPacer();
  const warn = init.warn ?? ((line: string) => console.warn(line));
  const redact: Redactor = createRedactor(init.channels.flatMap((c) => c.secrets));
  const channels = [...init.channels];

  async function log(record: NotificationLogRecord): Promise<void> {
    if (!init.log) return;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`did not finish within ${options.logTimeoutMs} ms`)),
        options.logTimeoutMs,
      );
    });
    try {
      await Promise.race([init.log(record), timeout]);
    } catch (error) {
      warn(`notifiers: could not record a ${record.channel} notification: ${redact(errorText(error))}`);
    } finally {
      clearTimeout(timer);
    }
  }

  async function deliverMessage(channel: BoundChannel, payload: unknown, signal: AbortSignal): Promise<MessageRecord> {
    const started = performance.now();
    const rate = options.pacing[channel.type] ?? channel.rate;
    const abort = { signal };
    // Waiting for the first slot counts against the queue bound, not the delivery bound.
    let release = await pacer.acquire(channel.paceKey, rate, { maxWaitMs: options.queueTimeoutMs, ...abort });
    if (typeof release !== 'function') {
      const error =
        release === 'throttled'
          ? `throttled: the pacing queue for this target is longer than ${options.queueTimeoutMs} ms`
          : signal.reason instanceof Error && signal.reason.name === 'TimeoutError'
            ? `not sent: the alert's time bound (${options.queueTimeoutMs + options.deliveryTimeoutMs} ms) passed first`
            : typeof signal.reason === 'string'
              ? `not sent: ${signal.reason}`
              : 'cancelled before sending';
      return {
        result: { ok: false, statusCode: null, attempts: 0, dead: false, error },
        throttled: release === 'throttled',
        latencyMs: performance.now() - started,
      };
    }
    const result = await sendWithRetries({
      policy: options,
      ...abort,
      async attempt(attemptSignal): Promise<AttemptOutcome> {
        try {
          const outcome = await channel.send(payload, {
            signal: attemptSignal,
            timeoutMs: options.requestTimeoutMs,
            now,
          });
          // Whatever else is queued for this target must wait as told, not only this message.
          if (outcome.retryAfterMs !== null) pacer.pause(channel.paceKey, outcome.retryAfterMs);
          return outcome;
        } catch (error) {
          // A channel that throws has a bug; repeating it would not help.
          return failedAttempt(`channel error: ${errorText(error)}`);
        } finally {
          if (typeof release === 'function') release();
        }
      },
      // A retry is a request the platform counts too: it queues like any other.
      async beforeRetry(retrySignal) {
        release = await pacer.acquire(channel.paceKey, rate, {
          maxWaitMs: options.deliveryTimeoutMs,
          signal: retrySignal,
        });
        return typeof release === 'function' ? 'granted' : release;
      },
    });
    return { result, throttled: false, latencyMs: performance.now() - started };
  }

  async function deliverToChannel(
    channel: BoundChannel,
    alert: Alert,
    text: string,
    signal: AbortSignal | undefined,
  ): Promise<DeliveryResult> {
    const started = performance.now();
    const record = (title: string, m: MessageRecord): NotificationLogRecord => ({
      channel: channel.type,
      kind: alert.kind,
      priority: alert.priority,
      workflowId: alert.workflow?.id ?? null,
      runId: alert.runId ?? null,
      title: redact(title),
      message: text,
      sent: m.result.ok,
      throttled: m.throttled,
      error: m.result.error === null ? null : redact(m.result.error),
      statusCode: m.result.statusCode,
      attempts: m.result.attempts,
      latencyMs: Math.round(m.latencyMs),
    });

    let payloads: unknown[];
    try {
      payloads = channel.render(alert);
    } catch (error) {
      const m: MessageRecord = {
        result: {
          ok: false,
          statusCode: null,
          attempts: 0,
          dead: false,
          error: `could not render: ${errorText(error)}`,
        },
        throttled: false,
        latencyMs: 0,
      };
      await log(record(alert.title, m));
      return unsent(channel, 'failed', redact(m.result.error ?? ''));
    }
    if (payloads.length === 0) {
      return unsent(channel, 'skipped', null);
    }

    // Everything one channel does for one alert, all parts included, ends by this bound.
    const bound = AbortSignal.timeout(options.queueTimeoutMs + options.deliveryTimeoutMs);
    const alertSignal = signal ? AbortSignal.any([bound, signal]) : bound;
    // Parts of a split digest go in order: part 2 never overtakes part 1.
    const outcomes: MessageRecord[] = [];
    for (const payload of payloads) {
      const m = await deliverMessage(channel, payload, alertSignal);
      outcomes.push(m);
      await log(record(titleOf(channel, payload, alert), m));
    }
    const failed = outcomes.find((m) => !m.result.ok);
    const sent = failed === undefined;
    const last = outcomes[outcomes.length - 1];
    const outcome: DeliveryOutcome = sent
      ? 'sent'
      : outcomes.every((m) => m.result.ok || m.throttled)
        ? 'throttled'
        : 'failed';
    const result: DeliveryResult = {
      channel: channel.type,
      target: channel.target,
      outcome,
      sent,
      statusCode: (failed ?? last)?.result.statusCode ?? null,
      attempts: outcomes.reduce((n, m) => n + m.result.attempts, 0),
      latencyMs: Math.round(performance.now() - started),
      messages: payloads.length,
      dead: outcomes.some((m) => m.result.dead),
      error: failed?.result.error ? redact(failed.result.error) : null,
    };
    if (!sent)
      warn(
        `notifiers: ${alert.kind} "${redact(alert.title)}" to ${channel.type} (${channel.target}) ${outcome}: ${result.error}`,
      );
    return result;
  }

  async function send(unlinked: Alert, opts: SendOptions = {}): Promise<DeliveryResult[]> {
    const alert = withLinks(unlinked, options.publicUrl);
    const wanted = opts.channels ? channels.filter((c) => opts.channels?.includes(c.type)) : channels;
    let text: string;
    try {
      text = truncate(redact(plainText(alert)), maxLoggedMessage);
    } catch {
      text = truncate(redact(String(alert.title)), maxLoggedMessage);
    }
    return Promise.all(
      wanted.map(async (channel): Promise<DeliveryResult> => {
        try {
          return await deliverToChannel(channel, alert, text, opts.signal);
        } catch (error) {
          return unsent(channel, 'failed', redact(`delivery error: ${errorText(error)}`));
        }
      }),
    );
  }

  return {
    channels: channels.map((c) => ({ type: c.type, target: c.target })),
    send,
    testAllChannels: ({ host, ...opts } = {}) => send(testAlert(now(), host ?? hostname()), opts),
  };
}

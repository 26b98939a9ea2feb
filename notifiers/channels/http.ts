// One HTTP POST and what its outcome means for delivery. Every request is bounded by the
// caller's signal (request timeout + alert bound); undici's own timeouts are a second net.
// undici is loaded with the first request: a process that sends no alert never pays for it.
import type { Dispatcher } from 'undici';
import { failedAttempt, succeeded, type AttemptOutcome, type SendContext } from '../channel.ts';
import { redactUrl } from '../redact.ts';

export type HttpResponse = { statusCode: number; headers: Record<string, string | string[] | undefined>; body: string };

/** Bodies are read for error details only; a chatty error page need not be kept whole. */
const maxBodyChars = 2000;

export type PostOptions = {
  signal: AbortSignal;
  timeoutMs: number;
  headers?: Record<string, string>;
  dispatcher?: Dispatcher;
};

export async function postJson(url: string, body: string, options: PostOptions): Promise<HttpResponse> {
  const { request } = await import('undici');
  const res = await request(url, {
    method: 'POST',
    body,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'user-agent': 'workflow-monitor',
      ...options.headers,
    },
    signal: options.signal,
    headersTimeout: options.timeoutMs,
    bodyTimeout: options.timeoutMs,
    ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
  });
  const text = await res.body.text();
  return { statusCode: res.statusCode, headers: res.headers, body: text.slice(0, maxBodyChars) };
}

function header(headers: HttpResponse['headers'], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Retry-After is either delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | null {
  if (value === undefined || value.trim() === '') return null;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.ceil(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

/** Discord puts the wait in the JSON body too, in (fractional) seconds. */
function bodyRetryAfter(body: string): number | null {
  try {
    const parsed: unknown = JSON.parse(body);
    if (parsed && typeof parsed === 'object' && 'retry_after' in parsed && typeof parsed.retry_after === 'number') {
      return Math.ceil(parsed.retry_after * 1000);
    }
  } catch {
    // not JSON: no hint there
  }
  return null;
}

function snippet(body: string): string {
  const flat = body.replace(/\s+/g, ' ').trim();
  return flat === '' ? '' : ` (answer: ${flat.slice(0, 300)})`;
}

/**
 * 2xx delivered; 408, 429 and 5xx are worth another try (after Retry-After when given); 404 and
 * 410 mean the webhook is gone; any other 4xx is our request's fault and would fail again.
 */
export function classifyResponse(res: HttpResponse, targetVariable: string): AttemptOutcome {
  const { statusCode } = res;
  if (statusCode >= 200 && statusCode < 300) {
    return succeeded(statusCode);
  }
  const retryAfterMs =
    parseRetryAfter(header(res.headers, 'retry-after')) ?? (statusCode === 429 ? bodyRetryAfter(res.body) : null);
  if (statusCode === 429 || statusCode === 408 || statusCode >= 500) {
    const what = statusCode === 429 ? 'rate limited' : 'server error';
    return failedAttempt(`HTTP ${statusCode} ${what}${snippet(res.body)}`, {
      statusCode,
      retryable: true,
      retryAfterMs,
    });
  }
  if (statusCode === 404 || statusCode === 410) {
    return failedAttempt(
      `HTTP ${statusCode}: the webhook is dead (deleted, or the URL is wrong); check ${targetVariable}${snippet(res.body)}`,
      { statusCode, dead: true },
    );
  }
  const hint = statusCode === 401 || statusCode === 403 ? `not authorised; check ${targetVariable}` : 'rejected';
  return failedAttempt(`HTTP ${statusCode} ${hint}${snippet(res.body)}`, { statusCode });
}

const networkCodes: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'DNS lookup failed',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  EPIPE: 'connection closed',
  UND_ERR_SOCKET: 'connection closed by the server',
  UND_ERR_CONNECT_TIMEOUT: 'connect timed out',
  UND_ERR_HEADERS_TIMEOUT: 'no answer in time',
  UND_ERR_BODY_TIMEOUT: 'response body timed out',
  UND_ERR_CLOSED: 'connection closed',
};

function errorCode(error: unknown): string | undefined {
  if (!error || typeof error !== 'object') return undefined;
  if ('code' in error && typeof error.code === 'string') return error.code;
  if ('cause' in error) return errorCode(error.cause);
  return undefined;
}

/** A thrown request: network trouble is transient; anything else we describe and do not repeat. */
export function classifyError(error: unknown, timeoutMs: number): AttemptOutcome {
  const code = errorCode(error);
  const name = error instanceof Error ? error.name : '';
  if (name === 'TimeoutError' || name === 'AbortError') {
    return failedAttempt(`no answer within ${timeoutMs} ms`, { retryable: true });
  }
  if (code && code in networkCodes) {
    return failedAttempt(`${networkCodes[code]} (${code})`, { retryable: true });
  }
  const message = error instanceof Error ? error.message : String(error);
  // Unknown low-level failures (TLS, parser) are usually transient too; a bounded retry is cheap.
  return failedAttempt(`request failed: ${code ? `${code} ` : ''}${message}`, { retryable: true });
}

/** POSTs once and classifies: the common body of the HTTP channels' `send`. */
export async function postAndClassify(
  url: string,
  body: string,
  targetVariable: string,
  options: PostOptions,
): Promise<AttemptOutcome> {
  try {
    return classifyResponse(await postJson(url, body, options), targetVariable);
  } catch (error) {
    return classifyError(error, options.timeoutMs);
  }
}

/** `send` of a channel that POSTs its payload as JSON, bounded by the attempt's signal and timeout. */
export function sendJson(
  url: string,
  payload: unknown,
  targetVariable: string,
  ctx: SendContext,
): Promise<AttemptOutcome> {
  return postAndClassify(url, JSON.stringify(payload), targetVariable, {
    signal: ctx.signal,
    timeoutMs: ctx.timeoutMs,
  });
}

/**
 * A webhook channel's target, all by its webhook URL: the variable that sets it, secrets,
 * description, pacing, and sending a message there as JSON (`url` adds what the platform asks for).
 */
export function byWebhookUrl(targetVariable: string, url: (webhookUrl: string) => string = (u) => u) {
  return {
    targetVariable,
    secrets: (config: { webhookUrl: string }) => [config.webhookUrl],
    describe: (config: { webhookUrl: string }) => redactUrl(config.webhookUrl),
    paceKey: (config: { webhookUrl: string }) => config.webhookUrl,
    send: (payload: unknown, config: { webhookUrl: string }, ctx: SendContext) =>
      sendJson(url(config.webhookUrl), payload, targetVariable, ctx),
  };
}

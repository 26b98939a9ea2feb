// E-mail over SMTP with nodemailer: an HTML part for mail clients and a text part for everyone
// else. One message per alert (mail has no small limits); SMTP replies are classified like
// HTTP statuses: 4xx transient, 5xx permanent.
import type { Alert } from '../alert.ts';
import { failedAttempt, type AttemptOutcome, type ChannelDefinition } from '../channel.ts';
import type { EmailConfig } from '../../config/alert-channels.ts';
export type { EmailConfig } from '../../config/alert-channels.ts';
import { plainText } from '../format.ts';
import { truncate } from '../limits.ts';
import { emailHtml } from './email-html.ts';

export type EmailMessage = { subject: string; text: string; html: string };

/** Enough for any real stack trace; mail servers often refuse messages over a few MB. */
const maxTextChars = 200_000;

/**
 * Good news says so before the priority: a recovery's subject must not match a mail filter or a
 * pager rule written for `[CRITICAL]` (the priority is the workflow's, not the message's).
 */
const goodNews: Partial<Record<Alert['kind'], string>> = { recovery: 'RESOLVED', success: 'PASSED' };

function emailSubject(alert: Pick<Alert, 'kind' | 'priority' | 'title'>): string {
  const tag = [goodNews[alert.kind], alert.priority.toUpperCase()].filter(Boolean).join(' · ');
  return truncate(`[${tag}] ${alert.title}`.replace(/\s+/g, ' '), 200);
}

function render(alert: Alert): EmailMessage[] {
  const subject = emailSubject(alert);
  return [{ subject, text: truncate(plainText(alert), maxTextChars), html: emailHtml(alert, maxTextChars) }];
}

type SmtpError = Error & { code?: string; responseCode?: number; response?: string };

const transientCodes = new Set([
  'ECONNECTION',
  'ETIMEDOUT',
  'ESOCKET',
  'EDNS',
  'ECONNREFUSED',
  'ECONNRESET',
  'ETLS',
  'EPROTOCOL',
]);

export function classifySmtpError(error: unknown): AttemptOutcome {
  const e = (error ?? {}) as SmtpError;
  const code = typeof e.code === 'string' ? e.code : undefined;
  const reply = typeof e.responseCode === 'number' ? e.responseCode : null;
  const message = e instanceof Error ? (e.message.split('\n')[0] ?? e.message) : String(error);
  if (e.name === 'TimeoutError' || e.name === 'AbortError') {
    return failedAttempt('no answer from the SMTP server in time', { retryable: true });
  }
  if (code === 'EAUTH') {
    return failedAttempt(`SMTP authentication failed; check SMTP_USER and SMTP_PASSWORD (${message})`, {
      statusCode: reply,
    });
  }
  if (reply !== null) {
    const transient = reply >= 400 && reply < 500;
    return failedAttempt(`SMTP ${reply}: ${message}`, { statusCode: reply, retryable: transient });
  }
  const transient = code !== undefined && transientCodes.has(code);
  return failedAttempt(`SMTP ${code ?? 'error'}: ${message}`, { retryable: transient });
}

async function send(
  payload: EmailMessage,
  config: EmailConfig,
  ctx: { signal: AbortSignal; timeoutMs: number },
): Promise<AttemptOutcome> {
  // Loaded with the first mail: a process that sends none never pays for it.
  const { default: nodemailer } = await import('nodemailer');
  // A transport per attempt: nodemailer takes no abort signal, so a stuck one is closed and dropped.
  const transport = nodemailer.createTransport({
    host: config.host,
    port: config.port,
    secure: config.secure,
    ...(config.user ? { auth: { user: config.user, pass: config.password ?? '' } } : {}),
    connectionTimeout: ctx.timeoutMs,
    greetingTimeout: ctx.timeoutMs,
    socketTimeout: ctx.timeoutMs,
    dnsTimeout: ctx.timeoutMs,
  });
  let onAbort: (() => void) | undefined;
  try {
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => reject(ctx.signal.reason instanceof Error ? ctx.signal.reason : new Error('aborted'));
      if (ctx.signal.aborted) onAbort();
      else ctx.signal.addEventListener('abort', onAbort, { once: true });
    });
    const info = await Promise.race([
      transport.sendMail({
        from: config.from,
        to: config.to,
        subject: payload.subject,
        text: payload.text,
        html: payload.html,
      }),
      aborted,
    ]);
    const rejected = (info.rejected ?? []).length;
    if ((info.accepted ?? []).length === 0) {
      return failedAttempt('SMTP server accepted none of SMTP_TO');
    }
    const code = Number.parseInt(String(info.response ?? '250'), 10);
    return {
      ok: true,
      statusCode: Number.isNaN(code) ? 250 : code,
      retryable: false,
      retryAfterMs: null,
      dead: false,
      error: rejected > 0 ? `${rejected} recipient(s) of SMTP_TO rejected` : null,
    };
  } catch (error) {
    return classifySmtpError(error);
  } finally {
    if (onAbort) ctx.signal.removeEventListener('abort', onAbort);
    transport.close();
  }
}

export const emailChannel: ChannelDefinition<EmailConfig, EmailMessage> = {
  type: 'email',
  targetVariable: 'SMTP_HOST',
  rate: { limit: 5, windowMs: 1000 },
  // The password only: a user name is no secret, and often an ordinary word ("monitor").
  secrets: (config) => (config.password === null ? [] : [config.password]),
  describe: (config) =>
    `smtp://${config.host}:${config.port} → ${config.to.length} recipient${config.to.length === 1 ? '' : 's'}`,
  paceKey: (config) => `${config.host}:${config.port}`,
  render,
  title: (payload) => payload.subject,
  send,
};

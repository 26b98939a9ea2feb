// A real SMTP server (smtp-server) on 127.0.0.1 that records every message, parsed with
// mailparser, and can be told to refuse, defer or never answer. Plain SMTP, no STARTTLS:
// only for tests on this machine.
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerDataStream } from 'smtp-server';
import { waitForArrivals } from './arrivals.ts';

export type ReceivedMail = {
  envelope: { from: string | null; to: string[] };
  /** The AUTH user, when the client logged in. */
  user: string | null;
  raw: string;
  parsed: ParsedMail;
  subject: string;
  text: string;
  html: string;
  receivedAt: number;
};

/** How the sink answers the DATA of one message. */
export type SmtpReply =
  | { kind: 'accept' }
  /** A reply code: 4xx defers (transient), 5xx refuses (permanent). */
  | { kind: 'reject'; code: number; message: string }
  /** Takes the message and never answers. */
  | { kind: 'hang' };

export const smtpReply = {
  accept: (): SmtpReply => ({ kind: 'accept' }),
  reject: (code: number, message = code >= 500 ? 'Message refused' : 'Try again later'): SmtpReply => ({
    kind: 'reject',
    code,
    message,
  }),
  hang: (): SmtpReply => ({ kind: 'hang' }),
};

export type SmtpSinkOptions = {
  /** Require AUTH with these credentials (allowed without TLS, for tests). */
  auth?: { user: string; pass: string };
  script?: SmtpReply[];
};

export type SmtpSink = {
  readonly host: string;
  readonly port: number;
  readonly messages: ReceivedMail[];
  /** SMTP_* variables pointing at this sink, for notifiers/config.ts. */
  env(extra?: { from?: string; to?: string }): Record<string, string>;
  script(...replies: SmtpReply[]): void;
  waitForMessages(count: number, timeoutMs?: number): Promise<ReceivedMail[]>;
  close(): Promise<void>;
};

async function readAll(stream: SMTPServerDataStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startSmtpSink(options: SmtpSinkOptions = {}): Promise<SmtpSink> {
  const queue: SmtpReply[] = [...(options.script ?? [])];
  const messages: ReceivedMail[] = [];
  const waiters = new Set<() => void>();

  const server = new SMTPServer({
    disabledCommands: options.auth ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
    authOptional: !options.auth,
    allowInsecureAuth: true,
    disableReverseLookup: true,
    logger: false,
    onAuth(auth, _session, callback) {
      if (options.auth && auth.username === options.auth.user && auth.password === options.auth.pass) {
        callback(null, { user: auth.username });
      } else {
        callback(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
      }
    },
    onData(stream, session, callback) {
      const next = queue.shift() ?? smtpReply.accept();
      readAll(stream).then(
        async (raw) => {
          if (next.kind === 'hang') return;
          if (next.kind === 'reject') {
            callback(Object.assign(new Error(next.message), { responseCode: next.code }));
            return;
          }
          const parsed = await simpleParser(raw);
          messages.push({
            envelope: {
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : null,
              to: session.envelope.rcptTo.map((r) => r.address),
            },
            user: typeof session.user === 'string' ? session.user : null,
            raw,
            parsed,
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
            html: typeof parsed.html === 'string' ? parsed.html : '',
            receivedAt: performance.now(),
          });
          for (const wake of waiters) wake();
          callback();
        },
        (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
      );
    },
  });
  server.listen(0, '127.0.0.1');
  await once(server.server, 'listening');
  const { port } = server.server.address() as AddressInfo;

  return {
    host: '127.0.0.1',
    port,
    messages,
    env: (extra = {}) => ({
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(port),
      SMTP_SECURE: 'false',
      SMTP_FROM: extra.from ?? 'Workflow Monitor <monitor@example.test>',
      SMTP_TO: extra.to ?? 'oncall@example.test',
      ...(options.auth ? { SMTP_USER: options.auth.user, SMTP_PASSWORD: options.auth.pass } : {}),
    }),
    script: (...replies) => {
      queue.push(...replies);
    },
    waitForMessages: (count, timeoutMs = 10_000) =>
      waitForArrivals({ items: messages, waiters, label: 'smtp sink', noun: 'messages' }, count, timeoutMs),
    async close() {
      // smtp-server waits for clients to leave; a hanging test client would hold it forever.
      for (const connection of server.connections) (connection as { close?: () => void }).close?.();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

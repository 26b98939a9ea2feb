// A real HTTP server on 127.0.0.1 that records every request and answers from a script:
// status sequences, Retry-After, JSON bodies, a delay, never answering, dropping the
// connection. Stands in for Slack, Discord, Teams, PagerDuty or any webhook receiver.
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { waitForArrivals } from './arrivals.ts';

export type SinkReply =
  | { kind: 'reply'; status: number; headers?: Record<string, string>; body?: string; delayMs?: number }
  /** Accepts the request and never answers (until the sink closes). */
  | { kind: 'hang' }
  /** Closes the connection without an answer. */
  | { kind: 'destroy' };

export type RecordedRequest = {
  method: string;
  /** Path and query, as sent. */
  url: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
  /** performance.now() when the request was complete: for spacing checks in the same process. */
  receivedAt: number;
  at: Date;
  json<T = unknown>(): T;
};

export type Responder = SinkReply | ((request: RecordedRequest) => SinkReply);

export const reply = {
  status(status: number, body = '', headers: Record<string, string> = {}): SinkReply {
    return { kind: 'reply', status, body, headers };
  },
  ok(body = 'ok'): SinkReply {
    return { kind: 'reply', status: 200, body, headers: { 'content-type': 'text/plain' } };
  },
  json(status: number, value: unknown, headers: Record<string, string> = {}): SinkReply {
    return {
      kind: 'reply',
      status,
      body: JSON.stringify(value),
      headers: { 'content-type': 'application/json', ...headers },
    };
  },
  /** 429 with Retry-After in seconds (and Discord's JSON `retry_after`). */
  rateLimited(seconds: number): SinkReply {
    return reply.json(
      429,
      { message: 'You are being rate limited.', retry_after: seconds, global: false },
      { 'retry-after': String(seconds) },
    );
  },
  delayed(delayMs: number, inner: SinkReply = reply.ok()): SinkReply {
    return inner.kind === 'reply' ? { ...inner, delayMs } : inner;
  },
  hang(): SinkReply {
    return { kind: 'hang' };
  },
  destroy(): SinkReply {
    return { kind: 'destroy' };
  },
};

export type HttpSinkOptions = {
  /** Answers for the first requests, one each, in order. */
  script?: SinkReply[];
  /** The answer once the script is used up (default: 200 "ok"); a function can route or validate. */
  fallback?: Responder;
};

export type HttpSink = {
  /** Base URL, e.g. http://127.0.0.1:40123 */
  readonly url: string;
  urlFor(path: string): string;
  readonly requests: RecordedRequest[];
  /** Appends answers to the script. */
  script(...replies: SinkReply[]): void;
  setFallback(responder: Responder): void;
  /** Resolves once `count` requests have arrived; rejects after `timeoutMs`. */
  waitForRequests(count: number, timeoutMs?: number): Promise<RecordedRequest[]>;
  close(): Promise<void>;
};

async function answer(res: ServerResponse, r: SinkReply): Promise<void> {
  if (r.kind === 'hang') return;
  if (r.kind === 'destroy') {
    res.socket?.destroy();
    return;
  }
  if (r.delayMs) await sleep(r.delayMs);
  if (res.destroyed) return;
  res.writeHead(r.status, r.headers ?? {});
  res.end(r.body ?? '');
}

export async function startHttpSink(options: HttpSinkOptions = {}): Promise<HttpSink> {
  const queue: SinkReply[] = [...(options.script ?? [])];
  let fallback: Responder = options.fallback ?? reply.ok();
  const requests: RecordedRequest[] = [];
  const waiters = new Set<() => void>();

  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://sink');
    const recorded: RecordedRequest = {
      method: req.method ?? 'GET',
      url: req.url ?? '/',
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      body,
      receivedAt: performance.now(),
      at: new Date(),
      json: <T>() => JSON.parse(body) as T,
    };
    requests.push(recorded);
    for (const wake of waiters) wake();
    const next = queue.shift() ?? (typeof fallback === 'function' ? fallback(recorded) : fallback);
    try {
      await answer(res, next);
    } catch {
      res.destroy();
    }
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const base = `http://127.0.0.1:${port}`;

  return {
    url: base,
    urlFor: (path) => new URL(path, base).toString(),
    requests,
    script: (...replies) => {
      queue.push(...replies);
    },
    setFallback: (responder) => {
      fallback = responder;
    },
    waitForRequests: (count, timeoutMs = 10_000) =>
      waitForArrivals({ items: requests, waiters, label: 'http sink', noun: 'requests' }, count, timeoutMs),
    async close() {
      // Hanging and kept-alive connections would hold close() (and the test process) open.
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * A URL on 127.0.0.1 where nothing listens: connection refused. A port below the ephemeral range,
 * which listen(0) never hands out: a free ephemeral port (what this returned before) could be taken
 * by a sink another test started a moment later, and that sink then saw this test's retries.
 */
export async function refusedUrl(path = '/'): Promise<string> {
  for (const port of [9, 1, 3, 5, 11, 13, 17, 19]) {
    if (await refuses(port)) return `http://127.0.0.1:${port}${path}`;
  }
  throw new Error('refusedUrl: something listens on every port tried on 127.0.0.1 (9, 1, 3, 5, 11, 13, 17, 19)');
}

function refuses(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
  });
}

// A tiny stand-in for the monitored platform (node:http on a free loopback port) whose
// /api/health answers whatever the test hands it, one answer per request in order, and whose
// /api/gate holds requests until the test opens it. Anything else: 200 with a small page.
import http from 'node:http';

export type TargetAnswer = { status?: number; contentType?: string; body: string | Buffer };

export type PayloadTarget = {
  url: string;
  /** Requests served per path. */
  hits: Map<string, number>;
  /** Lets every waiting and later /api/gate request through. */
  openGate(): void;
  /** Resolves once `n` requests have reached /api/gate (answered or held). */
  gateReached(n: number): Promise<void>;
  close(): Promise<void>;
};

export type PayloadTargetOptions = {
  /** The n-th /api/health answer (0-based); the last one repeats. */
  health?: TargetAnswer[];
  /** How many /api/gate requests pass before the gate closes (default 1). */
  gateFreePasses?: number;
};

const json = (value: unknown): TargetAnswer => ({ body: JSON.stringify(value) });

export async function startPayloadTarget(options: PayloadTargetOptions = {}): Promise<PayloadTarget> {
  const hits = new Map<string, number>();
  const health = options.health ?? [json({ status: 'healthy', checks: {} })];
  const free = options.gateFreePasses ?? 1;
  let open = false;
  const held: (() => void)[] = [];
  const reached: { n: number; resolve: () => void }[] = [];
  let gateCount = 0;
  const server = http.createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const n = hits.get(path) ?? 0;
    hits.set(path, n + 1);
    const send = (a: TargetAnswer) => {
      res.writeHead(a.status ?? 200, {
        'content-type': a.contentType ?? 'application/json',
        'content-length': Buffer.byteLength(a.body),
      });
      res.end(a.body);
    };
    if (path === '/api/ready') return send(json({ status: 'ready' }));
    if (path === '/api/health') return send(health[Math.min(n, health.length - 1)]!);
    if (path === '/api/gate') {
      gateCount++;
      for (const r of reached.filter((x) => gateCount >= x.n)) r.resolve();
      const pass = () => send(json({ ok: true }));
      if (open || gateCount <= free) return pass();
      held.push(pass);
      return undefined;
    }
    return send({ contentType: 'text/html', body: '<!doctype html><title>target</title><p>ok</p>' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${address.port}`,
    hits,
    openGate() {
      open = true;
      for (const pass of held.splice(0)) pass();
    },
    gateReached(count) {
      if (gateCount >= count) return Promise.resolve();
      return new Promise((resolve) => reached.push({ n: count, resolve }));
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

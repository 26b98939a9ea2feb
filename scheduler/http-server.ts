// The daemon's HTTP server: a table of routes, so the dashboard (and its JSON API) can be added
// later with `addRoute` without touching the server. Every handler is bounded by a timeout.
import http from 'node:http';

export type RouteResponse = {
  status?: number;
  contentType?: string;
  body: string | Buffer;
  headers?: Record<string, string>;
};
export type RouteHandler = (req: http.IncomingMessage, url: URL) => Promise<RouteResponse> | RouteResponse;

export type HttpServer = {
  addRoute(method: string, path: string, handler: RouteHandler): void;
  listen(port: number, host: string): Promise<{ port: number; host: string }>;
  close(): Promise<void>;
};

export type RouteTable = {
  addRoute(method: string, path: string, handler: RouteHandler): void;
  /** The handler for a request (HEAD falls back to GET), if any. */
  find(method: string, path: string): RouteHandler | undefined;
};

/** Routes by method and path; a path ending in `/*` matches every path under it (e.g. `/badge/*`), exact paths first. */
export function createRouteTable(): RouteTable {
  const routes = new Map<string, RouteHandler>();
  const prefixes: { method: string; prefix: string; handler: RouteHandler }[] = [];
  const lookup = (method: string, path: string) =>
    routes.get(`${method} ${path}`) ??
    prefixes.find((p) => p.method === method && path.startsWith(p.prefix) && path.length > p.prefix.length)?.handler;
  return {
    addRoute(method, path, handler) {
      if (path.endsWith('/*')) prefixes.push({ method: method.toUpperCase(), prefix: path.slice(0, -1), handler });
      else routes.set(`${method.toUpperCase()} ${path}`, handler);
    },
    find: (method, path) => lookup(method, path) ?? (method === 'HEAD' ? lookup('GET', path) : undefined),
  };
}

export function createHttpServer(
  options: { handlerTimeoutMs?: number; log?: (line: string) => void } = {},
): HttpServer {
  const table = createRouteTable();
  const timeoutMs = options.handlerTimeoutMs ?? 10_000;
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const handler = table.find(req.method ?? 'GET', url.pathname);
    if (!handler) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    let timer: NodeJS.Timeout | undefined;
    try {
      const response = await Promise.race([
        Promise.resolve(handler(req, url)),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error('handler timed out')), timeoutMs);
        }),
      ]);
      res.writeHead(response.status ?? 200, {
        'content-type': response.contentType ?? 'text/plain; charset=utf-8',
        'cache-control': 'no-store',
        ...response.headers,
      });
      res.end(req.method === 'HEAD' ? undefined : response.body);
    } catch (error) {
      options.log?.(`http ${req.method} ${url.pathname} failed: ${(error as Error).message}`);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('internal error\n');
    } finally {
      clearTimeout(timer);
    }
  });
  server.keepAliveTimeout = 5_000;
  return {
    addRoute: table.addRoute,
    listen(port, host) {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          const address = server.address();
          resolve({ port: typeof address === 'object' && address ? address.port : port, host });
        });
      });
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

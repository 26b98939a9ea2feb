// startDemoApp(): the whole demo platform on one node:http server, usable in-process by
// tests (port 0) and by server.ts. Faults apply here, before any route runs, so that every
// route sees them the same way.
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { adminRoutes } from './admin-routes.ts';
import { assetRoutes } from './assets.ts';
import { authRoutes } from './auth-routes.ts';
import { cartRoutes } from './cart-routes.ts';
import { checkoutRoutes } from './checkout-routes.ts';
import { defaultAdminToken } from './config.ts';
import { methodNotAllowed, notFound, serverError } from './error-pages.ts';
import { farmRoutes } from './farm-routes.ts';
import { FaultSwitchboard, parseFaults } from './faults.ts';
import type { Fault } from './faults.ts';
import { healthRoutes } from './health-routes.ts';
import { homeRoutes } from './home-routes.ts';
import { HttpError, parseCookies, sendJson } from './http.ts';
import { productRoutes } from './product-routes.ts';
import { matchRoute } from './router.ts';
import type { AppState, RequestContext, Route } from './router.ts';
import { sessionCookieName } from './sessions.ts';
import { Store } from './store.ts';
import { parseVariant } from './variant.ts';
import type { Variant } from './variant.ts';

export interface DemoAppOptions {
  /** 0 (the default here) picks a free port. */
  port?: number;
  host?: string;
  /** A DEMO_FAULTS-style list or already parsed faults. */
  faults?: string | readonly Fault[];
  adminToken?: string;
  /** One line per request on stdout. */
  log?: boolean;
  /** The face the pages show (variant.ts); "standard" by default. */
  variant?: Variant;
}

export interface DemoApp {
  url: string;
  close(): Promise<void>;
  /** Replaces the active faults; throws on an unknown or malformed fault. */
  setFaults(list: string): void;
  /** Switches the face of every page from the next request on; throws on an unknown name. */
  setVariant(name: string): void;
}

const forceCloseAfterMs = 2_000;
/** Marks a visit (a browser session) for the flaky fault; carries no identity. */
export const visitCookieName = 'demo_visit';

function faultsFrom(spec: string | readonly Fault[] | undefined): Fault[] {
  if (spec === undefined) return [];
  if (typeof spec !== 'string') return [...spec];
  const parsed = parseFaults(spec);
  if (!parsed.ok) throw new Error(parsed.problems.join('; '));
  return parsed.faults;
}

/** A URL a local client can use, even when listening on every interface. */
function urlFor(host: string, port: number): string {
  const reachable = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
  return `http://${reachable.includes(':') ? `[${reachable}]` : reachable}:${port}`;
}

export function createRequestHandler(app: AppState, routes: readonly Route[], log: boolean) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const started = performance.now();
    const url = new URL(req.url ?? '/', 'http://demo.invalid');
    if (log) {
      res.on('finish', () => {
        console.log(
          `${req.method ?? '-'} ${url.pathname}${url.search} ${res.statusCode} ${Math.round(performance.now() - started)}ms`,
        );
      });
    }
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('x-frame-options', 'SAMEORIGIN');
    res.setHeader('referrer-policy', 'strict-origin-when-cross-origin');
    const found = app.store.findSession(parseCookies(req.headers.cookie).get(sessionCookieName));
    const ctx: RequestContext = { req, res, url, params: {}, app, session: found?.session, user: found?.user };
    try {
      const match = matchRoute(routes, req.method ?? 'GET', url.pathname);
      if (!match) {
        notFound(ctx);
        return;
      }
      if ('methodNotAllowed' in match) {
        methodNotAllowed(ctx);
        return;
      }
      ctx.params = match.params;
      const isPageView = match.route.kind === 'page' && (req.method === 'GET' || req.method === 'HEAD');
      if (isPageView) {
        const cookies = parseCookies(req.headers.cookie);
        const newVisit = !cookies.has(visitCookieName);
        // Set on every page, the 500 included: a reload in the same visit gets past the fault.
        if (newVisit)
          res.appendHeader('set-cookie', `${visitCookieName}=${randomUUID()}; Path=/; HttpOnly; SameSite=Lax`);
        if (app.faults.nextPageFails(newVisit)) {
          serverError(ctx);
          return;
        }
      }
      await match.route.handler(ctx);
    } catch (error) {
      if (error instanceof HttpError) {
        if (!res.headersSent) sendJson(res, error.status, { success: false, error: error.message });
        return;
      }
      console.error(`demo-app: ${req.method ?? '-'} ${url.pathname} failed:`, error);
      serverError(ctx);
    }
  };
}

export async function startDemoApp(options: DemoAppOptions = {}): Promise<DemoApp> {
  const host = options.host ?? '127.0.0.1';
  const state: AppState = {
    store: new Store(),
    faults: new FaultSwitchboard(faultsFrom(options.faults)),
    adminToken: options.adminToken ?? defaultAdminToken,
    startedAt: Date.now(),
    variant: options.variant ?? 'standard',
  };
  const routes: Route[] = [
    ...homeRoutes,
    ...authRoutes,
    ...productRoutes,
    ...cartRoutes,
    ...checkoutRoutes,
    ...farmRoutes,
    ...healthRoutes,
    ...adminRoutes,
    ...assetRoutes(),
  ];
  const handler = createRequestHandler(state, routes, options.log ?? false);
  const server = createServer((req, res) => void handler(req, res));

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  let closing: Promise<void> | undefined;
  return {
    url: urlFor(host, port),
    setFaults(list: string): void {
      state.faults.replace(faultsFrom(list));
    },
    setVariant(name: string): void {
      const parsed = parseVariant(name);
      if (typeof parsed !== 'string') throw new Error(parsed.problem);
      state.variant = parsed;
    },
    close(): Promise<void> {
      closing ??= new Promise<void>((resolve) => {
        // Browsers keep idle keep-alive sockets open; without this, close() waits for them.
        const force = setTimeout(() => server.closeAllConnections(), forceCloseAfterMs);
        force.unref();
        server.close(() => {
          clearTimeout(force);
          resolve();
        });
        server.closeIdleConnections();
      });
      return closing;
    },
  };
}

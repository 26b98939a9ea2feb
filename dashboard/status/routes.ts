// The public routes: /status, /status/incidents/<id>, /status/feed.atom, /status.json and the
// badges. Without a token when STATUS_PAGE_PUBLIC=true (the only routes that ever are), behind
// DASHBOARD_TOKEN otherwise. No script, a strict CSP, ETags for caches.
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { DatabasePool } from '../../db/pool.ts';
import { badgeSvg, stateColor, uptimeColor } from './badge.ts';
import { sql } from 'slonik';
import { z } from 'zod';
import { buildStatus, workflowFigures, type StatusData, type StatusSources } from './build.ts';
import { atomFeed, statusJson } from './feeds.ts';
import { percent } from './model.ts';
import { renderIncidentPage, renderStatusPage } from './page.ts';

type Response = { status?: number; contentType?: string; body: string | Buffer; headers?: Record<string, string> };
type Routes = {
  addRoute(
    method: string,
    path: string,
    handler: (req: IncomingMessage, url: URL) => Promise<Response> | Response,
  ): void;
};
export type StatusRouteDeps = StatusSources & {
  pool: () => DatabasePool | null;
  /** The dashboard's check, used unless the page is public. */
  authorized: (req: IncomingMessage) => boolean;
  unauthorized: Response;
};

const headers = {
  'content-security-policy':
    "default-src 'none'; img-src http: https: data:; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

/**
 * Shared caches may keep a public answer; one behind the token stays in the browser's own cache.
 * maxAge 0: kept, but revalidated by its ETag on every visit (a reload shows the current state).
 */
function cacheable(req: IncomingMessage, contentType: string, body: string, maxAge: number, shared: boolean): Response {
  const etag = `"${createHash('sha1').update(body).digest('base64url')}"`;
  const h = {
    ...headers,
    etag,
    'cache-control': `${shared ? 'public' : 'private'}, ${maxAge === 0 ? 'no-cache' : `max-age=${maxAge}`}`,
  };
  if (req.headers['if-none-match'] === etag) return { status: 304, body: '', headers: h };
  return { contentType, body, headers: h };
}

const origin = (req: IncomingMessage) =>
  `http://${String(req.headers.host ?? 'localhost').replace(/[^\w.:[\]-]/g, '')}`;

/** Changes when an attempt is stored or a workflow's state moves: the cached view is then rebuilt. */
const versionRow = z.object({ v: z.string().nullable() });
const dataVersion = (pool: DatabasePool) =>
  pool.oneFirst(sql.type(versionRow)`SELECT
  coalesce((SELECT max(execution_id)::text FROM workflow_last_executions), '-') || '/' ||
  coalesce((SELECT max(updated_at)::text FROM workflow_states), '-') AS v`);

export function addStatusRoutes(server: Routes, deps: StatusRouteDeps): void {
  const cached = (req: IncomingMessage, contentType: string, body: string, maxAge: number) =>
    cacheable(req, contentType, body, maxAge, deps.config.public);
  // One build serves every request while the data has not moved (at most 30 s, for maintenance
  // windows opening and closing): a public page must not cost a database scan per visitor.
  let cache: { version: string | null; at: number; data: Promise<StatusData & { now: Date }> } | null = null;
  const current = async (pool: DatabasePool) => {
    const version = await dataVersion(pool);
    if (!cache || cache.version !== version || Date.now() - cache.at > 30_000) {
      const now = new Date();
      const entry = { version, at: now.getTime(), data: buildStatus(pool, deps, now).then((d) => ({ ...d, now })) };
      cache = entry;
      entry.data.catch(() => {
        if (cache === entry) cache = null;
      });
    }
    return cache.data;
  };
  const guard =
    (handler: (req: IncomingMessage, url: URL, pool: DatabasePool) => Promise<Response>) =>
    async (req: IncomingMessage, url: URL): Promise<Response> => {
      if (!deps.config.public && !deps.authorized(req)) return deps.unauthorized;
      const pool = deps.pool();
      if (!pool) return { status: 503, contentType: 'text/plain', body: 'the status page is starting\n', headers };
      return handler(req, url, pool);
    };
  /** A view of the whole current status at `path`: built from the shared build, never stored (max-age 0). */
  const view = (
    path: string,
    contentType: string,
    render: (data: StatusData & { now: Date }, req: IncomingMessage) => string,
  ) =>
    server.addRoute(
      'GET',
      path,
      guard(async (req, _url, pool) => cached(req, contentType, render(await current(pool), req), 0)),
    );
  view('/status', 'text/html; charset=utf-8', (data) => renderStatusPage({ config: deps.config, ...data }));
  view('/status.json', 'application/json', (data) =>
    JSON.stringify(statusJson(deps.config, data.groups, data.incidents, data.maintenance, data.now)),
  );
  view('/status/feed.atom', 'application/atom+xml; charset=utf-8', (data, req) =>
    atomFeed(deps.config, data.incidents, origin(req), data.now),
  );
  server.addRoute(
    'GET',
    '/status/incidents/*',
    guard(async (req, url, pool) => {
      const id = Number(url.pathname.slice('/status/incidents/'.length));
      const incident = Number.isSafeInteger(id) ? (await current(pool)).incidents.find((i) => i.id === id) : undefined;
      if (!incident) return { status: 404, contentType: 'text/plain', body: 'no such incident\n', headers };
      return cached(req, 'text/html; charset=utf-8', renderIncidentPage(deps.config, incident), 0);
    }),
  );
  // /badge/<id>.svg (state) and /badge/<id>/uptime.svg?days=30.
  server.addRoute(
    'GET',
    '/badge/*',
    guard(async (req, url, pool) => {
      const rest = decodeURIComponent(url.pathname.slice('/badge/'.length));
      const uptime = rest.endsWith('/uptime.svg');
      const id = uptime
        ? rest.slice(0, -'/uptime.svg'.length)
        : rest.endsWith('.svg')
          ? rest.slice(0, -'.svg'.length)
          : '';
      const days = Math.min(90, Math.max(1, Math.trunc(Number(url.searchParams.get('days') ?? 30)) || 30));
      const figures = id ? await workflowFigures(pool, deps, id, days, new Date()) : null;
      if (!figures)
        return {
          status: 404,
          contentType: 'image/svg+xml',
          body: badgeSvg('status', 'unknown workflow', 'grey'),
          headers,
        };
      const svg = uptime
        ? badgeSvg(`uptime ${days}d`, percent(figures.availability), uptimeColor(figures.availability))
        : badgeSvg(figures.title, figures.state.toLowerCase(), stateColor[figures.state] ?? 'grey');
      return cached(req, 'image/svg+xml', svg, 60);
    }),
  );
}

// The dashboard on the daemon's HTTP server (`/`, `/api/*`): read-only, every value sent as JSON
// and rendered as text by the page, artifacts served only from inside the artifacts folder, and a
// token required (Bearer, or Basic with the token as password, for browsers) when one is set.
import { timingSafeEqual } from 'node:crypto';
import { readdirSync, readFileSync, realpathSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { DatabasePool } from '../db/pool.ts';
import type { StatusSources } from './status/build.ts';
import { addStatusRoutes } from './status/routes.ts';
import { incidentTimeline } from './status/timeline.ts';
import {
  artifactPath,
  attemptOfRun,
  executionDetail,
  latestReports,
  latestVersion,
  notifications,
  overview,
  workflowDetail,
  type ScheduleInfo,
} from './queries.ts';

export type DashboardResponse = {
  status?: number;
  contentType?: string;
  body: string | Buffer;
  headers?: Record<string, string>;
};
/** The part of the daemon's HTTP server the dashboard uses. */
export type RouteTable = {
  addRoute(
    method: string,
    path: string,
    handler: (req: IncomingMessage, url: URL) => Promise<DashboardResponse> | DashboardResponse,
  ): void;
};

export type DashboardDeps = {
  pool: () => DatabasePool | null;
  schedules: () => readonly ScheduleInfo[];
  /** The daemon's own health, shown on the overview. */
  daemon: () => Record<string, unknown>;
  artifactsDir: string;
  /** Required on every dashboard request when set (and on the status page unless it is public). */
  token: string | null;
  /** The public status page (/status, feeds, badges), when given. */
  status?: StatusSources;
};

const here = path.dirname(new URL(import.meta.url).pathname);
/** The page's own scripts (dashboard/public/), in the order index.html loads them. */
const pageScripts = [
  'ui.js',
  'charts.js',
  'readable.js',
  'beats.js',
  'timeline.js',
  'overview.js',
  'workflow-view.js',
  'execution-view.js',
  'app.js',
];
const asset = (name: string) => readFileSync(path.join(here, 'public', name));
const require = createRequire(import.meta.url);
const uplotDir = path.dirname(require.resolve('uplot/dist/uPlot.iife.min.js'));
/** Playwright's own trace viewer (the app behind `show-trace`), a static site with a service worker. */
const traceViewerDir = path.join(
  path.dirname(require.resolve('playwright-core/package.json')),
  'lib',
  'vite',
  'traceViewer',
);
const typeByExtension: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.ttf': 'font/ttf',
  '.webmanifest': 'application/manifest+json',
  '.json': 'application/json',
};

const securityHeaders = {
  'content-security-policy':
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

const json = (value: unknown, status = 200): DashboardResponse => ({
  status,
  contentType: 'application/json',
  body: JSON.stringify(value),
  headers: securityHeaders,
});
const problem = (status: number, message: string) => json({ error: message }, status);
/** Asks a browser for the token as a Basic password. */
const unauthorized: DashboardResponse = {
  status: 401,
  contentType: 'text/plain',
  body: 'a token is required\n',
  headers: { 'www-authenticate': 'Basic realm="workflow-monitor"' },
};

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function authorized(req: IncomingMessage, token: string | null): boolean {
  if (!token) return true;
  const header = req.headers.authorization ?? '';
  const [scheme = '', value = ''] = header.split(' ', 2);
  if (scheme.toLowerCase() === 'bearer') return sameSecret(value, token);
  if (scheme.toLowerCase() === 'basic') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    return sameSecret(decoded.slice(decoded.indexOf(':') + 1), token);
  }
  return false;
}

/** A stored path is served only when it resolves (symlinks included) inside the artifacts folder. */
export function insideFolder(file: string, folder: string): string | null {
  try {
    const root = realpathSync(folder);
    const real = realpathSync(path.resolve(folder, file));
    return real.startsWith(root + path.sep) ? real : null;
  } catch {
    return null;
  }
}

export function addDashboardRoutes(server: RouteTable, deps: DashboardDeps): void {
  const files: Record<string, { type: string; body: Buffer }> = {
    '/': { type: 'text/html; charset=utf-8', body: asset('index.html') },
    ...Object.fromEntries(
      pageScripts.map((name) => [`/dashboard/${name}`, { type: 'text/javascript; charset=utf-8', body: asset(name) }]),
    ),
    '/dashboard/app.css': { type: 'text/css; charset=utf-8', body: asset('app.css') },
    '/dashboard/uplot.js': {
      type: 'text/javascript; charset=utf-8',
      body: readFileSync(path.join(uplotDir, 'uPlot.iife.min.js')),
    },
    '/dashboard/uplot.css': {
      type: 'text/css; charset=utf-8',
      body: readFileSync(path.join(uplotDir, 'uPlot.min.css')),
    },
  };
  // The trace viewer loads a trace from `?trace=<url>`: the failure view links it to /api/artifact.
  // Served without the dashboard's CSP (it needs workers and blob: URLs), behind the same token.
  for (const entry of readdirSync(traceViewerDir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    const route = `/trace-viewer/${path.relative(traceViewerDir, file).split(path.sep).join('/')}`;
    const type = typeByExtension[path.extname(file)] ?? 'application/octet-stream';
    const body = readFileSync(file);
    server.addRoute('GET', route, (req): DashboardResponse =>
      authorized(req, deps.token)
        ? { contentType: type, body, headers: { 'x-content-type-options': 'nosniff', 'cache-control': 'max-age=3600' } }
        : unauthorized,
    );
  }
  const guard =
    (handler: (req: IncomingMessage, url: URL, pool: DatabasePool) => Promise<DashboardResponse>) =>
    async (req: IncomingMessage, url: URL): Promise<DashboardResponse> => {
      if (!authorized(req, deps.token)) {
        return unauthorized;
      }
      const pool = deps.pool();
      if (!pool) return problem(503, 'the database is not connected yet');
      return handler(req, url, pool);
    };
  for (const [route, file] of Object.entries(files)) {
    server.addRoute('GET', route, (req) =>
      authorized(req, deps.token)
        ? { contentType: file.type, body: file.body, headers: securityHeaders }
        : unauthorized,
    );
  }
  // An attempt by id and start time, or (alert links) by run and workflow: its newest retry.
  const idAndTime = async (url: URL, pool: DatabasePool) => {
    const run = url.searchParams.get('run');
    const workflow = url.searchParams.get('workflow');
    if (run && workflow) return attemptOfRun(pool, run, workflow);
    const id = Number(url.searchParams.get('id'));
    const at = new Date(url.searchParams.get('at') ?? '');
    return Number.isSafeInteger(id) && id > 0 && !Number.isNaN(at.getTime()) ? { id, at } : null;
  };
  // Stale-while-revalidate: with a thousand workflows the overview takes a second to compute and
  // changes every few hundred ms, so requests get the latest computed one (at most a minute old)
  // at once, and a newer one is computed in the background when the data has moved on. The page
  // compares the version it shows with /api/version and asks again until they match.
  type Overview = Awaited<ReturnType<typeof overview>>;
  let cached: { at: number; value: Overview } | null = null;
  let refreshing: Promise<Overview> | null = null;
  const refresh = (pool: DatabasePool) =>
    (refreshing ??= overview(pool, deps.schedules())
      .then((value) => {
        cached = { at: Date.now(), value };
        return value;
      })
      .finally(() => {
        refreshing = null;
      }));
  server.addRoute(
    'GET',
    '/api/overview',
    guard(async (_req, _url, pool) => {
      const current = cached;
      let value: Overview;
      if (!current || Date.now() - current.at > 60_000) {
        value = await refresh(pool);
      } else {
        value = current.value;
        if (Date.now() - current.at > 1_000 || (await latestVersion(pool)) !== value.version)
          void refresh(pool).catch(() => undefined);
      }
      return json({ ...value, daemon: deps.daemon() });
    }),
  );
  server.addRoute('GET', '/api/daemon', (req) => (authorized(req, deps.token) ? json(deps.daemon()) : unauthorized));
  server.addRoute(
    'GET',
    '/api/version',
    guard(async (_req, _url, pool) => json({ version: await latestVersion(pool) })),
  );
  server.addRoute(
    'GET',
    '/api/workflow',
    guard(async (_req, url, pool) => {
      const id = url.searchParams.get('id') ?? '';
      const hours = Math.min(24 * 30, Math.max(1, Number(url.searchParams.get('hours') ?? 24) || 24));
      const title = deps.schedules().find((w) => w.workflowId === id)?.title;
      return json(await workflowDetail(pool, id, hours, new Date(), title));
    }),
  );
  server.addRoute(
    'GET',
    '/api/execution',
    guard(async (_req, url, pool) => {
      const key = await idAndTime(url, pool);
      if (!key)
        return problem(
          url.searchParams.has('run') ? 404 : 400,
          "id and at (the attempt's start time), or run and workflow, of a stored attempt are required",
        );
      const detail = await executionDetail(pool, key.id, key.at);
      return detail ? json(detail) : problem(404, 'no such execution');
    }),
  );
  server.addRoute(
    'GET',
    '/api/artifact',
    guard(async (_req, url, pool) => {
      const key = await idAndTime(url, pool);
      const kind = url.searchParams.get('kind');
      if (!key || (kind !== 'trace' && kind !== 'screenshot'))
        return problem(400, 'id, at and kind (trace or screenshot) are required');
      const stored = await artifactPath(pool, key.id, key.at, kind);
      const file = stored ? insideFolder(stored, deps.artifactsDir) : null;
      if (!file) return problem(404, 'no such artifact in the artifacts folder');
      const body = await readFile(file);
      return kind === 'trace'
        ? {
            contentType: 'application/zip',
            body,
            headers: { ...securityHeaders, 'content-disposition': `attachment; filename="trace-${key.id}.zip"` },
          }
        : {
            contentType: file.endsWith('.jpeg') || file.endsWith('.jpg') ? 'image/jpeg' : 'image/png',
            body,
            headers: securityHeaders,
          };
    }),
  );
  server.addRoute(
    'GET',
    '/api/incidents',
    guard(async (_req, url, pool) =>
      json(await incidentTimeline(pool, url.searchParams.get('workflow') ?? '', new Date())),
    ),
  );
  server.addRoute(
    'GET',
    '/api/notifications',
    guard(async (_req, _url, pool) => json(await notifications(pool))),
  );
  server.addRoute(
    'GET',
    '/api/reports',
    guard(async (_req, _url, pool) => json(await latestReports(pool))),
  );
  if (deps.status)
    addStatusRoutes(server, {
      ...deps.status,
      pool: deps.pool,
      authorized: (req) => authorized(req, deps.token),
      unauthorized,
    });
}

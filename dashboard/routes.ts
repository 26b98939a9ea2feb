// The dashboard on the daemon's HTTP server (`/`, `/api/*`): read-only, every value sent as JSON
// and rendered as text by the page, artifacts served only from inside the artifacts folder, and a
// token required when one is set (http.ts). The static files are static-files.ts.
import { readFile } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import type { DatabasePool } from '../db/pool.ts';
import {
  authorized,
  insideFolder,
  json,
  problem,
  securityHeaders,
  unauthorized,
  type DashboardResponse,
  type RouteTable,
} from './http.ts';
import { overviewRoute } from './overview-route.ts';
import { addStaticRoutes } from './static-files.ts';
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
  workflowDetail,
  type ScheduleInfo,
} from './queries.ts';

export { authorized, insideFolder, type DashboardResponse, type RouteTable } from './http.ts';

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

export function addDashboardRoutes(server: RouteTable, deps: DashboardDeps): void {
  addStaticRoutes(server, deps.token);
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
  // An attempt by id and start time, or (alert links) by run and workflow: its newest retry.
  const idAndTime = async (url: URL, pool: DatabasePool) => {
    const run = url.searchParams.get('run');
    const workflow = url.searchParams.get('workflow');
    if (run && workflow) return attemptOfRun(pool, run, workflow);
    const id = Number(url.searchParams.get('id'));
    const at = new Date(url.searchParams.get('at') ?? '');
    return Number.isSafeInteger(id) && id > 0 && !Number.isNaN(at.getTime()) ? { id, at } : null;
  };
  // Fresh on every request, reused until the data changes, 304 for the same body (overview-route.ts).
  server.addRoute('GET', '/api/overview', guard(overviewRoute(deps.schedules)));
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

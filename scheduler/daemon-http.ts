// The daemon's HTTP side: /healthz and /metrics (routes.ts), the dashboard and its JSON API, and
// the public status page, on one server listening on MONITOR_HTTP_HOST:MONITOR_HTTP_PORT. The
// dashboard and status modules load with the first request for one of their paths: a daemon
// nobody looks at never holds them.
import path from 'node:path';
import type { DashboardDeps } from '../dashboard/routes.ts';
import type { DatabasePool } from '../db/pool.ts';
import type { SchedulerConfig } from './config.ts';
import { dashboardSchedules } from './describe-schedule.ts';
import { healthReport, type HealthState } from './health.ts';
import { createHttpServer, createRouteTable, type HttpServer, type RouteHandler } from './http-server.ts';
import type { Log } from './log.ts';
import type { createMetrics } from './metrics.ts';
import { addDaemonRoutes } from './routes.ts';
import type { ResolvedSchedule } from './schedules.ts';
import { statusSources, statusWorkflows } from './status-sources.ts';

export type DaemonHttpDeps = {
  config: SchedulerConfig;
  log: Log;
  health: HealthState;
  metrics: ReturnType<typeof createMetrics>;
  pool: () => DatabasePool | null;
  schedules: () => readonly ResolvedSchedule[];
};

export async function serveDaemonHttp(
  d: DaemonHttpDeps,
): Promise<{ server: HttpServer; address: { host: string; port: number } }> {
  const { config: c, log, health, metrics, pool } = d;
  const server = createHttpServer({ log });
  addDaemonRoutes(server, {
    health,
    staleMs: c.healthStaleMs,
    metrics,
    metricsToken: c.metricsToken,
    stateDir: c.stateDir,
  });
  addLazyDashboard(server, {
    pool,
    schedules: () => dashboardSchedules(d.schedules(), c.policy),
    daemon: () => ({ ...healthReport(health, new Date(), c.healthStaleMs).body }),
    artifactsDir: path.join(c.stateDir, 'artifacts'),
    token: c.dashboardToken,
    status: statusSources(c.statusPage, c.policy.maintenance, () => statusWorkflows(d.schedules())),
  });
  const address = await server.listen(c.httpPort, c.httpHost);
  log(`http on http://${address.host}:${address.port} (dashboard /, /healthz, /metrics)`);
  return { server, address };
}

/**
 * Every path the daemon's own routes (/healthz, /metrics) do not answer goes to the dashboard's
 * routes, added to a table of their own the first time one is asked for.
 */
function addLazyDashboard(server: HttpServer, deps: DashboardDeps): void {
  let table: Promise<ReturnType<typeof createRouteTable>> | null = null;
  const load = () =>
    (table ??= import('../dashboard/routes.ts').then(({ addDashboardRoutes }) => {
      const t = createRouteTable();
      addDashboardRoutes(t, deps);
      return t;
    }));
  const handler: RouteHandler = async (req, url) => {
    const route = (await load()).find(req.method ?? 'GET', url.pathname);
    return route ? route(req, url) : { status: 404, body: 'not found\n' };
  };
  for (const method of ['GET', 'POST', 'PUT', 'DELETE']) {
    server.addRoute(method, '/', handler);
    server.addRoute(method, '/*', handler);
  }
}

// The daemon's HTTP side: /healthz and /metrics (routes.ts), the dashboard and its JSON API, and
// the public status page, on one server listening on MONITOR_HTTP_HOST:MONITOR_HTTP_PORT.
import path from 'node:path';
import { addDashboardRoutes } from '../dashboard/routes.ts';
import type { DatabasePool } from '../db/pool.ts';
import type { SchedulerConfig } from './config.ts';
import { dashboardSchedules } from './describe-schedule.ts';
import { healthReport, type HealthState } from './health.ts';
import { createHttpServer, type HttpServer } from './http-server.ts';
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
  addDashboardRoutes(server, {
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

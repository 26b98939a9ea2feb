// The daemon's routes. The dashboard adds its own with server.addRoute().
import { authorized } from '../dashboard/http.ts';
import { outboxStatus } from '../db/outbox.ts';
import type { HealthState } from './health.ts';
import { healthReport } from './health.ts';
import type { HttpServer } from './http-server.ts';
import type { SchedulerMetrics } from './metrics.ts';

/** `/metrics` asks for `metricsToken` (Bearer, as Prometheus' `authorization` sends it) when set; `/healthz` stays open for probes. */
export function addDaemonRoutes(
  server: HttpServer,
  deps: {
    health: HealthState;
    staleMs: number;
    metrics: SchedulerMetrics;
    metricsToken?: string | null;
    stateDir?: string;
  },
): void {
  server.addRoute('GET', '/healthz', async () => {
    // The outbox as it is now: its backlog and dead letters are what an operator asks /healthz about.
    if (deps.stateDir) deps.health.outbox = await outboxStatus(deps.stateDir).catch(() => deps.health.outbox ?? null);
    const report = healthReport(deps.health, new Date(), deps.staleMs);
    return { status: report.status, contentType: 'application/json', body: `${JSON.stringify(report.body)}\n` };
  });
  server.addRoute('GET', '/metrics', async (req) =>
    authorized(req, deps.metricsToken ?? null)
      ? { contentType: deps.metrics.registry.contentType, body: await deps.metrics.registry.metrics() }
      : {
          status: 401,
          body: 'a token is required (METRICS_TOKEN, else DASHBOARD_TOKEN) as Authorization: Bearer <token>\n',
          headers: { 'www-authenticate': 'Bearer realm="workflow-monitor"' },
        },
  );
}

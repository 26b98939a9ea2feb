// The daemon's routes. The dashboard will add its own with server.addRoute().
import type { HealthState } from './health.ts';
import { healthReport } from './health.ts';
import type { HttpServer } from './http-server.ts';
import type { SchedulerMetrics } from './metrics.ts';

export function addDaemonRoutes(server: HttpServer, deps: { health: HealthState; staleMs: number; metrics: SchedulerMetrics }): void {
  server.addRoute('GET', '/healthz', () => {
    const report = healthReport(deps.health, new Date(), deps.staleMs);
    return { status: report.status, contentType: 'application/json', body: `${JSON.stringify(report.body)}\n` };
  });
  server.addRoute('GET', '/metrics', async () => ({
    contentType: deps.metrics.registry.contentType,
    body: await deps.metrics.registry.metrics(),
  }));
}

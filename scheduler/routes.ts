// The daemon's routes. The dashboard will add its own with server.addRoute().
import { outboxStatus } from '../db/outbox.ts';
import type { HealthState } from './health.ts';
import { healthReport } from './health.ts';
import type { HttpServer } from './http-server.ts';
import type { SchedulerMetrics } from './metrics.ts';

export function addDaemonRoutes(server: HttpServer, deps: { health: HealthState; staleMs: number; metrics: SchedulerMetrics; stateDir?: string }): void {
  server.addRoute('GET', '/healthz', async () => {
    // The outbox as it is now: its backlog and dead letters are what an operator asks /healthz about.
    if (deps.stateDir) deps.health.outbox = await outboxStatus(deps.stateDir).catch(() => deps.health.outbox ?? null);
    const report = healthReport(deps.health, new Date(), deps.staleMs);
    return { status: report.status, contentType: 'application/json', body: `${JSON.stringify(report.body)}\n` };
  });
  server.addRoute('GET', '/metrics', async () => ({
    contentType: deps.metrics.registry.contentType,
    body: await deps.metrics.registry.metrics(),
  }));
}

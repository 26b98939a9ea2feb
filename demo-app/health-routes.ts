// GET /api/health and GET /api/ready in the platform's exact JSON shape (TARGET.md). The
// health-down fault reports the database as unreachable, the most common real outage.
import { sendJson } from './http.ts';
import type { RequestContext, Route } from './router.ts';

type CheckStatus = 'healthy' | 'degraded' | 'unhealthy';

const version = '1.1.0';

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

function timed<T>(probe: () => T): { value: T; latency: number } {
  const start = performance.now();
  const value = probe();
  return { value, latency: Math.round(performance.now() - start) };
}

function worst(statuses: readonly CheckStatus[]): CheckStatus {
  if (statuses.includes('unhealthy')) return 'unhealthy';
  if (statuses.includes('degraded')) return 'degraded';
  return 'healthy';
}

export function healthReport(ctx: RequestContext): { httpStatus: number; body: Record<string, unknown> } {
  const down = ctx.app.faults.active.healthDown;
  const db = timed(() => ctx.app.store.users.size);
  const database = down
    ? { status: 'unhealthy' as const, latency: db.latency, message: 'Database connection failed: Connection refused' }
    : { status: 'healthy' as const, latency: db.latency, message: 'Database is responsive' };
  const cacheProbe = timed(() => ctx.app.store.sessions.size);
  const cache = { status: 'healthy' as const, latency: cacheProbe.latency, message: 'Cache is responsive' };
  const mem = process.memoryUsage();
  const used = Math.round(mem.heapUsed / 1_048_576);
  const total = Math.round(mem.heapTotal / 1_048_576);
  const system = {
    status: 'healthy' as const,
    memory: { used, total, percentage: round((mem.heapUsed / mem.heapTotal) * 100, 2) },
    uptime: Math.round((Date.now() - ctx.app.startedAt) / 1000),
  };
  const status = worst([database.status, cache.status, system.status]);
  return {
    httpStatus: status === 'unhealthy' ? 503 : 200,
    body: {
      status,
      timestamp: new Date().toISOString(),
      checks: { database, cache, system },
      version,
      environment: 'production',
    },
  };
}

function health(ctx: RequestContext): void {
  const report = healthReport(ctx);
  sendJson(ctx.res, report.httpStatus, report.body);
}

function ready(ctx: RequestContext): void {
  const timestamp = new Date().toISOString();
  if (ctx.app.faults.active.healthDown) {
    sendJson(ctx.res, 503, {
      status: 'not_ready',
      timestamp,
      checks: { database: false },
      message: 'Database is not reachable',
    });
  } else {
    sendJson(ctx.res, 200, { status: 'ready', timestamp, checks: { database: true } });
  }
}

export const healthRoutes: Route[] = [
  { methods: ['GET'], path: '/api/health', kind: 'api', handler: health },
  { methods: ['GET'], path: '/api/ready', kind: 'api', handler: ready },
];

// The dashboard's routes on a real HTTP server over a test database, closed when the test ends:
// the overview tests' way to read /api/overview as a browser would.
import type { TestContext } from 'node:test';
import { addDashboardRoutes } from '../../dashboard/routes.ts';
import type { DatabasePool } from '../../db/pool.ts';
import { createHttpServer } from '../../scheduler/http-server.ts';

type Schedules = Parameters<typeof addDashboardRoutes>[1]['schedules'];

/** The dashboard on 127.0.0.1 (no token, a daemon saying 'test'): its port. */
export async function dashboardServer(t: TestContext, pool: DatabasePool, schedules: Schedules): Promise<number> {
  const server = createHttpServer({ handlerTimeoutMs: 30_000 });
  addDashboardRoutes(server, {
    pool: () => pool,
    schedules,
    daemon: () => ({ status: 'test' }),
    artifactsDir: '.',
    token: null,
  });
  const { port } = await server.listen(0, '127.0.0.1');
  t.after(() => server.close());
  return port;
}

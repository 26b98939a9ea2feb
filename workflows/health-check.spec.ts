import { test, expect, workflow } from '../fixtures/index.ts';

type Check = { status?: string; message?: string };
type Health = { status?: string; checks?: Record<string, Check> };

test('Health Check', workflow({ id: 'health-check', priority: 'critical', schedule: '*/5 * * * *', type: 'HEALTH', tags: ['api'] }),
  async ({ request, attachHealth }) => {
    let health: Health | null = null;
    let httpStatus = 0;

    await test.step('Request /api/health', async () => {
      const started = performance.now();
      const response = await request.get('/api/health', { failOnStatusCode: false });
      const elapsed = Math.round(performance.now() - started);
      httpStatus = response.status();
      health = await response.json().catch(() => null) as Health | null;
      await attachHealth(health, elapsed, httpStatus);
      expect(health, `/api/health answered HTTP ${httpStatus} without a JSON body`).not.toBeNull();
    });

    await test.step('Platform reports healthy', async () => {
      const checks = Object.entries(health?.checks ?? {});
      const failing = checks.filter(([, c]) => c.status === 'unhealthy')
        .map(([name, c]) => `${name} ${c.status}${c.message ? ` (${c.message})` : ''}`);
      const summary = failing.length ? failing.join(', ') : `overall status ${health?.status ?? 'missing'}`;
      expect(health?.status, `platform is unhealthy (HTTP ${httpStatus}): ${summary}`).not.toBe('unhealthy');
      expect(['healthy', 'degraded'], `unexpected health status "${health?.status}" (HTTP ${httpStatus})`).toContain(health?.status);
    });

    await test.step('Platform is ready', async () => {
      const response = await request.get('/api/ready', { failOnStatusCode: false });
      const body = await response.json().catch(() => null) as { status?: string } | null;
      expect(response.status(), `/api/ready answered HTTP ${response.status()} (${body?.status ?? 'no body'})`).toBe(200);
      expect(body?.status).toBe('ready');
    });
  });

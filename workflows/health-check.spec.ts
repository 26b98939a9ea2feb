import { test, expect, workflow, getBounded, readHealth, syntheticHeader } from '../fixtures/index.ts';
import type { HealthReading } from '../fixtures/index.ts';

// Bodies are read with a size bound (fixtures/health.ts): a hostile or broken endpoint (a 50 MB
// answer, `checks.cache: null`, an array) fails with "unhealthy: <what was wrong>", never a TypeError.
test(
  'Health Check',
  workflow({ id: 'health-check', priority: 'critical', schedule: '*/5 * * * *', type: 'HEALTH', tags: ['api'] }),
  async ({ baseURL, attachHealth }) => {
    const headers = { [syntheticHeader.name]: syntheticHeader.value };
    let reading: HealthReading | null = null;

    await test.step('Request /api/health', async () => {
      const started = performance.now();
      const body = await getBounded(new URL('/api/health', baseURL), { headers });
      const elapsed = Math.round(performance.now() - started);
      reading = readHealth(body);
      const r: HealthReading = reading;
      await attachHealth(r.ok ? r.health : r.payload, elapsed, r.httpStatus, {
        problem: r.ok ? null : r.problem,
        bodyBytes: r.bytes,
      });
      // A body that is not JSON at all (or too large to read) fails here; a JSON one of the wrong shape in the next step.
      expect(r.ok || r.payload !== null, r.ok ? '' : r.problem).toBe(true);
    });

    await test.step('Platform reports healthy', async () => {
      const r = reading!;
      expect(r.ok, r.ok ? '' : r.problem).toBe(true);
      if (!r.ok) return;
      const { health, httpStatus } = r;
      const failing = Object.entries(health.checks)
        .filter(([, c]) => c.status === 'unhealthy')
        .map(
          ([name, c]) => `${name} ${c.status}${typeof c.message === 'string' && c.message ? ` (${c.message})` : ''}`,
        );
      const summary = failing.length ? failing.join(', ') : `overall status ${health.status}`;
      expect(health.status, `platform is unhealthy (HTTP ${httpStatus}): ${summary}`).not.toBe('unhealthy');
      expect(['healthy', 'degraded'], `unexpected health status "${health.status}" (HTTP ${httpStatus})`).toContain(
        health.status,
      );
    });

    await test.step('Platform is ready', async () => {
      const ready = await getBounded(new URL('/api/ready', baseURL), { headers });
      let body: { status?: unknown } | null = null;
      try {
        body = ready.text === null ? null : (JSON.parse(ready.text) as { status?: unknown });
      } catch {
        /* not JSON: the status check below says so */
      }
      const status = typeof body === 'object' && body !== null ? body.status : undefined;
      expect(
        ready.httpStatus,
        `/api/ready answered HTTP ${ready.httpStatus} (${typeof status === 'string' ? status : ready.tooLarge ? 'a body over the size bound' : 'no JSON status'})`,
      ).toBe(200);
      expect(status, 'unhealthy: /api/ready did not say "ready"').toBe('ready');
    });
  },
);

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startDemoApp } from './app.ts';
import type { DemoApp } from './app.ts';

let app: DemoApp;
before(async () => {
  app = await startDemoApp({ port: 0 });
});
after(() => app.close());

interface Check {
  status: string;
  latency?: number;
  message?: string;
}

function assertShape(body: Record<string, unknown>): void {
  assert.deepEqual(Object.keys(body).sort(), ['checks', 'environment', 'status', 'timestamp', 'version']);
  assert.ok(!Number.isNaN(Date.parse(body.timestamp as string)));
  assert.equal(body.version, '1.1.0');
  assert.equal(body.environment, 'production');
  const checks = body.checks as {
    database: Check;
    cache: Check;
    system: Check & { memory: Record<string, number>; uptime: number };
  };
  assert.deepEqual(Object.keys(checks).sort(), ['cache', 'database', 'system']);
  for (const check of [checks.database, checks.cache]) {
    assert.deepEqual(Object.keys(check).sort(), ['latency', 'message', 'status']);
    assert.equal(typeof check.latency, 'number');
  }
  assert.deepEqual(Object.keys(checks.system.memory).sort(), ['percentage', 'total', 'used']);
  assert.equal(typeof checks.system.uptime, 'number');
}

/** /api/health under `faults`: answered with `status`, in the platform shape. */
async function healthUnder(faults: string, status: number) {
  app.setFaults(faults);
  const response = await fetch(`${app.url}/api/health`);
  assert.equal(response.status, status);
  const body = (await response.json()) as Record<string, unknown> & { checks: Record<string, Check> };
  assertShape(body);
  return body;
}

describe('GET /api/health', () => {
  it('answers 200 healthy in the platform shape', async () => {
    const body = await healthUnder('', 200);
    assert.equal(body.status, 'healthy');
    assert.equal(body.checks.database?.status, 'healthy');
    assert.equal(body.checks.database?.message, 'Database is responsive');
    assert.equal(body.checks.cache?.message, 'Cache is responsive');
  });

  it('answers 503 unhealthy with a failing database under health-down', async () => {
    const body = await healthUnder('health-down', 503);
    assert.equal(body.status, 'unhealthy');
    assert.equal(body.checks.database?.status, 'unhealthy');
    assert.match(body.checks.database?.message ?? '', /Connection refused/);
    assert.equal(body.checks.cache?.status, 'healthy');
  });
});

describe('GET /api/ready', () => {
  it('is ready, and not_ready (503) under health-down', async () => {
    app.setFaults('');
    const ok = await fetch(`${app.url}/api/ready`);
    assert.equal(ok.status, 200);
    assert.equal(((await ok.json()) as { status: string }).status, 'ready');
    app.setFaults('health-down');
    const down = await fetch(`${app.url}/api/ready`);
    assert.equal(down.status, 503);
    assert.equal(((await down.json()) as { status: string }).status, 'not_ready');
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startDemoApp } from './app.ts';
import type { DemoApp } from './app.ts';
import { DemoClient } from './demo-client.ts';

let app: DemoApp;
before(async () => { app = await startDemoApp({ port: 0, faults: 'flaky:2' }); });
after(() => app.close());

async function status(client: DemoClient, path: string): Promise<number> {
  const response = await client.request(path);
  await response.arrayBuffer();
  return response.status;
}

describe('flaky:n', () => {
  it('fails every second page request with flaky:2, leaving API and asset requests alone', async () => {
    const client = new DemoClient(app.url);
    const pages = ['/', '/products', '/login', '/products/sweet-corn', '/signup', '/'];
    const statuses: number[] = [];
    for (const path of pages) {
      statuses.push(await status(client, path));
      // Interleaved non-page requests must not move the counter.
      assert.equal(await status(client, '/api/health'), 200);
      assert.equal(await status(client, '/assets/app.css'), 200);
    }
    assert.deepEqual(statuses, [200, 500, 200, 500, 200, 500]);
  });

  it('restarts the count when the faults change, and serves an error page', async () => {
    app.setFaults('flaky:3');
    const client = new DemoClient(app.url);
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push(await status(client, '/products'));
    assert.deepEqual(statuses, [200, 200, 500, 200, 200, 500]);
    app.setFaults('flaky:1');
    const page = await client.text('/');
    assert.equal(page.status, 500);
    assert.match(page.body, /Something went wrong/);
    app.setFaults('');
    assert.equal(await status(client, '/'), 200);
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startDemoApp } from './app.ts';
import type { DemoApp } from './app.ts';
import { DemoClient } from '../test/helpers/demo-client.ts';

let app: DemoApp;
before(async () => {
  app = await startDemoApp({ port: 0, faults: 'flaky:2' });
});
after(() => app.close());

async function status(client: DemoClient, path: string): Promise<number> {
  const response = await client.request(path);
  await response.arrayBuffer();
  return response.status;
}

describe('flaky:n', () => {
  it('with flaky:2 the first page of every second visit fails; the rest of that visit, APIs and assets are spared', async () => {
    const statuses: number[][] = [];
    for (let visit = 0; visit < 4; visit++) {
      const client = new DemoClient(app.url); // a new browser context: no cookies
      assert.equal(await status(client, '/api/health'), 200, 'an API request does not start a visit');
      assert.equal(await status(client, '/assets/app.css'), 200);
      const pages: number[] = [];
      for (const path of ['/', '/products', '/login', '/products/sweet-corn']) pages.push(await status(client, path));
      statuses.push(pages);
    }
    assert.deepEqual(statuses, [
      [500, 200, 200, 200],
      [200, 200, 200, 200],
      [500, 200, 200, 200],
      [200, 200, 200, 200],
    ]);
  });

  it('a retry in a new visit gets past it; the count restarts when the faults change; an error page is served', async () => {
    app.setFaults('flaky:3');
    const first: number[] = [];
    for (let i = 0; i < 6; i++) first.push(await status(new DemoClient(app.url), '/products'));
    assert.deepEqual(first, [500, 200, 200, 500, 200, 200]);
    app.setFaults('flaky:1');
    const client = new DemoClient(app.url);
    const page = await client.text('/');
    assert.equal(page.status, 500);
    assert.match(page.body, /Something went wrong/);
    assert.equal(await status(client, '/'), 200, 'a reload in the same visit recovers');
    app.setFaults('');
    assert.equal(await status(new DemoClient(app.url), '/'), 200);
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startDemoApp } from './app.ts';
import type { DemoApp } from './app.ts';
import { DemoClient } from './demo-client.ts';

let app: DemoApp;
let client: DemoClient;
const auth = { authorization: 'Bearer test-token' };
before(async () => {
  app = await startDemoApp({ port: 0, adminToken: 'test-token', faults: 'flaky:5' });
  client = new DemoClient(app.url);
});
after(() => app.close());

describe('/__demo/faults', () => {
  it('answers 401 without the right bearer token', async () => {
    const attempts: Record<string, string>[] = [{}, { authorization: 'Bearer wrong-token' }, { authorization: 'test-token' }];
    for (const headers of attempts) {
      const get = await client.json('/__demo/faults', { headers });
      assert.equal(get.status, 401);
      const put = await client.json('/__demo/faults', { method: 'PUT', json: { faults: 'health-down' }, headers });
      assert.equal(put.status, 401);
    }
    assert.deepEqual((await client.json('/__demo/faults', { headers: auth })).body, { faults: ['flaky:5'] });
  });

  it('replaces the list with PUT (string) or POST (array) and the app obeys at once', async () => {
    const put = await client.json('/__demo/faults', { method: 'PUT', json: { faults: 'login-broken, slow-products:10' }, headers: auth });
    assert.equal(put.status, 200);
    assert.deepEqual(put.body, { faults: ['login-broken', 'slow-products:10'] });
    const login = await client.text('/login');
    assert.doesNotMatch(login.body, />Sign In<\/button>/);

    const post = await client.json('/__demo/faults', { method: 'POST', json: { faults: ['health-down'] }, headers: auth });
    assert.deepEqual(post.body, { faults: ['health-down'] });
    assert.equal((await client.request('/api/health')).status, 503);
    assert.match((await client.text('/login')).body, /<button type="submit"[^>]*>Sign In<\/button>/);

    const cleared = await client.json('/__demo/faults', { method: 'PUT', json: { faults: '' }, headers: auth });
    assert.deepEqual(cleared.body, { faults: [] });
    assert.equal((await client.request('/api/health')).status, 200);
  });

  it('answers 400 with a clear message and keeps the old list on bad input', async () => {
    await client.json('/__demo/faults', { method: 'PUT', json: { faults: 'checkout-error' }, headers: auth });
    const unknown = await client.json('/__demo/faults', { method: 'PUT', json: { faults: 'checkout-error,db-down' }, headers: auth });
    assert.equal(unknown.status, 400);
    assert.match((unknown.body as { error: string }).error, /unknown fault "db-down"/);
    const badShape = await client.json('/__demo/faults', { method: 'PUT', json: { list: 'x' }, headers: auth });
    assert.equal(badShape.status, 400);
    const badJson = await client.json('/__demo/faults', { method: 'PUT', raw: '{"faults":', headers: { ...auth, 'content-type': 'application/json' } });
    assert.equal(badJson.status, 400);
    assert.deepEqual((await client.json('/__demo/faults', { headers: auth })).body, { faults: ['checkout-error'] });
  });

  it('is also reachable in-process through setFaults, which rejects unknown names', () => {
    assert.throws(() => app.setFaults('nope'), /unknown fault "nope"/);
    app.setFaults('flaky:2');
  });
});

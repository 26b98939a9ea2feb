import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startDemoApp } from './app.ts';
import type { DemoApp } from './app.ts';
import { DemoClient } from '../test/helpers/demo-client.ts';

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
    const attempts: Record<string, string>[] = [
      {},
      { authorization: 'Bearer wrong-token' },
      { authorization: 'test-token' },
    ];
    for (const headers of attempts) {
      const get = await client.json('/__demo/faults', { headers });
      assert.equal(get.status, 401);
      const put = await client.json('/__demo/faults', { method: 'PUT', json: { faults: 'health-down' }, headers });
      assert.equal(put.status, 401);
    }
    assert.deepEqual((await client.json('/__demo/faults', { headers: auth })).body, { faults: ['flaky:5'] });
  });

  it('replaces the list with PUT (string) or POST (array) and the app obeys at once', async () => {
    const put = await client.json('/__demo/faults', {
      method: 'PUT',
      json: { faults: 'login-broken, slow-products:10' },
      headers: auth,
    });
    assert.equal(put.status, 200);
    assert.deepEqual(put.body, { faults: ['login-broken', 'slow-products:10'] });
    const login = await client.text('/login');
    assert.doesNotMatch(login.body, />Sign In<\/button>/);

    const post = await client.json('/__demo/faults', {
      method: 'POST',
      json: { faults: ['health-down'] },
      headers: auth,
    });
    assert.deepEqual(post.body, { faults: ['health-down'] });
    assert.equal((await client.request('/api/health')).status, 503);
    assert.match((await client.text('/login')).body, /<button type="submit"[^>]*>Sign In<\/button>/);

    const cleared = await client.json('/__demo/faults', { method: 'PUT', json: { faults: '' }, headers: auth });
    assert.deepEqual(cleared.body, { faults: [] });
    assert.equal((await client.request('/api/health')).status, 200);
  });

  it('answers 400 with a clear message and keeps the old list on bad input', async () => {
    await client.json('/__demo/faults', { method: 'PUT', json: { faults: 'checkout-error' }, headers: auth });
    const unknown = await client.json('/__demo/faults', {
      method: 'PUT',
      json: { faults: 'checkout-error,db-down' },
      headers: auth,
    });
    assert.equal(unknown.status, 400);
    assert.match((unknown.body as { error: string }).error, /unknown fault "db-down"/);
    const badShape = await client.json('/__demo/faults', { method: 'PUT', json: { list: 'x' }, headers: auth });
    assert.equal(badShape.status, 400);
    const badJson = await client.json('/__demo/faults', {
      method: 'PUT',
      raw: '{"faults":',
      headers: { ...auth, 'content-type': 'application/json' },
    });
    assert.equal(badJson.status, 400);
    assert.deepEqual((await client.json('/__demo/faults', { headers: auth })).body, { faults: ['checkout-error'] });
  });

  it('is also reachable in-process through setFaults, which rejects unknown names', () => {
    assert.throws(() => app.setFaults('nope'), /unknown fault "nope"/);
    app.setFaults('flaky:2');
  });
});

describe('/__demo/variant', () => {
  it('needs the token, switches the face of every page at once and refuses unknown faces', async () => {
    assert.equal((await client.json('/__demo/variant')).status, 401);
    assert.equal((await client.json('/__demo/variant', { method: 'PUT', json: { variant: 'alternate' } })).status, 401);
    assert.deepEqual((await client.json('/__demo/variant', { headers: auth })).body, { variant: 'standard' });
    assert.match((await client.text('/login')).body, /<h1>Welcome Back<\/h1>/);

    const put = await client.json('/__demo/variant', { method: 'PUT', json: { variant: 'alternate' }, headers: auth });
    assert.deepEqual(put.body, { variant: 'alternate' });
    const login = (await client.text('/login')).body;
    assert.match(login, /<h1>👋 Welcome Back<\/h1>/);
    assert.match(login, /Password\s*<span class="required-marker">\*<\/span>/);
    assert.match(login, /Sign in with a magic link/);

    const bad = await client.json('/__demo/variant', { method: 'POST', json: { variant: 'fancy' }, headers: auth });
    assert.equal(bad.status, 400);
    assert.match((bad.body as { error: string }).error, /unknown variant "fancy"; known variants: standard, alternate/);
    assert.deepEqual((await client.json('/__demo/variant', { headers: auth })).body, { variant: 'alternate' });

    assert.throws(() => app.setVariant('nope'), /unknown variant "nope"/);
    app.setVariant('standard');
    assert.match((await client.text('/login')).body, /<h1>Welcome Back<\/h1>/);
  });
});

describe('client-crash', () => {
  it('adds the crashing script to that page only, which still answers 200', async () => {
    app.setFaults('client-crash:/products');
    const crashing = await client.text('/products');
    assert.equal(crashing.status, 200);
    assert.match(crashing.body, /<script src="\/assets\/crash.js" defer><\/script>/);
    assert.doesNotMatch((await client.text('/login')).body, /crash\.js/);
    const script = await client.text('/assets/crash.js');
    assert.match(script.body, /Application error: a client-side exception has occurred/);
    app.setFaults('');
    assert.doesNotMatch((await client.text('/products')).body, /crash\.js/);
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startDemoApp } from './app.ts';
import type { DemoApp } from './app.ts';
import { DemoClient, customer, farmer } from '../test/helpers/demo-client.ts';

let app: DemoApp;
before(async () => {
  app = await startDemoApp({ port: 0 });
});
after(() => app.close());

describe('page guards', () => {
  it('send anonymous visitors to the login page with a callbackUrl', async () => {
    const client = new DemoClient(app.url);
    for (const path of [
      '/cart',
      '/checkout',
      '/farmer/farms/new',
      '/farmer/dashboard',
      '/farmer/farms/abc',
      '/orders/x/confirmation',
    ]) {
      const page = await client.text(path);
      assert.equal(page.status, 307, path);
      assert.equal(page.location, `/login?callbackUrl=${encodeURIComponent(path)}`);
    }
  });

  it('send other roles away from farm creation to /', async () => {
    const client = new DemoClient(app.url);
    await client.signIn(customer.email, customer.password);
    const page = await client.text('/farmer/farms/new');
    assert.equal(page.status, 307);
    assert.equal(page.location, '/');
  });

  it('let a farmer create a farm and land on its page, pending approval', async () => {
    const client = new DemoClient(app.url);
    await client.signIn(farmer.email, farmer.password);
    assert.match((await client.text('/farmer/farms/new')).body, /<h1>Create Your Farm<\/h1>/);
    const form = {
      name: 'Test Meadow Farm',
      description: 'Twenty characters or more about this farm.',
      street: '1 Lane',
      city: 'Bend',
      state: 'or',
      zipCode: '97701',
      latitude: '44.05',
      longitude: '-121.31',
    };
    const invalid = await client.text('/farmer/farms/new', {
      form: { ...form, name: 'ab', state: 'Oregon', zipCode: '9770', latitude: '91' },
    });
    assert.equal(invalid.status, 422);
    for (const message of [/between 3 and 100/, /two-letter/, /five digits/, /between -90 and 90/])
      assert.match(invalid.body, message);
    const created = await client.text('/farmer/farms/new', { form });
    assert.equal(created.status, 303);
    assert.match(created.location ?? '', /^\/farmer\/farms\/[a-z0-9]+$/);
    const page = await client.text(created.location ?? '');
    assert.match(page.body, /<h1>Test Meadow Farm<\/h1>/);
    assert.match(page.body, /Pending Approval/);
  });

  it('send an empty cart back from /checkout to /cart', async () => {
    const client = new DemoClient(app.url);
    await client.signIn(customer.email, customer.password);
    const page = await client.text('/checkout');
    assert.equal(page.location, '/cart');
  });
});

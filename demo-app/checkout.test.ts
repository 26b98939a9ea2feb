import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startDemoApp } from './app.ts';
import type { DemoApp } from './app.ts';
import { checkCard } from './card-payments.ts';
import { DemoClient, customer } from '../test/helpers/demo-client.ts';

let app: DemoApp;
before(async () => {
  app = await startDemoApp({ port: 0 });
});
after(() => app.close());

const tomatoes = 'cprod00000000000000000001';
const order = (paymentMethodId: string): Record<string, unknown> => ({
  shipping: {
    fullName: 'Jane Consumer',
    phone: '555-123-4567',
    street: '1 Main St',
    city: 'Portland',
    state: 'or',
    zipCode: '97201',
  },
  delivery: {
    preferredDate: new Date(Date.now() + 86_400_000).toISOString().slice(0, 10),
    timeSlot: 'morning',
    instructions: '',
  },
  paymentMethodId,
  agreeToTerms: true,
});

async function shopper(): Promise<DemoClient> {
  const client = new DemoClient(app.url);
  await client.signIn(customer.email, customer.password);
  const added = await client.json('/api/cart', { json: { productId: tomatoes, quantity: 2 } });
  assert.equal(added.status, 200);
  return client;
}

async function card(
  client: DemoClient,
  number: string,
): Promise<{ status: number; body: { data?: { id: string }; error?: string } }> {
  return (await client.json('/api/payments/methods', { json: { number, expiry: '12 / 34', cvc: '123' } })) as {
    status: number;
    body: { data?: { id: string }; error?: string };
  };
}

describe('cards', () => {
  it('accepts the Stripe test card and declines or rejects others', () => {
    assert.deepEqual(checkCard('4242 4242 4242 4242', '12/34', '123'), { ok: true, brand: 'visa', last4: '4242' });
    assert.equal(
      (checkCard('4000 0000 0000 0002', '12/34', '123') as { error: string }).error,
      'Your card was declined.',
    );
    assert.equal(checkCard('4242 4242 4242 4241', '12/34', '123').ok, false);
    assert.equal(checkCard('4242 4242 4242 4242', '01/20', '123').ok, false);
    assert.equal(checkCard('4242 4242 4242 4242', '12/34', '1').ok, false);
  });
});

describe('order placement', () => {
  it('anonymous cart API calls get 401', async () => {
    assert.equal((await new DemoClient(app.url).json('/api/cart', { json: { productId: tomatoes } })).status, 401);
  });

  it('places an order and shows its ORD- number on the confirmation page', async () => {
    const client = await shopper();
    assert.match((await client.text('/cart')).body, /Organic Heirloom Tomatoes[\s\S]*Proceed to Checkout/);
    const checkout = await client.text('/checkout');
    assert.equal(checkout.status, 200);
    for (const id of ['fullName', 'phone', 'street', 'city', 'state', 'zipCode', 'preferredDate'])
      assert.match(checkout.body, new RegExp(`id="${id}"`));
    assert.match(checkout.body, /<iframe[^>]*title="Secure payment input frame"/);
    const declined = await card(client, '4000000000000002');
    assert.equal(declined.status, 402);
    const accepted = await card(client, '4242424242424242');
    assert.equal(accepted.status, 200);
    const placed = await client.json('/api/orders', { json: order(accepted.body.data?.id ?? '') });
    assert.equal(placed.status, 201);
    const { id, orderNumber } = (placed.body as { data: { id: string; orderNumber: string } }).data;
    assert.match(orderNumber, /^ORD-\d{8}-[A-F0-9]{6}$/);
    const confirmation = await client.text(`/orders/${id}/confirmation`);
    assert.match(confirmation.body, new RegExp(`Order number: <strong>${orderNumber}</strong>`));
    assert.equal(((await client.json('/api/cart')).body as { data: { count: number } }).data.count, 0);
    assert.equal((await new DemoClient(app.url).text(`/orders/${id}/confirmation`)).status, 307);
  });

  it('refuses an order without accepted terms', async () => {
    const client = await shopper();
    const pm = await card(client, '4242424242424242');
    const placed = await client.json('/api/orders', {
      json: { ...order(pm.body.data?.id ?? ''), agreeToTerms: false },
    });
    assert.equal(placed.status, 400);
  });

  it('answers 500 under checkout-error', async () => {
    const client = await shopper();
    const pm = await card(client, '4242424242424242');
    app.setFaults('checkout-error');
    try {
      assert.equal((await client.json('/api/orders', { json: order(pm.body.data?.id ?? '') })).status, 500);
    } finally {
      app.setFaults('');
    }
  });
});

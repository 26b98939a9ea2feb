// The alternate face shows the variations TARGET.md allows, on the server-rendered pages;
// app.js's role swap of the cart indicator is exercised by the workflows in a browser.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startDemoApp } from './app.ts';
import type { DemoApp } from './app.ts';
import { DemoClient, customer } from '../test/helpers/demo-client.ts';
import { parseVariant } from './variant.ts';

let app: DemoApp;
before(async () => {
  app = await startDemoApp({ port: 0, variant: 'alternate' });
});
after(() => app.close());

describe('parseVariant', () => {
  it('knows two faces, blank meaning standard', () => {
    assert.equal(parseVariant(''), 'standard');
    assert.equal(parseVariant(' ALTERNATE '), 'alternate');
    assert.deepEqual(parseVariant('b'), { problem: 'unknown variant "b"; known variants: standard, alternate' });
  });
});

describe('the alternate face', () => {
  it('decorates names and adds controls that share words', async () => {
    const client = new DemoClient(app.url);
    const login = (await client.text('/login')).body;
    assert.match(login, /<h1>👋 Welcome Back<\/h1>/);
    assert.match(login, /<label for="password">Password\s*<span class="required-marker">\*<\/span><\/label>/);
    assert.ok(login.indexOf('id="password"') < login.indexOf('id="email"'), 'Password comes before Email Address');
    assert.match(login, /<button type="button"[^>]*>Sign in with a magic link<\/button>/);
    assert.match(
      login,
      /<form class="inline-form" method="get" action="\/login">\s*<button[^>]*>\s*Sign In\s*<\/button>/,
      'the header has a "Sign In" button',
    );
    const signup = (await client.text('/signup')).body;
    assert.match(signup, /<span class="role-icon">🧺<\/span>/, "the icon is part of the role button's name");
    assert.match(signup, /Confirm Password\s*<span class="required-marker">\*<\/span>/);
  });

  it('turns the cart indicator from a link into a button with the count in its name', async () => {
    const client = new DemoClient(app.url);
    assert.equal(await client.signIn(customer.email, customer.password), '/');
    const empty = (await client.text('/products')).body;
    assert.match(empty, /<a class="cart-link" id="cart-link" href="\/cart" aria-label="Shopping cart with 0 items">/);
    assert.match(empty, /<h1>🌾 Fresh Local Products<\/h1>/);
    assert.match(empty, /Showing\s+<strong>12<\/strong>\s+of\s+<strong>12<\/strong>\s+products/);
    assert.match(empty, /<a href="\/\?featured=[^"]+">⭐ Featured this week: /, 'a promotion link before the cards');
    assert.doesNotMatch(empty, /role="status"/, 'the toast is no status region');

    const first = (await client.json('/api/products?limit=1')).body as { data: { products: { id: string }[] } };
    await client.json('/api/cart', { json: { productId: first.data.products[0]!.id, quantity: 3 } });
    const full = (await client.text('/cart')).body;
    assert.match(
      full,
      /<button type="button" class="cart-link button-ghost" id="cart-link" data-href="\/cart" aria-label="Shopping cart with 3 items">/,
    );
    assert.match(full, /<a class="button button-block" href="\/checkout">Proceed to Checkout \(3 items\)<\/a>/);
    const checkout = (await client.text('/checkout')).body;
    assert.match(checkout, /<input type="radio" id="timeSlot-early" name="timeSlot" value="early" disabled>/);
    assert.match(checkout, />Continue to Delivery →<\/button>/);
  });

  it('serves the standard face again once switched back', async () => {
    app.setVariant('standard');
    const login = (await new DemoClient(app.url).text('/login')).body;
    assert.match(login, /<h1>Welcome Back<\/h1>/);
    assert.doesNotMatch(login, /required-marker|magic link/);
    app.setVariant('alternate');
  });
});

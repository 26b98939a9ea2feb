// The cart page: one row per item and a "Proceed to Checkout" button. It is a real button, as
// on the platform; it posts and is redirected, so the checkout URL carries no stray "?".
import { html } from './html.ts';
import type { SafeHtml } from './html.ts';
import { formatPrice } from './store.ts';
import type { CartLine } from './store.ts';
import { decorate } from './variant.ts';

export function cartMain(lines: readonly CartLine[], alt = false): SafeHtml {
  const title = decorate(alt, '🛒', 'Shopping Cart');
  if (lines.length === 0) {
    return html`<h1>${title}</h1>
<div class="empty-state">
  <h2>Your cart is empty</h2>
  <p>Find something fresh from our farmers.</p>
  <p><a class="button" href="/products">Browse products</a></p>
</div>`;
  }
  const subtotal = lines.reduce((sum, l) => sum + l.lineCents, 0);
  const count = lines.reduce((sum, l) => sum + l.quantity, 0);
  // The alternate face: a link (not a button) whose name carries the count.
  const proceed = alt
    ? html`<a class="button button-block" href="/checkout">Proceed to Checkout (${count} ${count === 1 ? 'item' : 'items'})</a>`
    : html`<form method="post" action="/cart/checkout">
      <button type="submit" class="button button-block">Proceed to Checkout</button>
    </form>`;
  return html`<h1>${title}</h1>
<div class="cart-layout">
  <ul class="cart-items" aria-label="Cart items">
    ${lines.map(
      (l) => html`<li class="cart-item card">
      <div>
        <h2 class="cart-item-name"><a href="/products/${l.product.slug}">${l.product.name}</a></h2>
        <p class="product-farm">from ${l.farm.name}</p>
        <p class="muted">${formatPrice(l.product.priceCents)} / ${l.product.unit} · Quantity: ${l.quantity}</p>
      </div>
      <div class="cart-item-side">
        <p class="line-total">${formatPrice(l.lineCents)}</p>
        <form method="post" action="/cart/remove">
          <input type="hidden" name="productId" value="${l.product.id}">
          <button type="submit" class="button button-small button-ghost" aria-label="Remove ${l.product.name} from cart">Remove</button>
        </form>
      </div>
    </li>`,
    )}
  </ul>
  <aside class="card order-summary" aria-label="Order summary">
    <h2>Order Summary</h2>
    <p class="summary-row"><span>Subtotal</span> <span>${formatPrice(subtotal)}</span></p>
    <p class="muted">Delivery fee and taxes are calculated at checkout.</p>
    ${proceed}
    <p><a href="/products">Continue shopping</a></p>
  </aside>
</div>`;
}

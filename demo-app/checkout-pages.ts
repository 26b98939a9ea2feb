// The four-step checkout wizard (TARGET.md), the card form served inside its iframe, and the
// order confirmation. Steps are client-side sections; hidden ones are out of the
// accessibility tree, so each step's button names are unique to what is on screen.
import { field } from './form-fields.ts';
import { html, jsonForScript } from './html.ts';
import type { SafeHtml } from './html.ts';
import { deliveryFeeCents, formatPrice } from './store.ts';
import type { CartLine, Order, User } from './store.ts';
import { timeSlots } from './validation.ts';
import { decorate } from './variant.ts';

export const placeOrderErrorMessage = 'Something went wrong placing your order. Please try again.';
export const paymentFrameTitle = 'Secure payment input frame';

function orderSummary(lines: readonly CartLine[]): SafeHtml {
  const subtotal = lines.reduce((sum, l) => sum + l.lineCents, 0);
  return html`<aside class="card order-summary" aria-label="Order summary">
    <h2>Order Summary</h2>
    <ul class="summary-lines">${lines.map(
      (l) => html`<li class="summary-row">
      <span>${l.product.name} × ${l.quantity}</span> <span>${formatPrice(l.lineCents)}</span></li>`,
    )}</ul>
    <p class="summary-row"><span>Subtotal</span> <span>${formatPrice(subtotal)}</span></p>
    <p class="summary-row"><span>Delivery</span> <span>${formatPrice(deliveryFeeCents)}</span></p>
    <p class="summary-row summary-total"><span>Total</span> <span>${formatPrice(subtotal + deliveryFeeCents)}</span></p>
  </aside>`;
}

const stepNames = [
  ['shipping', 'Shipping'],
  ['delivery', 'Delivery'],
  ['payment', 'Payment'],
  ['review', 'Review'],
] as const;

/** A button's name: the alternate face adds an arrow (part of the accessible name). */
const next = (alt: boolean, name: string): string => (alt ? `${name} →` : name);
const backAndNext = (alt: boolean, back: string, step: string, name: string): SafeHtml =>
  html`<div class="step-actions">
          <button type="button" class="button button-ghost" data-back="${back}">Back</button>
          <button type="button" class="button" data-next="${step}">${next(alt, name)}</button>
        </div>`;

export function checkoutMain(lines: readonly CartLine[], today: string, alt = false): SafeHtml {
  const frame = html`<iframe class="payment-frame" title="${paymentFrameTitle}" src="/checkout/payment-frame" name="payment-element"></iframe>`;
  return html`<h1>${decorate(alt, '🧾', 'Checkout')}</h1>
<ol class="steps" aria-label="Checkout progress">
  ${stepNames.map(([id, label], i) => html`<li data-step-indicator="${id}"${i === 0 ? html` aria-current="step"` : ''}>${i + 1}. ${label}</li>`)}
</ol>
<div class="checkout-layout">
  <div>
    <div class="alert alert-error" role="alert" id="checkout-error" hidden></div>
    <form id="checkout-form" class="card stack" aria-label="Checkout" novalidate>
      <section data-step="shipping" aria-labelledby="shipping-title" class="stack">
        <h2 id="shipping-title">Shipping Information</h2>
        ${field({ id: 'fullName', label: 'Full Name', required: true, autocomplete: 'name' })}
        ${field({ id: 'phone', label: 'Phone Number', type: 'tel', required: true, autocomplete: 'tel' })}
        ${field({ id: 'street', label: 'Street Address', required: true, autocomplete: 'street-address' })}
        <div class="field-row">
          ${field({ id: 'city', label: 'City', required: true, autocomplete: 'address-level2' })}
          ${field({ id: 'state', label: 'State', required: true, autocomplete: 'address-level1', attrs: 'maxlength="2"' })}
          ${field({ id: 'zipCode', label: 'ZIP Code', required: true, autocomplete: 'postal-code', attrs: 'inputmode="numeric"' })}
        </div>
        <div class="step-actions"><button type="button" class="button" data-next="delivery">${next(alt, 'Continue to Delivery')}</button></div>
      </section>
      <section data-step="delivery" aria-labelledby="delivery-title" class="stack" hidden>
        <h2 id="delivery-title">Delivery Options</h2>
        ${field({ id: 'preferredDate', label: 'Preferred Delivery Date', type: 'date', required: true, attrs: `min="${today}"` })}
        <fieldset class="time-slots">
          <legend>Delivery Time Slot</legend>
          ${
            alt
              ? html`<div class="field-radio">
            <input type="radio" id="timeSlot-early" name="timeSlot" value="early" disabled>
            <label for="timeSlot-early">Early bird (6:00 AM - 8:00 AM), sold out</label>
          </div>`
              : ''
          }
          ${timeSlots.map(
            (s) => html`<div class="field-radio">
            <input type="radio" id="timeSlot-${s.value}" name="timeSlot" value="${s.value}" required>
            <label for="timeSlot-${s.value}">${s.label}</label>
          </div>`,
          )}
        </fieldset>
        ${field({ id: 'deliveryInstructions', label: 'Delivery Instructions (Optional)', multiline: true })}
        ${backAndNext(alt, 'shipping', 'payment', 'Continue to Payment')}
      </section>
      <section data-step="payment" aria-labelledby="payment-title" class="stack" hidden>
        <h2 id="payment-title">Payment</h2>
        <p class="muted">Test mode: use card 4242 4242 4242 4242, any future expiration date and any security code.</p>
        ${alt ? html`<div class="payment-element"><div class="payment-element-inner">${frame}</div></div>` : frame}
        ${backAndNext(alt, 'delivery', 'review', 'Continue to Review')}
      </section>
      <section data-step="review" aria-labelledby="review-title" class="stack" hidden>
        <h2 id="review-title">Review Your Order</h2>
        <dl class="details" id="review-details"></dl>
        <div class="field field-checkbox">
          <input type="checkbox" id="agreeToTerms" name="agreeToTerms" value="true">
          <label for="agreeToTerms">I agree to the Terms of Service and the delivery policy</label>
        </div>
        <div class="step-actions">
          <button type="button" class="button button-ghost" data-back="payment">Back</button>
          <button type="button" class="button button-large" id="place-order">${alt ? 'Place Order 🔒' : 'Place Order'}</button>
        </div>
      </section>
    </form>
  </div>
  ${orderSummary(lines)}
</div>
<script type="application/json" id="checkout-data">${jsonForScript({ timeSlots, placeOrderErrorMessage })}</script>`;
}

/** A bare document, like Stripe's Payment Element: no site header, its own tiny script. */
export function paymentFrameDocument(): SafeHtml {
  return html`<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Payment</title>
  <link rel="stylesheet" href="/assets/payment-frame.css">
  <script src="/assets/payment-frame.js" defer></script>
</head>
<body>
  <form id="card-form" class="card-form" novalidate>
    <div class="card-field">
      <label for="cardNumber">Card number</label>
      <input id="cardNumber" name="cardNumber" inputmode="numeric" autocomplete="cc-number" placeholder="1234 1234 1234 1234">
    </div>
    <div class="card-row">
      <div class="card-field">
        <label for="cardExpiry">Expiration date</label>
        <input id="cardExpiry" name="cardExpiry" inputmode="numeric" autocomplete="cc-exp" placeholder="MM / YY">
      </div>
      <div class="card-field">
        <label for="cardCvc">Security code</label>
        <input id="cardCvc" name="cardCvc" inputmode="numeric" autocomplete="cc-csc" placeholder="CVC">
      </div>
    </div>
    <p class="card-error" id="card-error" role="alert"></p>
  </form>
</body>
</html>`;
}

export function confirmationMain(order: Order, user: User, alt = false): SafeHtml {
  const slot = timeSlots.find((s) => s.value === order.delivery.timeSlot)?.label ?? order.delivery.timeSlot;
  return html`<section class="confirmation card stack">
  <h1>${decorate(alt, '🎉', 'Order Confirmed!')}</h1>
  <p>Thank you for your order, ${user.name.split(' ')[0]}. The farmers are getting it ready.</p>
  <p class="order-number">Order number: <strong>${order.orderNumber}</strong></p>
  <dl class="details">
    <dt>Delivery</dt><dd>${order.delivery.preferredDate}, ${slot}</dd>
    <dt>Ship to</dt><dd>${order.shipping.fullName}, ${order.shipping.street}, ${order.shipping.city}, ${order.shipping.state} ${order.shipping.zipCode}</dd>
    <dt>Paid with</dt><dd>${order.payment.brand.toUpperCase()} ending in ${order.payment.last4}</dd>
    <dt>Total</dt><dd>${formatPrice(order.totalCents)}</dd>
  </dl>
  <ul class="summary-lines">${order.lines.map(
    (l) => html`<li class="summary-row">
    <span>${l.name} × ${l.quantity} (from ${l.farmName})</span> <span>${formatPrice(l.priceCents * l.quantity)}</span></li>`,
  )}</ul>
  <p><a class="button" href="/products">Continue Shopping</a></p>
</section>`;
}

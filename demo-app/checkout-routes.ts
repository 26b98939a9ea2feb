// Checkout: the wizard page, the card iframe and its tokenising endpoint, order placement
// (where the checkout-error fault strikes) and the confirmation page.
import { checkCard } from './card-payments.ts';
import { checkoutMain, confirmationMain, paymentFrameDocument } from './checkout-pages.ts';
import { notFound } from './error-pages.ts';
import { readJson, redirect, sendHtml, sendJson } from './http.ts';
import { renderPage } from './layout.ts';
import { isAlternate } from './variant.ts';
import type { RequestContext, Route } from './router.ts';
import { requireUser } from './sessions.ts';
import { parseDelivery, parseShipping } from './validation.ts';

function checkoutPage(ctx: RequestContext): void {
  const user = requireUser(ctx);
  if (!user) return;
  const lines = ctx.app.store.cartLines(user.id);
  if (lines.length === 0) {
    redirect(ctx.res, '/cart', 307);
    return;
  }
  const today = new Date().toISOString().slice(0, 10);
  sendHtml(
    ctx.res,
    200,
    renderPage(ctx, {
      title: 'Checkout',
      main: checkoutMain(lines, today, isAlternate(ctx)),
      scripts: ['checkout.js'],
    }),
  );
}

function paymentFrame(ctx: RequestContext): void {
  sendHtml(ctx.res, 200, paymentFrameDocument());
}

function field(body: unknown, name: string): string {
  const value = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[name] : undefined;
  return typeof value === 'string' ? value : '';
}

async function createPaymentMethod(ctx: RequestContext): Promise<void> {
  if (!ctx.user) {
    sendJson(ctx.res, 401, { success: false, error: 'Authentication required' });
    return;
  }
  const body = await readJson(ctx.req);
  const result = checkCard(field(body, 'number'), field(body, 'expiry'), field(body, 'cvc'));
  if (!result.ok) {
    sendJson(ctx.res, result.status, { success: false, error: result.error, field: result.field });
    return;
  }
  const method = ctx.app.store.savePaymentMethod({ userId: ctx.user.id, brand: result.brand, last4: result.last4 });
  sendJson(ctx.res, 200, { success: true, data: { id: method.id, brand: method.brand, last4: method.last4 } });
}

async function placeOrder(ctx: RequestContext): Promise<void> {
  if (!ctx.user) {
    sendJson(ctx.res, 401, { success: false, error: 'Authentication required' });
    return;
  }
  const body = await readJson(ctx.req);
  if (ctx.app.faults.active.checkoutError) {
    sendJson(ctx.res, 500, { success: false, error: 'Internal server error' });
    return;
  }
  const record = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const shipping = parseShipping(record.shipping);
  const delivery = parseDelivery(record.delivery);
  const problems = [...Object.values(shipping.errors), ...Object.values(delivery.errors)];
  if (record.agreeToTerms !== true) problems.push('Please accept the terms to place your order');
  const payment = ctx.app.store.paymentMethods.get(field(body, 'paymentMethodId'));
  if (!payment || payment.userId !== ctx.user.id) problems.push('Please enter your payment details');
  if (ctx.app.store.cartLines(ctx.user.id).length === 0) problems.push('Your cart is empty');
  if (problems.length > 0 || !payment) {
    sendJson(ctx.res, 400, { success: false, error: problems.join('. '), problems });
    return;
  }
  const order = ctx.app.store.placeOrder(ctx.user.id, shipping.value, delivery.value, payment);
  sendJson(ctx.res, 201, {
    success: true,
    data: { id: order.id, orderNumber: order.orderNumber, total: order.totalCents / 100 },
  });
}

function confirmationPage(ctx: RequestContext): void {
  const user = requireUser(ctx);
  if (!user) return;
  const order = ctx.app.store.orders.get(ctx.params.id ?? '');
  if (!order || order.userId !== user.id) {
    notFound(ctx);
    return;
  }
  sendHtml(
    ctx.res,
    200,
    renderPage(ctx, { title: 'Order Confirmed', main: confirmationMain(order, user, isAlternate(ctx)) }),
  );
}

export const checkoutRoutes: Route[] = [
  { methods: ['GET'], path: '/checkout', kind: 'page', handler: checkoutPage },
  // The card frame stands in for Stripe's third-party iframe, so the flaky fault spares it.
  { methods: ['GET'], path: '/checkout/payment-frame', kind: 'asset', handler: paymentFrame },
  { methods: ['POST'], path: '/api/payments/methods', kind: 'api', handler: createPaymentMethod },
  { methods: ['POST'], path: '/api/orders', kind: 'api', handler: placeOrder },
  { methods: ['GET'], path: '/orders/:id/confirmation', kind: 'page', handler: confirmationPage },
];

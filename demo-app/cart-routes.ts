// The cart: a page for signed-in users and a small JSON API the header and the
// "Add to Cart" buttons call, so every journey includes real /api/* round trips.
import { cartMain } from './cart-pages.ts';
import { readForm, readJson, redirect, sendHtml, sendJson } from './http.ts';
import { renderPage } from './layout.ts';
import { isAlternate } from './variant.ts';
import type { RequestContext, Route } from './router.ts';
import { requireUser } from './sessions.ts';
import type { Store } from './store.ts';

export function cartJson(store: Store, userId: string): Record<string, unknown> {
  const lines = store.cartLines(userId);
  return {
    items: lines.map((l) => ({
      productId: l.product.id,
      name: l.product.name,
      slug: l.product.slug,
      farm: l.farm.name,
      price: l.product.priceCents / 100,
      unit: l.product.unit,
      quantity: l.quantity,
      lineTotal: l.lineCents / 100,
    })),
    count: store.cartCount(userId),
    subtotal: lines.reduce((sum, l) => sum + l.lineCents, 0) / 100,
  };
}

function cartPage(ctx: RequestContext): void {
  const user = requireUser(ctx);
  if (!user) return;
  sendHtml(
    ctx.res,
    200,
    renderPage(ctx, { title: 'Shopping Cart', main: cartMain(ctx.app.store.cartLines(user.id), isAlternate(ctx)) }),
  );
}

async function removeItem(ctx: RequestContext): Promise<void> {
  const user = requireUser(ctx);
  if (!user) return;
  const form = await readForm(ctx.req);
  ctx.app.store.removeFromCart(user.id, form.get('productId') ?? '');
  redirect(ctx.res, '/cart');
}

function startCheckout(ctx: RequestContext): void {
  if (!requireUser(ctx)) return;
  redirect(ctx.res, '/checkout');
}

function unauthorized(ctx: RequestContext): void {
  sendJson(ctx.res, 401, { success: false, error: 'Authentication required' });
}

function getCart(ctx: RequestContext): void {
  if (!ctx.user) {
    unauthorized(ctx);
    return;
  }
  sendJson(ctx.res, 200, { success: true, data: cartJson(ctx.app.store, ctx.user.id) });
}

async function addItem(ctx: RequestContext): Promise<void> {
  if (!ctx.user) {
    unauthorized(ctx);
    return;
  }
  const body = (await readJson(ctx.req)) as { productId?: unknown; quantity?: unknown };
  const product = typeof body.productId === 'string' ? ctx.app.store.products.get(body.productId) : undefined;
  if (!product) {
    sendJson(ctx.res, 404, { success: false, error: 'Product not found' });
    return;
  }
  const quantity = body.quantity === undefined ? 1 : Number(body.quantity);
  if (!Number.isInteger(quantity) || quantity < 1 || quantity > 99) {
    sendJson(ctx.res, 400, { success: false, error: 'Quantity must be a whole number from 1 to 99' });
    return;
  }
  ctx.app.store.addToCart(ctx.user.id, product.id, quantity);
  sendJson(ctx.res, 200, { success: true, data: cartJson(ctx.app.store, ctx.user.id) });
}

function deleteItem(ctx: RequestContext): void {
  if (!ctx.user) {
    unauthorized(ctx);
    return;
  }
  ctx.app.store.removeFromCart(ctx.user.id, ctx.params.productId ?? '');
  sendJson(ctx.res, 200, { success: true, data: cartJson(ctx.app.store, ctx.user.id) });
}

export const cartRoutes: Route[] = [
  { methods: ['GET'], path: '/cart', kind: 'page', handler: cartPage },
  { methods: ['POST'], path: '/cart/remove', kind: 'form', handler: removeItem },
  { methods: ['POST'], path: '/cart/checkout', kind: 'form', handler: startCheckout },
  { methods: ['GET'], path: '/api/cart', kind: 'api', handler: getCart },
  { methods: ['POST'], path: '/api/cart', kind: 'api', handler: addItem },
  { methods: ['DELETE'], path: '/api/cart/:productId', kind: 'api', handler: deleteItem },
];

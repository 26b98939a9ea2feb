// The public catalogue: /products (server-rendered search), /products/<slug> and the JSON
// API. The slow-products fault delays the listing only, the page most users land on.
import { notFound } from './error-pages.ts';
import { delay, sendHtml, sendJson } from './http.ts';
import { renderPage } from './layout.ts';
import { isAlternate } from './variant.ts';
import { productDetailMain, productListMain } from './product-pages.ts';
import type { RequestContext, Route } from './router.ts';
import type { Product, Store } from './store.ts';

const pageSize = 12;
const maxLimit = 100;

function positiveInt(text: string | null, fallback: number, max: number): number {
  const value = text !== null && /^\d+$/.test(text) ? Number(text) : fallback;
  return Math.min(Math.max(value, 1), max);
}

export function productJson(store: Store, p: Product): Record<string, unknown> {
  const farm = store.farmOf(p);
  return {
    id: p.id,
    name: p.name,
    slug: p.slug,
    description: p.description,
    price: p.priceCents / 100,
    unit: p.unit,
    category: p.category,
    organic: p.organic,
    inStock: p.quantityAvailable > 0,
    quantityAvailable: p.quantityAvailable,
    images: [],
    farm: { id: farm.id, name: farm.name, slug: farm.slug },
  };
}

function listing(
  ctx: RequestContext,
  limit: number,
): { search: string; page: number; totalPages: number; total: number; items: Product[] } {
  const search = (ctx.url.searchParams.get('search') ?? '').trim();
  const matches = ctx.app.store.searchProducts(search);
  const totalPages = Math.max(1, Math.ceil(matches.length / limit));
  const page = Math.min(positiveInt(ctx.url.searchParams.get('page'), 1, Number.MAX_SAFE_INTEGER), totalPages);
  return { search, page, totalPages, total: matches.length, items: matches.slice((page - 1) * limit, page * limit) };
}

async function slowDown(ctx: RequestContext): Promise<void> {
  const ms = ctx.app.faults.active.slowProductsMs;
  if (ms > 0) await delay(ms);
}

async function productsPage(ctx: RequestContext): Promise<void> {
  await slowDown(ctx);
  const found = listing(ctx, pageSize);
  const main = productListMain({
    ...found,
    items: found.items.map((product) => ({ product, farm: ctx.app.store.farmOf(product) })),
    alt: isAlternate(ctx),
  });
  sendHtml(ctx.res, 200, renderPage(ctx, { title: 'Products', main }));
}

async function productsApi(ctx: RequestContext): Promise<void> {
  await slowDown(ctx);
  const limit = positiveInt(ctx.url.searchParams.get('limit'), pageSize, maxLimit);
  const found = listing(ctx, limit);
  sendJson(ctx.res, 200, {
    success: true,
    data: {
      products: found.items.map((p) => productJson(ctx.app.store, p)),
      pagination: { page: found.page, limit, total: found.total, totalPages: found.totalPages },
    },
  });
}

function productPage(ctx: RequestContext): void {
  const product = ctx.app.store.productBySlug(ctx.params.slug ?? '');
  if (!product) {
    notFound(ctx);
    return;
  }
  const main = productDetailMain({ product, farm: ctx.app.store.farmOf(product) }, isAlternate(ctx));
  sendHtml(ctx.res, 200, renderPage(ctx, { title: product.name, main }));
}

export const productRoutes: Route[] = [
  { methods: ['GET'], path: '/products', kind: 'page', handler: productsPage },
  { methods: ['GET'], path: '/products/:slug', kind: 'page', handler: productPage },
  { methods: ['GET'], path: '/api/products', kind: 'api', handler: productsApi },
];

// Product listing and detail markup. Each card's button is named "Add <product> to cart" for
// assistive technology while its visible text stays "Add to Cart", as on the platform. The
// buttons start disabled and app.js enables them, so an early click is never silently lost.
import { html } from './html.ts';
import type { SafeHtml } from './html.ts';
import { formatPrice } from './store.ts';
import type { Farm, Product } from './store.ts';
import { decorate } from './variant.ts';

const categoryIcons: Record<string, string> = {
  Vegetables: '🥕',
  Fruits: '🍓',
  'Eggs & Dairy': '🥚',
  Pantry: '🍯',
  Herbs: '🌿',
};

export interface ListedProduct {
  product: Product;
  farm: Farm;
}

export interface ProductListView {
  search: string;
  items: readonly ListedProduct[];
  total: number;
  page: number;
  totalPages: number;
  /** The alternate face (variant.ts). */
  alt?: boolean;
}

function addToCartButton(product: Product, extraClass = ''): SafeHtml {
  return html`<button type="button" class="button add-to-cart${extraClass}" data-add-to-cart="${product.id}"
      aria-label="Add ${product.name} to cart" disabled>Add to Cart</button>`;
}

function pricePerUnit(product: Product): SafeHtml {
  return html`<p class="product-price"><span class="price">${formatPrice(product.priceCents)}</span> <span class="unit">/ ${product.unit}</span></p>`;
}

function card({ product, farm }: ListedProduct): SafeHtml {
  return html`<li class="product-card">
    <article aria-labelledby="name-${product.slug}">
      <div class="product-image" aria-hidden="true">${categoryIcons[product.category] ?? '🧺'}</div>
      <h2 class="product-name" id="name-${product.slug}"><a href="/products/${product.slug}">${product.name}</a></h2>
      <p class="product-farm">from ${farm.name}</p>
      ${pricePerUnit(product)}
      ${product.organic ? html`<p class="badge badge-organic">Organic</p>` : ''}
      ${addToCartButton(product)}
    </article>
  </li>`;
}

/** The alternate face's card: another wrapper, the button before the name, a decorated price. */
function alternateCard({ product, farm }: ListedProduct): SafeHtml {
  return html`<div class="product-card" role="group" aria-label="${product.name}">
    <div class="product-image" aria-hidden="true">${categoryIcons[product.category] ?? '🧺'}</div>
    ${product.organic ? html`<span class="badge badge-organic">🌱 Organic</span>` : ''}
    ${pricePerUnit(product)}
    ${addToCartButton(product)}
    <h3 class="product-name"><a href="/products/${product.slug}">${product.name}</a></h3>
    <p class="product-farm">from ${farm.name}</p>
  </div>`;
}

/** An extra element before the cards: a promotion whose link names a listed product. */
function promotion(items: readonly ListedProduct[]): SafeHtml {
  const first = items[0];
  if (!first) return html``;
  return html`<aside class="card promo" aria-label="Promotion">
  <a href="/?featured=${first.product.slug}">⭐ Featured this week: ${first.product.name} from ${first.farm.name}</a>
</aside>`;
}

function alternateListMain(v: ProductListView): SafeHtml {
  return html`<div class="page-header"><div>
  <h1>${decorate(true, '🌾', 'Fresh Local Products')}</h1>
  <p class="result-count">Showing
    <strong>${v.items.length}</strong>  of  <strong>${v.total}</strong>
    products</p>
</div></div>
${promotion(v.items)}
<div class="toolbar">
  <form class="search-form" role="search" method="get" action="/products">
    <label for="product-search">🔍 Search products</label>
    <input type="search" id="product-search" name="search" value="${v.search}" placeholder="Search tomatoes, honey, farms…" autocomplete="off">
  </form>
</div>
${v.search ? html`<p class="muted">Results for “${v.search}” · <a href="/products">Clear search</a></p>` : ''}
${
  v.items.length === 0
    ? html`<div class="empty-state"><h2>No products found</h2></div>`
    : html`<div class="product-grid">${[...v.items].reverse().map(alternateCard)}</div>`
}
${
  v.totalPages > 1
    ? html`<nav class="pagination" aria-label="Pagination">
  ${v.page < v.totalPages ? pageLink(v.search, v.page + 1, 'Next page') : ''}
  ${v.page > 1 ? pageLink(v.search, v.page - 1, 'Previous page') : ''}
</nav>`
    : ''
}`;
}

function pageLink(search: string, page: number, label: string): SafeHtml {
  const query = new URLSearchParams();
  if (search) query.set('search', search);
  query.set('page', String(page));
  return html`<a class="button button-ghost" href="/products?${query.toString()}">${label}</a>`;
}

export function productListMain(v: ProductListView): SafeHtml {
  if (v.alt) return alternateListMain(v);
  return html`<section class="page-header">
  <h1>Fresh Local Products</h1>
  <p class="subtitle">Seasonal produce, eggs, honey and cheese, straight from the farms that grow them.</p>
</section>
<form class="search-form" role="search" method="get" action="/products">
  <label for="product-search" class="sr-only">Search products</label>
  <input type="search" id="product-search" name="search" value="${v.search}" placeholder="Search tomatoes, honey, farms…" autocomplete="off">
  <button type="submit" class="button">Search</button>
</form>
<p class="result-count">Showing ${v.items.length} of ${v.total} products</p>
${v.search ? html`<p class="muted">Results for “${v.search}” · <a href="/products">Clear search</a></p>` : ''}
${
  v.items.length === 0
    ? html`<div class="empty-state"><h2>No products found</h2><p>Try a different search term.</p></div>`
    : html`<ul class="product-grid" aria-label="Products">${v.items.map(card)}</ul>`
}
${
  v.totalPages > 1
    ? html`<nav class="pagination" aria-label="Pagination">
  ${v.page > 1 ? pageLink(v.search, v.page - 1, 'Previous page') : ''}
  <span>Page ${v.page} of ${v.totalPages}</span>
  ${v.page < v.totalPages ? pageLink(v.search, v.page + 1, 'Next page') : ''}
</nav>`
    : ''
}`;
}

export function productDetailMain({ product, farm }: ListedProduct, alt = false): SafeHtml {
  return html`<p><a href="/products">← Back to products</a></p>
<article class="product-detail">
  <div class="product-image product-image-large" aria-hidden="true">${categoryIcons[product.category] ?? '🧺'}</div>
  <div class="stack">
    <h1>${decorate(alt, categoryIcons[product.category] ?? '🧺', product.name)}</h1>
    <p class="product-farm">from ${farm.name}</p>
    ${pricePerUnit(product)}
    ${product.organic ? html`<p class="badge badge-organic">Organic</p>` : ''}
    <p>${product.description}</p>
    <p class="muted">Category: ${product.category} · ${product.quantityAvailable} ${product.unit} available</p>
    <div class="field field-inline">
      <label for="quantity">Quantity</label>
      <input type="number" id="quantity" name="quantity" value="1" min="1" max="99">
    </div>
    ${addToCartButton(product, ' button-large')}
  </div>
</article>`;
}

// The page shell shared by every page: header with the account area and the cart count,
// the single live region for toasts, and the footer. Keeping one role="status" element per
// page lets workflows find "Added to cart" with getByRole('status') without ambiguity.
import { html } from './html.ts';
import type { SafeHtml } from './html.ts';
import type { RequestContext } from './router.ts';
import type { User } from './store.ts';
import { isAlternate } from './variant.ts';

export interface PageOptions {
  title: string;
  main: SafeHtml;
  /** Page scripts under /assets, loaded after the shared app.js. */
  scripts?: readonly string[];
}

export function cartLabel(count: number): string {
  return `Cart (${count} ${count === 1 ? 'item' : 'items'})`;
}

function accountArea(user: User | undefined): SafeHtml {
  if (!user) {
    return html`<a class="nav-link" href="/login">Sign In</a>
      <a class="button button-small" href="/signup">Sign Up</a>`;
  }
  return html`<span class="greeting">Hi, ${user.name.split(' ')[0]}</span>
    <form class="inline-form" method="post" action="/api/auth/signout">
      <button type="submit" class="button button-small button-ghost">Sign Out</button>
    </form>`;
}

/** The alternate face's cart indicator name: the count inside a longer name. */
export function alternateCartLabel(count: number): string {
  return `Shopping cart with ${count} ${count === 1 ? 'item' : 'items'}`;
}

/**
 * The alternate face's header: other wrappers and order, a "Sign In" button (in a form of its
 * own) instead of a link, and a cart indicator that is a link while the cart is empty and a
 * button once it holds items (app.js swaps it as the count changes).
 */
function alternateHeader(user: User | undefined, cartCount: number): SafeHtml {
  const label = alternateCartLabel(cartCount);
  const cart =
    cartCount === 0
      ? html`<a class="cart-link" id="cart-link" href="/cart" aria-label="${label}">🛒 <span class="cart-count" id="cart-count">${cartCount}</span></a>`
      : html`<button type="button" class="cart-link button-ghost" id="cart-link" data-href="/cart" aria-label="${label}">🛒 <span class="cart-count" id="cart-count">${cartCount}</span></button>`;
  const account = user
    ? html`<div class="account-menu"><span class="greeting">👋 ${user.name.split(' ')[0]}</span>
      <form class="inline-form" method="post" action="/api/auth/signout"><button type="submit" class="button button-small button-ghost">Sign Out</button></form></div>`
    : html`<div class="account-menu"><form class="inline-form" method="get" action="/login">
        <button type="submit" class="button button-small button-ghost">
          Sign In
        </button></form>
      <a class="button button-small" href="/signup">Join the market</a></div>`;
  return html`<header class="site-header">
  <div class="container header-inner">
    <div class="header-actions account">
      <div class="cart-wrap">${cart}</div>
      ${account}
    </div>
    <a class="brand" href="/">🌾 Farmers Market</a>
    <nav aria-label="Main"><a class="nav-link" href="/products">Shop</a>${user?.role === 'FARMER' ? html` <a class="nav-link" href="/farmer/dashboard">My Farms</a>` : ''}</nav>
  </div>
</header>`;
}

function header(user: User | undefined, cartCount: number): SafeHtml {
  return html`<header class="site-header">
  <div class="container header-inner">
    <a class="brand" href="/"><span aria-hidden="true">🌾</span> Farmers Market</a>
    <nav aria-label="Main">
      <ul class="nav-list">
        <li><a class="nav-link" href="/products">Products</a></li>
        ${user?.role === 'FARMER' ? html`<li><a class="nav-link" href="/farmer/dashboard">My Farms</a></li>` : ''}
      </ul>
    </nav>
    <div class="account">
      <a class="cart-link" id="cart-link" href="/cart" aria-label="${cartLabel(cartCount)}">
        <span aria-hidden="true">🛒</span> Cart <span class="cart-count" id="cart-count">${cartCount}</span>
      </a>
      ${accountArea(user)}
    </div>
  </div>
</header>`;
}

export function renderPage(ctx: RequestContext, options: PageOptions): SafeHtml {
  const cartCount = ctx.user ? ctx.app.store.cartCount(ctx.user.id) : 0;
  const alt = isAlternate(ctx);
  // The client-crash fault: the page renders, then its script throws (crash.js runs last).
  const crash = ctx.app.faults.active.clientCrashPaths.includes(ctx.url.pathname);
  const scripts = ['app.js', ...(options.scripts ?? []), ...(crash ? ['crash.js'] : [])];
  return html`<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${options.title} | Farmers Market Platform</title>
  <meta name="description" content="Fresh, local produce straight from the farmers who grow it.">
  <link rel="icon" href="/favicon.ico">
  <link rel="stylesheet" href="/assets/app.css">
  ${scripts.map((s) => html`<script src="/assets/${s}" defer></script>\n`)}
</head>
<body data-face="${alt ? 'alternate' : 'standard'}">
  <a class="skip-link" href="#main">Skip to content</a>
  ${alt ? alternateHeader(ctx.user, cartCount) : header(ctx.user, cartCount)}
  <main id="main" class="container">
    ${alt ? html`<div class="page-shell"><div class="page-body">${options.main}</div></div>` : options.main}
  </main>
  ${
    alt
      ? html`<div class="toast-stack" aria-live="assertive"><div class="toast toast-brief" id="toast"></div></div>`
      : html`<div class="toast" id="toast" role="status" aria-live="polite"></div>`
  }
  <footer class="site-footer">
    <div class="container">© Farmers Market Platform. Fresh food, fair prices, local farms.</div>
  </footer>
</body>
</html>`;
}

// The page shell shared by every page: header with the account area and the cart count,
// the single live region for toasts, and the footer. Keeping one role="status" element per
// page lets workflows find "Added to cart" with getByRole('status') without ambiguity.
import { html } from './html.ts';
import type { SafeHtml } from './html.ts';
import type { RequestContext } from './router.ts';
import type { User } from './store.ts';

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
  const scripts = ['app.js', ...(options.scripts ?? [])];
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
<body>
  <a class="skip-link" href="#main">Skip to content</a>
  ${header(ctx.user, cartCount)}
  <main id="main" class="container">
    ${options.main}
  </main>
  <div class="toast" id="toast" role="status" aria-live="polite"></div>
  <footer class="site-footer">
    <div class="container">© Farmers Market Platform. Fresh food, fair prices, local farms.</div>
  </footer>
</body>
</html>`;
}
